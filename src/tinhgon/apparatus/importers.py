"""Import unit versions from a CSV or XLSX file, all or nothing, with a row-level report.

Columns (header names case- and accent-insensitive, English or Vietnamese):

    code, name, kind, parent_code, valid_from                 (required)
    valid_to, level, short_name, latitude, longitude,
    area_km2, population, note                                (optional)

The header is row 1; errors name the row of the spreadsheet they come from.
Parsing errors (a bad date, a bad number, a missing column) and the registry's
own checks (:func:`tinhgon.apparatus.services.plan_unit_rows`) are reported
together; when there is any error, nothing is written.  Rows whose version
(code, valid_from) is already in the registry are skipped, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tinhgon.core import tabular
from tinhgon.core.tabular import RowError

from .services import UnitInput, UnitRowsInvalid, units_create

REQUIRED = ("code", "name", "kind", "parent_code", "valid_from")
OPTIONAL = ("valid_to", "level", "short_name", "latitude", "longitude", "area_km2", "population", "note")
COLUMNS = REQUIRED + OPTIONAL

# Folded header text (see :func:`_header_key`) -> column.
_ALIASES = {
    "ma": "code", "ma don vi": "code",
    "ten": "name", "ten don vi": "name",
    "loai": "kind", "loai don vi": "kind",
    "ma don vi cha": "parent_code", "ma cha": "parent_code", "parent": "parent_code",
    "hieu luc tu": "valid_from", "tu ngay": "valid_from",
    "hieu luc den": "valid_to", "den ngay": "valid_to",
    "cap": "level",
    "ten ngan": "short_name", "ten viet tat": "short_name",
    "vi do": "latitude", "kinh do": "longitude",
    "dien tich": "area_km2", "dien tich km2": "area_km2", "dien tich (km2)": "area_km2",
    "dan so": "population",
    "ghi chu": "note",
}

MAX_ROWS = 100_000

# Example rows of the downloadable template (below a province that exists once the
# real apparatus is imported).
TEMPLATE_ROWS = [
    ("01-SNV-DEMO", "Sở Nội vụ (ví dụ)", "so-nganh", "01", "2025-07-01", "", "province", "SNV",
     "", "", "", "", "Dòng ví dụ: xóa trước khi nhập"),
    ("01-SNV-DEMO-P1", "Phòng Tổ chức biên chế (ví dụ)", "phong", "01-SNV-DEMO", "2025-07-01", "",
     "province", "", "", "", "", "", "Dòng ví dụ: xóa trước khi nhập"),
]


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int


_header_key = tabular.header_key


def _column_for(value) -> str | None:
    """The column a header names (English code or words, Vietnamese; accents optional)."""
    key = _header_key(value)
    if not key:
        return None
    as_code = key.replace(" ", "_")
    if as_code in COLUMNS:
        return as_code
    compact = {"areakm2": "area_km2", "parentcode": "parent_code", "validfrom": "valid_from",
               "validto": "valid_to", "shortname": "short_name"}
    return _ALIASES.get(key) or compact.get(key.replace(" ", ""))


_COLUMNS = tabular.Columns(names=COLUMNS, column_for=_column_for, required=REQUIRED)


# Reading the file --------------------------------------------------------------------


def _read_table(fileobj, filename: str) -> Iterator[Sequence]:
    """The file's rows (header first) as sequences of cell values, streamed."""
    return tabular.read_table_or_refuse(
        fileobj, filename, lambda message: UnitRowsInvalid([RowError(None, "file", message)]))


# Cells -------------------------------------------------------------------------------

_text, _date, _float, _int = tabular.cell_text, tabular.cell_date, tabular.cell_float, tabular.cell_int


_CONVERT = {
    "valid_from": _date, "valid_to": _date, "latitude": _float, "longitude": _float,
    "area_km2": _float, "population": _int,
}


def parse_rows(table: Iterable[Sequence], *, source: str = "") -> tuple[list[UnitInput], list[RowError]]:
    """Turn a table (header first) into unit rows and the parsing errors, by spreadsheet row."""
    rows: list[UnitInput] = []
    index, header_row, it, errors = tabular.map_header(table, _COLUMNS)
    if errors:
        return [], errors
    for n, values in tabular.data_rows(it, index, header_row, max_rows=MAX_ROWS, errors=errors):
        fields: dict = {"row": n, "source": source}
        bad = False
        for column, value in values.items():
            convert = _CONVERT.get(column)
            if convert is None:
                fields[column] = _text(value)
                continue
            if not _text(value):
                if column == "valid_from":
                    errors.append(RowError(n, column, _("The start date is required.")))
                    bad = True
                fields[column] = None
                continue
            try:
                fields[column] = convert(value)
            except ValueError as exc:
                errors.append(RowError(n, column, str(exc)))
                bad = True
        if not bad:
            rows.append(UnitInput(**fields))
        else:
            rows.append(_Unparsed(fields.get("code", ""), n))  # type: ignore[arg-type]
    return rows, errors


@dataclass
class _Unparsed:
    """A row that did not parse: kept so its children are not blamed for its absence."""

    code: str
    row: int


# Importing ---------------------------------------------------------------------------


def units_import_file(*, fileobj, filename: str, user=None) -> ImportResult:
    """Import the unit versions of a CSV/XLSX file; all or nothing.

    Raises :class:`UnitRowsInvalid` carrying every error (parsing and registry
    checks alike), by row.  With ``user``, every imported unit must fall inside
    the user's scopes.
    """
    table = _read_table(fileobj, filename)
    parsed, errors = parse_rows(table, source=f"file {filename}"[:120])
    if not parsed and not errors:
        raise UnitRowsInvalid([RowError(None, "file", _("The file holds a header but no rows."))])
    rows = [r for r in parsed if isinstance(r, UnitInput)]
    failed_codes = {r.code for r in parsed if isinstance(r, _Unparsed)}

    with transaction.atomic():
        created = []
        if rows:
            try:
                created = units_create(rows=rows, event_kind="units.imported",
                                       event_message=_("Units imported from %(file)s") % {"file": filename})
            except UnitRowsInvalid as exc:
                errors.extend(e for e in exc.errors_list if not (
                    e.field == "parent_code" and _row_parent(rows, e.row) in failed_codes))
        if user is not None and created and not getattr(user, "is_unrestricted", False):
            from tinhgon.core.scoping import in_scope

            row_of = {(r.code, r.valid_from): r.row for r in rows}
            errors.extend(
                RowError(row_of.get((u.code, u.valid_from)), "parent_code",
                         _("Unit %(code)s would lie outside your scopes.") % {"code": u.code})
                for u in created if not in_scope(user, u.path)
            )
        if errors:
            transaction.set_rollback(True)
            raise UnitRowsInvalid(tabular.sorted_errors(errors))
    return ImportResult(created=len(created), skipped=len(rows) - len(created))


def run_units_import_job(ctx) -> dict:
    """The ``apparatus.import_units`` job: parse and check the whole file without writing
    (the registry's own checks, read-only), then create every version in one transaction."""
    from tinhgon.core.jobs import JobFailed
    from tinhgon.core.scoping import in_scope

    from .services import _already_there, plan_unit_rows

    filename, user = ctx.input_name, ctx.user
    ctx.progress(0, None, _("Reading %(file)s") % {"file": filename})
    try:
        with ctx.open_input() as fh:
            parsed, errors = parse_rows(_read_table(fh, filename), source=f"file {filename}"[:120])
    except UnitRowsInvalid as exc:
        raise JobFailed(_("The file cannot be read; nothing was written."),
                        [{"row": e.row, "column": e.field, "message": e.message} for e in exc.errors_list]) from None
    if not parsed and not errors:
        raise JobFailed(_("The file holds a header but no rows."))
    rows = [r for r in parsed if isinstance(r, UnitInput)]
    failed_codes = {r.code for r in parsed if isinstance(r, _Unparsed)}
    total = len(parsed)
    ctx.check_cancelled()
    ctx.progress(0, total, _("Checking %(n)s rows against the registry") % {"n": f"{total:,}"})
    present = _already_there(rows)
    todo = [r for r in rows if (r.code, r.valid_from) not in present]
    plan = plan_unit_rows(todo) if todo else None
    if plan is not None:
        errors.extend(e for e in plan.errors if not (
            e.field == "parent_code" and _row_parent(todo, e.row) in failed_codes))
        if user is not None and not getattr(user, "is_unrestricted", False) and not plan.errors:
            row_of = {(r.code, r.valid_from): r.row for r in todo}
            errors.extend(
                RowError(row_of.get((u.code, u.valid_from)), "parent_code",
                         _("Unit %(code)s would lie outside your scopes.") % {"code": u.code})
                for u in plan.units if not in_scope(user, u.path))
    if errors:
        errors = tabular.sorted_errors(errors)
        raise JobFailed(_("The file has %(n)s errors; nothing was written.") % {"n": len(errors)},
                        [{"row": e.row, "column": e.field, "message": e.message} for e in errors])
    ctx.progress(total, total, _("Writing %(n)s unit versions…") % {"n": f"{len(todo):,}"})
    created = []
    with ctx.publishing():
        if todo:
            try:
                created = units_create(rows=todo, skip_existing=True, event_kind="units.imported",
                                       event_message=_("Units imported from %(file)s") % {"file": filename})
            except UnitRowsInvalid as exc:  # the registry changed while the file was checked
                raise JobFailed(_("The registry changed while the file was being checked; nothing was written."),
                                [{"row": e.row, "column": e.field, "message": e.message}
                                 for e in exc.errors_list]) from None
    skipped = len(rows) - len(created)
    return {"rows": total, "created": len(created), "skipped": skipped,
            "message": _("%(created)s unit versions created, %(skipped)s already present.")
            % {"created": len(created), "skipped": skipped}}


def _row_parent(rows: list[UnitInput], row: int | None) -> str | None:
    for r in rows:
        if r.row == row:
            return r.parent_code
    return None


# Files for download ------------------------------------------------------------------


def template_xlsx() -> bytes:
    """An XLSX with the header and two example rows."""
    from tinhgon.core.exports import workbook_bytes

    return workbook_bytes(
        "units", list(COLUMNS), TEMPLATE_ROWS,
        info=[
            (_("Required columns"), ", ".join(REQUIRED)),
            (_("Dates"), "YYYY-MM-DD or dd/mm/yyyy"),
            ("kind", _("Codes of unit kinds, e.g. tinh, huyen, xa, so-nganh, ubnd")),
            ("level", _("province, district, commune (required for kinds without a fixed level)")),
        ],
        widths=[18, 36, 14, 16, 12, 12, 11, 14, 10, 10, 10, 11, 30],
    )


def errors_xlsx(errors: Iterable[RowError | dict], filename: str = "") -> bytes:
    """The error report of a units file (the kit's workbook)."""
    return tabular.errors_workbook(errors, filename)


__all__ = ["COLUMNS", "ImportResult", "REQUIRED", "errors_xlsx", "parse_rows", "template_xlsx",
           "units_import_file"]
