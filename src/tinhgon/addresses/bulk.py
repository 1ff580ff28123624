"""Converting a whole file of addresses: the same file back with new columns.

The rows are read as a stream (``core.tabular``) and written as they are converted
(CSV, or an XLSX in openpyxl's write-only mode), so memory stays flat whatever the
file's length.  One bad row never stops the file: it gets the status ``not_found`` and
the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhgon.core.tabular import FileUnreadable, cell_text, header_key, read_table, split_header

from .index import get_index
from .resolver import NOT_FOUND, AddressResult, resolve

EXTENSIONS = (".csv", ".xlsx", ".xlsm")
MAX_CANDIDATES_IN_CELL = 10
ADDRESS_HEADERS = ("dia chi", "address")
CHECK_EVERY = 2000  # rows between two looks at the job (cancelled?) and two progress reports


def new_columns() -> list[str]:
    return [_("New commune"), _("New code"), _("New province"), _("New address"), _("Status"),
            _("Candidates"), _("Note")]


@dataclass
class Spec:
    """Which column(s) hold the address: one ``column``, or the ``commune``/``district``/``province`` ones."""

    column: str = ""
    parts: dict[str, str] = field(default_factory=dict)   # level → header

    @classmethod
    def from_params(cls, params: dict) -> Spec:
        parts = {lv: (params.get(lv) or "").strip() for lv in ("commune", "district", "province")}
        return cls(column=(params.get("column") or "").strip(), parts={k: v for k, v in parts.items() if v})

    def as_params(self) -> dict:
        return {"column": self.column, **self.parts}

    def headers(self) -> list[str]:
        return [self.column] if self.column else [self.parts[lv] for lv in ("commune", "district", "province")
                                                   if lv in self.parts]

    def locate(self, header: Sequence) -> list[int]:
        """The indexes of the chosen columns in ``header`` (accents and case do not matter); with no
        column chosen, the one column whose header says "address" (địa chỉ, dia chi, address)."""
        keys = [header_key(cell_text(h)) for h in header]
        if not self.headers():
            guess = [i for i, k in enumerate(keys) if any(w in k for w in ADDRESS_HEADERS)]
            if len(guess) == 1:
                return guess
            raise ValidationError(_("Choose the column that holds the address (or the commune, district and "
                                    "province columns)."), code="no_column")
        out, missing = [], []
        for h in self.headers():
            k = header_key(h)
            if k in keys:
                out.append(keys.index(k))
            else:
                missing.append(h)
        if missing:
            found = ", ".join(cell_text(h) for h in header if cell_text(h)) or "—"
            raise ValidationError(_("The file has no column %(missing)s. Its columns: %(found)s.")
                                  % {"missing": ", ".join(f"“{m}”" for m in missing), "found": found},
                                  code="missing_column")
        return out


def _kind(filename: str) -> str:
    name = (filename or "").lower()
    if not name.endswith(EXTENSIONS):
        raise ValidationError(_("Send a CSV (UTF-8) or Excel (.xlsx) file; “%(name)s” is neither.")
                              % {"name": filename}, code="file_kind")
    return "csv" if name.endswith(".csv") else "xlsx"


def _rows(fileobj, filename: str, limits=None):
    try:
        return read_table(fileobj, filename, limits)
    except FileUnreadable as exc:
        raise ValidationError(str(exc), code="unreadable") from None


def check_upload(fileobj, filename: str, spec: Spec) -> list:
    """Refuse a file before any job starts: its kind, its readability, the chosen columns."""
    _kind(filename)
    rows = _rows(fileobj, filename)
    try:
        header, _n, _rest = split_header(rows)
    except FileUnreadable as exc:
        raise ValidationError(str(exc), code="unreadable") from None
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    spec.locate(header)
    fileobj.seek(0)
    return header


def count_rows(fileobj, filename: str, limits=None) -> int:
    """Data rows after the header (a first, streamed pass: for the progress bar)."""
    n = -1
    for cells in _guard(_rows(fileobj, filename, limits)):
        if n >= 0 or any(cell_text(c) for c in cells):
            n += 1
    fileobj.seek(0)
    return max(n, 0)


def result_cells(r: AddressResult) -> list[str]:
    first = r.first or {}
    cands = "; ".join(f"{c['name']} ({c['code']}){'' if c['default'] else ' *'}"
                      for c in r.candidates[:MAX_CANDIDATES_IN_CELL])
    if len(r.candidates) > MAX_CANDIDATES_IN_CELL:
        cands += f"; … (+{len(r.candidates) - MAX_CANDIDATES_IN_CELL})"
    note = r.reason
    if r.corrections:
        note = "; ".join(_("read “%(written)s” as %(read_as)s") % c for c in r.corrections)
    return [first.get("name", ""), first.get("code", ""), first.get("province", ""), r.new_address, r.status,
            cands if len(r.candidates) > 1 else "", note]


class _CsvOut:
    def __init__(self, fh):
        self.text = io.TextIOWrapper(fh, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text)

    def append(self, row):
        from tinhgon.core.exports import safe_row

        self.writer.writerow(safe_row("" if v is None else v for v in row))

    def close(self):
        self.text.flush()
        self.text.detach()


class _XlsxOut:
    def __init__(self, fh):
        from openpyxl import Workbook

        self.fh = fh
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet()

    def append(self, row):
        from tinhgon.core.exports import safe_cell

        self.ws.append([safe_cell(v) for v in row])

    def close(self):
        self.wb.save(self.fh)


def convert_file(fileobj, filename: str, out, spec: Spec, *, as_of: dt.date, reverse: bool = False,
                 progress: Callable[[int, int | None], None] | None = None,
                 check: Callable[[], None] | None = None, total: int | None = None,
                 out_kind: str | None = None, limits=None) -> dict:
    """Read ``fileobj`` (CSV or XLSX), write it to ``out`` (binary; CSV or XLSX as ``out_kind``,
    by default the input's kind) with the new columns; the counts per status."""
    kind = out_kind or _kind(filename)
    rows = iter(_rows(fileobj, filename, limits))
    header, _hr, rest = split_header(_guard(rows))
    if header is None:
        raise ValidationError(_("The file is empty."), code="empty")
    cols = spec.locate(header)
    writer = _CsvOut(out) if kind == "csv" else _XlsxOut(out)
    width = len(header)
    writer.append(list(header) + new_columns())
    idx = get_index()
    counts: Counter = Counter()
    n = 0
    try:
        for cells in _guard(rest):
            cells = list(cells)
            if not any(cell_text(c) for c in cells):
                continue
            n += 1
            text = ", ".join(t for t in (cell_text(cells[i]) if i < len(cells) else "" for i in cols) if t)
            try:
                r = resolve(idx, text, as_of=as_of, reverse=reverse)
                extra = result_cells(r)
                status = r.status
            except Exception as exc:  # one bad row never stops the file
                extra = ["", "", "", "", NOT_FOUND, "", _("This row could not be read (%(error)s).")
                         % {"error": type(exc).__name__}]
                status = NOT_FOUND
            counts[status] += 1
            writer.append(cells + [""] * (width - len(cells)) + extra)
            if n % CHECK_EVERY == 0:
                if check:
                    check()
                if progress:
                    progress(n, total)
    finally:
        writer.close()
    if progress:
        progress(n, n)
    return {"rows": n, "by_status": dict(counts)}


def _guard(rows: Iterable):
    try:
        yield from rows
    except FileUnreadable as exc:
        raise ValidationError(str(exc), code="unreadable") from None


def output_name(filename: str) -> str:
    base, dot, ext = (filename or "addresses.csv").rpartition(".")
    return f"{base or 'addresses'}-converted.{ext if dot else 'csv'}"
