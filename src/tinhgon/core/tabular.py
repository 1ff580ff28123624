"""Reading tables from uploaded files (CSV or XLSX), streamed and bounded, for every importer.

``read_table`` yields rows (header first) as sequences of cell values without loading
the whole file; the cell helpers turn spreadsheet values into text, dates and numbers
the way Vietnamese offices write them (dd/mm/yyyy dates, "1.234" thousands).  Problems
with the file itself raise :class:`FileUnreadable` with a message for the user — at
once when the file's kind, encoding or archive is wrong, or while the rows are read
when the file passes a limit (:class:`tinhgon.core.uploads.ImportLimits`).

What a file may unpack to is bounded, so a small file cannot hold the server: an XLSX
archive is checked (sizes after decompression, compression ratio) before openpyxl
opens it, the size a sheet declares is not trusted (rows end where its data end, and
trailing blank rows are dropped), and the rows, cells per row, cells in all and the
time spent reading are counted as the rows are read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .text import fold
from .uploads import ImportLimits, import_limits, size_text

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_THOUSANDS = re.compile(r"^\d{1,3}([ .,]\d{3})+$")
# Beyond the row limit, a run of this many blank rows ends the sheet (what follows is not read).
BLANK_RUN_END = 1000
# The compression ratio is checked on archive members larger than this (small ones vary widely).
RATIO_CHECK_FROM = 1024 * 1024
CHECK_CHUNK = 1024 * 1024


class FileUnreadable(ValueError):
    """The file is empty, of an unsupported kind, not decodable or past a limit; the message says which."""


def read_table(fileobj, filename: str = "", limits: ImportLimits | None = None) -> Iterator[Sequence]:
    """The file's rows (header first) as sequences of cell values, read lazily within ``limits``
    (by default those of the settings, :func:`tinhgon.core.uploads.import_limits`)."""
    limits = limits or import_limits()
    head = fileobj.read(8)
    if isinstance(head, str):  # a text stream: read it whole (small files in tests and commands)
        fileobj = io.BytesIO((head + fileobj.read()).encode("utf-8"))
        head = fileobj.read(8)
    fileobj.seek(0)
    if not head or not head.strip():
        raise FileUnreadable(_("The file is empty."))
    name = (filename or "").lower()
    if head.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _bounded(_read_xlsx(fileobj, limits), limits)
    if name.endswith(".xls") or head.startswith(OLE_MAGIC):
        raise FileUnreadable(_("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV (UTF-8)."))
    return _bounded(_read_csv(fileobj, limits), limits)


# XLSX ---------------------------------------------------------------------------------------


def _not_a_workbook() -> FileUnreadable:
    return FileUnreadable(_("The file is neither a readable Excel workbook (.xlsx) nor a CSV file."))


def _check_archive(fileobj, limits: ImportLimits) -> None:
    """Refuse an XLSX whose members would unpack past the limits, before anything is unpacked.

    The sizes are those the archive declares; Python's zipfile never unpacks a member
    past its declared size, so they bound what openpyxl can read.  Workbooks are deflated
    (or stored): other compressions, which zipfile unpacks without a bound per read, are
    refused.
    """
    try:
        members = zipfile.ZipFile(fileobj).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_a_workbook() from None
    if any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in members):
        raise _not_a_workbook()
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise FileUnreadable(_(
            "The workbook unpacks to %(size)s, more than the %(limit)s an import may read. "
            "Split it into smaller files or save it as CSV (UTF-8).")
            % {"size": size_text(total), "limit": size_text(limits.max_unpacked_bytes)})
    for m in members:
        if m.file_size > RATIO_CHECK_FROM and m.file_size > limits.max_compression_ratio * max(m.compress_size, 1):
            raise FileUnreadable(_(
                "The workbook is compressed %(ratio)s times (more than %(limit)s): it is not a spreadsheet "
                "an import reads. Save it again from Excel or as CSV (UTF-8).")
                % {"ratio": m.file_size // max(m.compress_size, 1), "limit": limits.max_compression_ratio})


def _read_xlsx(fileobj, limits: ImportLimits) -> Iterator[Sequence]:
    """The first sheet's rows, values only, in openpyxl's read-only (streaming) mode."""
    from openpyxl import load_workbook

    _check_archive(fileobj, limits)
    fileobj.seek(0)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception:  # zipfile, KeyError, InvalidFileException, no sheet, …
        raise _not_a_workbook() from None
    # The size a sheet declares (<dimension ref="A1:A10000000"/>) is not trusted: openpyxl
    # would pad every row to its width and add blank rows down to its last row.
    ws.reset_dimensions()

    def rows():
        n = 0  # rows read, for the message
        try:
            for cells in ws.iter_rows(values_only=True):
                n += 1
                yield cells
        except Exception:  # broken XML, a bad value, a damaged archive member, …
            raise FileUnreadable(_(
                "The workbook cannot be read after row %(row)s: it is damaged. Save it again from Excel or "
                "as CSV (UTF-8).") % {"row": n}) from None
        finally:
            wb.close()

    return rows()


# CSV ----------------------------------------------------------------------------------------


def _check_csv(fileobj) -> None:
    """Read the whole file once, a megabyte at a time: refuse it, naming the line, unless it
    is UTF-8 text without NUL bytes — before any row reaches an importer."""
    line = 1
    while chunk := fileobj.read(CHECK_CHUNK):
        chunk += fileobj.readline()  # end on a line break, so no character is cut in two
        try:
            chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_(
                "Line %(line)s is not UTF-8 text: the file is neither an Excel workbook (.xlsx) nor a CSV file "
                "in UTF-8. In Excel, save as \"CSV UTF-8\".") % {"line": line + chunk.count(b"\n", 0, exc.start)}
            ) from None
        if b"\x00" in chunk:
            raise FileUnreadable(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."))
        line += chunk.count(b"\n")
    fileobj.seek(0)


def _read_csv(fileobj, limits: ImportLimits) -> Iterator[Sequence]:
    """The rows of a UTF-8 CSV file, comma or semicolon separated (whichever the header uses)."""
    _check_csv(fileobj)
    lines = (raw.decode("utf-8") for raw in fileobj)
    lines = itertools.chain([next(lines, "").removeprefix("\ufeff")], lines)
    read: list[str] = []  # the lines up to the header (leading blank ones included)
    for line in lines:
        read.append(line)
        if line.strip():
            break
    header = read[-1] if read else ""
    if not header.strip():
        raise FileUnreadable(_("The file is empty."))
    delimiter = ";" if header.count(";") > header.count(",") else ","

    def checked(source: Iterable[str]) -> Iterator[str]:
        for n, line in enumerate(source, start=1):
            if line.count(delimiter) >= limits.max_columns:
                raise FileUnreadable(_("Line %(line)s has more than %(n)s columns.")
                                     % {"line": n, "n": _count(limits.max_columns)})
            yield line

    reader = csv.reader(checked(itertools.chain(read, lines)), delimiter=delimiter)

    def rows():
        try:
            yield from reader
        except csv.Error as exc:
            raise FileUnreadable(_("The CSV file cannot be read at line %(line)s: %(error)s")
                                 % {"line": reader.line_num, "error": exc}) from None

    return rows()


# Limits -------------------------------------------------------------------------------------


def _count(n: int) -> str:
    """A limit as the reader's language writes it (``200,000``, ``200.000``)."""
    return number_format(n, force_grouping=True)


def _blank(cells: Sequence) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _bounded(rows: Iterator[Sequence], limits: ImportLimits) -> Iterator[Sequence]:
    """``rows`` within the limits, numbered as in the file; trailing blank rows are dropped.

    Blank rows are held back until a row with data follows, so a sheet that ends in a
    million blank rows costs only reading them; past the row limit a run of
    :data:`BLANK_RUN_END` blank rows ends the sheet, and any row with data is refused.
    The time counted is the time spent reading, not the importer's.
    """
    n = cells_total = blank_run = 0
    spent, started = 0.0, time.monotonic()
    for cells in rows:
        n += 1
        if len(cells) > limits.max_columns:
            raise FileUnreadable(_("Row %(row)s has more than %(n)s columns.") % {"row": n, "n": _count(limits.max_columns)})
        blank = _blank(cells)
        if blank:
            blank_run += 1
            if n > limits.max_rows and blank_run >= BLANK_RUN_END:
                return
        elif n > limits.max_rows:
            raise FileUnreadable(_("The file has more than %(n)s rows: split it into smaller files.")
                                 % {"n": _count(limits.max_rows)})
        cells_total += len(cells)
        if cells_total > limits.max_cells:
            raise FileUnreadable(_("The file has more than %(n)s cells: split it into smaller files.")
                                 % {"n": _count(limits.max_cells)})
        spent += time.monotonic() - started
        if spent > limits.max_seconds:
            raise FileUnreadable(_("Reading the file took longer than %(n)s seconds: split it into smaller files.")
                                 % {"n": int(limits.max_seconds)})
        if not blank:
            yield from itertools.repeat((), blank_run)
            blank_run = 0
            yield cells
        started = time.monotonic()


def split_header(table: Iterable[Sequence]) -> tuple[list | None, int, Iterator[Sequence]]:
    """The first non-empty row (the header), its row number, and the rest of the rows."""
    it = iter(table)
    row = 0
    for cells in it:
        row += 1
        if any(cell_text(c) for c in cells):
            return list(cells), row, it
    return None, row, it


def header_key(value) -> str:
    """A header folded for matching: accents, case, underscores and dashes do not matter."""
    text = fold(str(value or "")).replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text).strip(" .:*")


# Cells ------------------------------------------------------------------------------------


def cell_text(value, *, dates_iso: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if dates_iso and isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()


def cell_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Invalid date %(value)r: write YYYY-MM-DD or dd/mm/yyyy.") % {"value": text})


def cell_float(value) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = cell_text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(_("Invalid number %(value)r.") % {"value": cell_text(value)}) from None


def cell_int(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if _THOUSANDS.match(text):
        text = re.sub(r"[ .,]", "", text)
    try:
        return int(text)
    except ValueError:
        raise ValueError(_("Invalid whole number %(value)r.") % {"value": text}) from None


def read_table_or_refuse(fileobj, filename: str, refuse) -> Iterator[Sequence]:
    """:func:`read_table`, turning every :class:`FileUnreadable` — raised at once or while
    the rows are read — into ``refuse(message)``, the caller's own error."""
    try:
        rows = read_table(fileobj, filename)
    except FileUnreadable as exc:
        raise refuse(str(exc)) from None

    def guarded():
        try:
            yield from rows
        except FileUnreadable as exc:
            raise refuse(str(exc)) from None

    return guarded()


# The import skeleton: columns, header, rows, errors ----------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of an import, by spreadsheet row (None: the file as a whole) and column."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row is not None else ""
        return f"{where} [{self.field}]: {self.message}" if where else f"[{self.field}]: {self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.field, "message": self.message}


@dataclass(frozen=True)
class Columns:
    """What an importer declares: its column names, how a header names them, which are required.

    ``column_for(label)`` turns a header cell (any case, accents optional, Vietnamese or
    English) into a column name, or None for an unknown header; ``required`` lists the
    columns a file must have.  ``known`` (default ``names``) is what an error lists.
    """

    names: Sequence[str]
    column_for: Callable[[str], str | None]
    required: Sequence[str] = ()
    known: str = ""

    def listed(self) -> str:
        return self.known or ", ".join(self.names)


def map_header(table: Iterable[Sequence], columns: Columns) -> tuple[dict[str, int], int, Iterator[Sequence],
                                                                      list[RowError]]:
    """The header of ``table`` mapped to ``columns``: ``(index, header_row, rows, errors)``.

    Every unknown, repeated or missing column is an error on the header row; an empty
    file is an error of the file.
    """
    header, header_row, it = split_header(table)
    if header is None:
        return {}, header_row, it, [RowError(None, "file", _("The file is empty."))]
    errors: list[RowError] = []
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        label = cell_text(cell)
        if not label:
            continue
        column = columns.column_for(label)
        if column is None:
            errors.append(RowError(header_row, label, _("Unknown column %(column)r. Columns: %(columns)s.")
                                   % {"column": label, "columns": columns.listed()}))
        elif column in index:
            errors.append(RowError(header_row, column, _("Column %(column)s appears twice.") % {"column": column}))
        else:
            index[column] = i
    for column in columns.required:
        if column not in index:
            errors.append(RowError(header_row, column, _("Missing column %(column)s.") % {"column": column}))
    return index, header_row, it, errors


def data_rows(rows: Iterable[Sequence], index: dict[str, int], header_row: int, *,
              max_rows: int | None = None, errors: list[RowError] | None = None) -> Iterator[tuple[int, dict]]:
    """``(spreadsheet row, {column: cell})`` for each non-blank row after the header.

    With ``max_rows``, the row past the limit is an error (appended to ``errors``) and
    reading stops there.
    """
    count = 0
    for n, cells in enumerate(rows, start=header_row + 1):
        values = {c: (cells[i] if i < len(cells) else None) for c, i in index.items()}
        if not any(cell_text(v) for v in values.values()):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            if errors is not None:
                errors.append(RowError(n, "file", _("Too many rows: at most %(n)s per file.") % {"n": max_rows}))
            return
        yield n, values


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    """File errors first, then by row."""
    return sorted(errors, key=lambda e: (e.row is not None, e.row or 0))


def errors_workbook(errors: Iterable[RowError | dict], filename: str = "") -> bytes:
    """The error report of an import as a workbook: row, column, message (and the file's name)."""
    from .exports import workbook_bytes

    rows = []
    for e in errors:
        if isinstance(e, RowError):
            rows.append((e.row, e.field, e.message))
        else:
            rows.append((e.get("row"), e.get("column", e.get("field")), e.get("message")))
    return workbook_bytes("errors", [_("Row"), _("Column"), _("Message")], rows,
                          info=[(_("File"), filename), (_("Errors"), str(len(rows)))], widths=[8, 22, 100])
