"""Reading tables from uploaded files (CSV or XLSX), streamed, for every importer.

``read_table`` yields rows (header first) as sequences of cell values without loading
the whole file; the cell helpers turn spreadsheet values into text, dates and numbers
the way Vietnamese offices write them (dd/mm/yyyy dates, "1.234" thousands).  Problems
with the file itself raise :class:`FileUnreadable` with a message for the user.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext as _

from .text import fold

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_THOUSANDS = re.compile(r"^\d{1,3}([ .,]\d{3})+$")


class FileUnreadable(ValueError):
    """The file is empty, of an unsupported kind or not decodable; the message says which."""


def read_table(fileobj, filename: str = "") -> Iterator[Sequence]:
    """The file's rows (header first) as sequences of cell values, read lazily."""
    head = fileobj.read(8)
    if isinstance(head, str):  # a text stream: read it whole (small files in tests and commands)
        fileobj = io.BytesIO((head + fileobj.read()).encode("utf-8"))
        head = fileobj.read(8)
    fileobj.seek(0)
    if not head or not head.strip():
        raise FileUnreadable(_("The file is empty."))
    name = (filename or "").lower()
    if head.startswith(XLSX_MAGIC) or name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(fileobj)
    if name.endswith(".xls") or head.startswith(OLE_MAGIC):
        raise FileUnreadable(_("Old Excel files (.xls) are not supported: save the file as .xlsx or CSV (UTF-8)."))
    return _read_csv(fileobj)


def _read_xlsx(fileobj) -> Iterator[Sequence]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # zipfile, KeyError, InvalidFileException, …
        raise FileUnreadable(_("The file is neither a readable Excel workbook (.xlsx) nor a CSV file.")) from None

    def rows():
        try:
            yield from wb.worksheets[0].iter_rows(values_only=True)
        finally:
            wb.close()

    return rows()


def _read_csv(fileobj) -> Iterator[Sequence]:
    def lines():
        first = True
        for raw in fileobj:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise FileUnreadable(_(
                    "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. "
                    "In Excel, save as \"CSV UTF-8\".")) from None
            if first:
                text, first = text.removeprefix("\ufeff"), False
            if "\x00" in text:
                raise FileUnreadable(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."))
            yield text

    it = lines()
    header = next((line for line in it if line.strip()), None)
    if header is None:
        raise FileUnreadable(_("The file is empty."))
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return csv.reader(itertools.chain([header], it), delimiter=delimiter)


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
