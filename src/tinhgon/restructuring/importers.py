"""Import the operations of a plan from a CSV or XLSX file, all or nothing, errors by row.

One row per operation, except a split, which spans one row per target (rows with
the same ``kind = split`` and the same source make one operation). Columns (header
names case- and accent-insensitive; unknown columns are refused):

    kind            create | rename | move | merge | split | dissolve | dissolve_level |
                    transfer_function | transfer_power  (Vietnamese names accepted:
                    thành lập, đổi tên, điều chuyển, sáp nhập, chia tách, giải thể, …)
    source_codes    the unit(s) the operation consumes; for a merge several codes
                    separated by spaces, commas, semicolons or "|"
    target_code, target_name, target_kind, parent_code
                    the unit formed (create, merge, split) or the new name/kind (rename)
                    or the new parent (move, create, merge)
    share           a split target's share of the source (0 < share ≤ 1; they sum to 1)
    level, children_to
                    dissolve_level: the level dissolved and the level its children go to;
                    create/rename: the level of a kind without a fixed level
    function, power, from, to
                    transfer_function / transfer_power: the item's code and the two units
    area_km2, population, note
                    optional attributes of the new unit
    payroll_quota   create/merge: the quota planned for the new unit in the effective year

What is required for each kind is in :data:`REQUIRED_BY_KIND`. Source codes must be
valid on the plan's effective date. The whole file is refused when any row is wrong;
the operations of a good file are appended to the plan (which goes back to draft).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.core import tabular
from tinhgon.core.dated import valid_on
from tinhgon.core.exports import workbook_bytes
from tinhgon.core.tabular import RowError
from tinhgon.core.tabular import cell_float as _float
from tinhgon.core.tabular import cell_int as _int
from tinhgon.core.tabular import cell_text as _text
from tinhgon.core.text import fold

from .models import Operation, Plan
from .services import operations_add

COLUMNS = ("kind", "source_codes", "target_code", "target_name", "target_kind", "parent_code", "share",
           "level", "children_to", "function", "power", "from", "to", "area_km2", "population", "payroll_quota", "note")

REQUIRED_BY_KIND: dict[str, tuple[str, ...]] = {
    Operation.CREATE: ("target_code", "target_name", "target_kind", "parent_code"),
    Operation.RENAME: ("source_codes", "target_name"),
    Operation.MOVE: ("source_codes", "parent_code"),
    Operation.MERGE: ("source_codes", "target_code"),
    Operation.SPLIT: ("source_codes", "target_code", "share"),
    Operation.DISSOLVE: ("source_codes",),
    Operation.DISSOLVE_LEVEL: ("level", "children_to"),
    Operation.TRANSFER_FUNCTION: ("function", "from", "to"),
    Operation.TRANSFER_POWER: ("power", "from", "to"),
}

_KIND_ALIASES = {
    "thanh lap": "create", "tao moi": "create", "tao": "create",
    "doi ten": "rename", "doi ten / loai": "rename",
    "dieu chuyen": "move", "chuyen": "move",
    "sap nhap": "merge", "hop nhat": "merge", "nhap": "merge",
    "chia tach": "split", "chia": "split",
    "giai the": "dissolve",
    "giai the cap": "dissolve_level", "bo cap": "dissolve_level",
    "chuyen giao chuc nang": "transfer_function", "chuyen chuc nang": "transfer_function",
    "chuyen giao tham quyen": "transfer_power", "chuyen tham quyen": "transfer_power",
}
_COLUMN_ALIASES = {
    "loai": "kind", "loai thao tac": "kind", "thao tac": "kind",
    "ma nguon": "source_codes", "don vi nguon": "source_codes", "sources": "source_codes", "source": "source_codes",
    "ma moi": "target_code", "ma don vi moi": "target_code", "target": "target_code",
    "ten moi": "target_name", "ten don vi moi": "target_name",
    "loai don vi": "target_kind", "loai don vi moi": "target_kind",
    "ma cap tren": "parent_code", "ma don vi cha": "parent_code", "parent": "parent_code",
    "ty le": "share", "cap": "level", "con ve cap": "children_to",
    "chuc nang": "function", "tham quyen": "power", "tu": "from", "den": "to",
    "dien tich": "area_km2", "dan so": "population", "ghi chu": "note", "bien che": "payroll_quota",
}
_SPLIT_CODES = re.compile(r"[\s,;|]+")
MAX_ROWS = 50_000

# Example rows of the downloadable template (codes of the real 2025 apparatus).
TEMPLATE_ROWS = [
    ("merge", "00001 00004 00008", "00004", "Phường Ba Đình", "phuong", "", "", "", "", "", "", "", "", "", "", "ví dụ"),
    ("split", "08974", "08975", "Xã Đại Thịnh A", "xa", "", "0.6", "", "", "", "", "", "", "", "", "ví dụ"),
    ("split", "08974", "08976", "Xã Đại Thịnh B", "xa", "", "0.4", "", "", "", "", "", "", "", "", "ví dụ"),
    ("rename", "00007", "", "Phường Quán Thánh", "phuong", "", "", "", "", "", "", "", "", "", "", "ví dụ"),
    ("move", "00010", "", "", "", "002", "", "", "", "", "", "", "", "", "", "ví dụ"),
    ("create", "", "01-NEW", "Phường mới", "phuong", "01", "", "", "", "", "", "", "", "", "", "ví dụ"),
    ("dissolve", "00013", "", "", "", "", "", "", "", "", "", "", "", "", "", "ví dụ"),
    ("dissolve_level", "", "", "", "", "", "", "district", "province", "", "", "", "", "", "", "ví dụ"),
    ("transfer_function", "", "", "", "", "", "", "", "", "dat-dai", "", "00013", "00004", "", "", "ví dụ"),
]


class OperationRowsInvalid(ValidationError):
    """Every problem found in an operations file; nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors_list = sorted(errors, key=lambda e: (e.row is not None, e.row or 0))
        super().__init__([str(e) for e in self.errors_list])


@dataclass(frozen=True)
class ParsedOperation:
    row: int            # the (first) spreadsheet row it comes from
    kind: str
    data: dict[str, Any]


def _column_for(label: str) -> str | None:
    key = re.sub(r"\s+", " ", fold(label).replace("_", " ").replace("-", " ")).strip()
    code = key.replace(" ", "_")
    if code in COLUMNS:
        return code
    return _COLUMN_ALIASES.get(key)


_COLUMNS = tabular.Columns(names=COLUMNS, column_for=_column_for, required=("kind",))


def kind_of(value: str) -> str | None:
    key = fold(value).replace("-", " ").strip()
    code = key.replace(" ", "_")
    if code in REQUIRED_BY_KIND:
        return code
    return _KIND_ALIASES.get(key)


def _codes(value) -> list[str]:
    return [c for c in _SPLIT_CODES.split(_text(value)) if c]


def parse_operations(table: Iterable[Sequence]) -> tuple[list[ParsedOperation], list[RowError]]:
    """A table (header first) to operations, with the errors by spreadsheet row."""
    index, header_row, it, errors = tabular.map_header(table, _COLUMNS)
    if errors:
        return [], errors

    ops: list[ParsedOperation] = []
    splits: dict[str, ParsedOperation] = {}
    split_rows: dict[str, list[int]] = {}
    for n, cells in tabular.data_rows(it, index, header_row, max_rows=MAX_ROWS, errors=errors):
        v = {c: _text(value) for c, value in cells.items()}
        kind = kind_of(v.get("kind", ""))
        if kind is None:
            errors.append(RowError(n, "kind", _("Unknown operation kind %(kind)r. Kinds: %(kinds)s.")
                                   % {"kind": v.get("kind", ""), "kinds": ", ".join(REQUIRED_BY_KIND)}))
            continue
        missing = [c for c in REQUIRED_BY_KIND[kind] if not v.get(c)]
        for c in missing:
            errors.append(RowError(n, c, _("Column %(column)s is required for a %(kind)s operation.")
                                   % {"column": c, "kind": kind}))
        if missing:
            continue
        sources = _codes(v.get("source_codes"))
        if kind in (Operation.RENAME, Operation.MOVE, Operation.SPLIT, Operation.DISSOLVE) and len(sources) != 1:
            errors.append(RowError(n, "source_codes", _("A %(kind)s operation takes exactly one source code.")
                                   % {"kind": kind}))
            continue
        unit: dict[str, Any] = {}
        for col, key in (("target_code", "code"), ("target_name", "name"), ("target_kind", "kind"),
                         ("parent_code", "parent_code"), ("level", "level"), ("note", "note")):
            if v.get(col):
                unit[key] = v[col]
        bad = False
        for col, conv in (("area_km2", _float), ("population", _int), ("payroll_quota", _int)):
            if v.get(col):
                try:
                    unit[col] = conv(v[col])
                except ValueError as exc:
                    errors.append(RowError(n, col, str(exc)))
                    bad = True
        if bad:
            continue
        if kind == Operation.CREATE:
            ops.append(ParsedOperation(n, kind, {"unit": unit}))
        elif kind == Operation.RENAME:
            data = {"code": sources[0], **{k: unit[k] for k in ("name", "kind", "level", "note") if k in unit}}
            ops.append(ParsedOperation(n, kind, data))
        elif kind == Operation.MOVE:
            ops.append(ParsedOperation(n, kind, {"code": sources[0], "parent_code": v["parent_code"]}))
        elif kind == Operation.MERGE:
            ops.append(ParsedOperation(n, kind, {"sources": sources, "target": unit}))
        elif kind == Operation.DISSOLVE:
            ops.append(ParsedOperation(n, kind, {"code": sources[0]}))
        elif kind == Operation.DISSOLVE_LEVEL:
            ops.append(ParsedOperation(n, kind, {"level": v["level"], "children_to": v["children_to"]}))
        elif kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
            item = kind.removeprefix("transfer_")
            ops.append(ParsedOperation(n, kind, {item: v[item], "from": v["from"], "to": v["to"]}))
        else:  # split: one row per target
            try:
                share = _float(v["share"])
            except ValueError as exc:
                errors.append(RowError(n, "share", str(exc)))
                continue
            if not 0 < share <= 1:
                errors.append(RowError(n, "share", _("A share lies between 0 (excluded) and 1.")))
                continue
            target = {k: unit[k] for k in ("code", "name", "kind", "parent_code", "area_km2", "population")
                      if k in unit}
            target["share"] = share
            src = sources[0]
            if src not in splits:
                splits[src] = ParsedOperation(n, kind, {"source": src, "targets": []})
                split_rows[src] = []
                ops.append(splits[src])
            splits[src].data["targets"].append(target)
            split_rows[src].append(n)
    for src, op in splits.items():
        targets = op.data["targets"]
        rows = ", ".join(map(str, split_rows[src]))
        if len(targets) < 2:
            errors.append(RowError(op.row, "source_codes", _(
                "The split of %(code)s has a single target row: a split needs at least two.") % {"code": src}))
        total = sum(t["share"] for t in targets)
        if abs(total - 1) > 1e-6:
            errors.append(RowError(op.row, "share", _(
                "The shares of the split of %(code)s (rows %(rows)s) sum to %(total)s, not 1.")
                % {"code": src, "rows": rows, "total": round(total, 6)}))
    ops.sort(key=lambda o: o.row)
    return ops, errors


def _check_codes(plan: Plan, ops: list[ParsedOperation]) -> list[RowError]:
    """Source codes must be valid on the effective date (or created earlier in the file)."""
    valid = set(Unit.objects.filter(valid_on(plan.effective_date)).values_list("code", flat=True))
    created: set[str] = set()
    errors = []
    for op in ops:
        d = op.data
        if op.kind == Operation.CREATE:
            created.add(str(d["unit"].get("code", "")))
            continue
        if op.kind == Operation.MERGE:
            sources, column = d["sources"], "source_codes"
        elif op.kind == Operation.SPLIT:
            sources, column = [d["source"]], "source_codes"
        elif op.kind in (Operation.RENAME, Operation.MOVE, Operation.DISSOLVE):
            sources, column = [d["code"]], "source_codes"
        elif op.kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
            sources, column = [d["from"]], "from"
        else:
            continue
        unknown = [c for c in sources if c not in valid and c not in created]
        if unknown:
            errors.append(RowError(op.row, column, _("No unit with code %(codes)s is valid on %(date)s.")
                                   % {"codes": ", ".join(unknown), "date": plan.effective_date.strftime("%d/%m/%Y")}))
    return errors


def read_table(fileobj, filename: str = "") -> Iterator[Sequence]:
    """The file's rows (header first), streamed; a file that cannot be read — at once or
    while its rows are read — raises :class:`OperationRowsInvalid`."""
    return tabular.read_table_or_refuse(
        fileobj, filename, lambda message: OperationRowsInvalid([RowError(None, "file", message)]))


def operations_import_file(*, plan: Plan, fileobj, filename: str, user=None) -> int:
    """Append the operations of a CSV/XLSX file to ``plan``; all or nothing.

    Raises :class:`OperationRowsInvalid` with every error by row; the services'
    ``PermissionDenied`` and ``PlanRefused`` pass through.
    """
    ops, errors = parse_operations(read_table(fileobj, filename))
    if not ops and not errors:
        errors = [RowError(None, "file", _("The file holds a header but no rows."))]
    if ops and not errors:
        errors = _check_codes(plan, ops)
    if errors:
        raise OperationRowsInvalid(errors)
    operations_add(plan=plan, operations=[(o.kind, o.data) for o in ops], user=user)
    return len(ops)


def template_xlsx() -> bytes:
    return workbook_bytes(
        "operations", list(COLUMNS), TEMPLATE_ROWS,
        info=[
            ("kind", ", ".join(REQUIRED_BY_KIND)),
            *[(f"required for {k}", ", ".join(cols)) for k, cols in REQUIRED_BY_KIND.items()],
            ("source_codes", "several codes (merge) separated by spaces, commas, semicolons or |"),
            ("split", "one row per target, same source; shares sum to 1"),
            ("Example rows", "delete them before importing"),
        ],
        widths=[16, 22, 12, 26, 12, 12, 8, 10, 12, 14, 14, 10, 10, 10, 11, 20],
    )


def errors_xlsx(errors: Iterable[RowError | dict], filename: str = "") -> bytes:
    """The error report of an operations file (the kit's workbook)."""
    return tabular.errors_workbook(errors, filename)
