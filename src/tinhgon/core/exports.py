"""Excel export of any list: streamed rows, a header, an info sheet.

Every value the app writes to a spreadsheet or a CSV file goes through
:func:`safe_cell`: text that a spreadsheet would read as a formula (it begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe,
so a name like ``=HYPERLINK(…)`` is shown as text and never runs (OWASP, "CSV
injection").  Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as it may be written to a spreadsheet or CSV cell: text starting with a
    formula prefix gets a leading ``'``; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    """:func:`safe_cell` over a row."""
    return [safe_cell(v) for v in values]


def write_workbook(
    fh,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    info: Sequence[tuple[str, str]] = (),
    widths: Sequence[int] | None = None,
) -> int:
    """Write an XLSX file to the binary file ``fh``: one sheet of ``rows`` under a bold
    header, and an info sheet (``info`` and the export time); every cell passes through
    :func:`safe_cell`. The rows are streamed (openpyxl's write-only workbook); returns how
    many were written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or _("Sheet"))
    for i, width in enumerate(widths or [max(12, min(45, len(str(h)) + 4)) for h in headers]):
        ws.column_dimensions[_col(i)].width = width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    head = []
    for h in headers:
        c = WriteOnlyCell(ws, value=safe_cell(str(h)))
        c.font, c.fill = bold, fill
        head.append(c)
    ws.append(head)
    n = 0
    for row in rows:
        ws.append([_cell(v) for v in row])
        n += 1
    meta = wb.create_sheet(title=_("Info")[:31])
    for k, v in [*info, (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))]:
        meta.append([_cell(str(k)), _cell(str(v))])
    wb.save(fh)
    return n


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    info: Sequence[tuple[str, str]] = (),
    widths: Sequence[int] | None = None,
) -> bytes:
    """:func:`write_workbook` into memory (lists of a page's size)."""
    buf = io.BytesIO()
    write_workbook(buf, title, headers, rows, info=info, widths=widths)
    return buf.getvalue()


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(v):
    """A value openpyxl writes as it is: numbers, dates (naive) and neutralized text, without
    the control characters a workbook cannot hold (a name or an imported row may carry one:
    openpyxl refused the whole file)."""
    if isinstance(v, dt.datetime) and v.tzinfo:
        return v.replace(tzinfo=None)
    if v is None or isinstance(v, (int, float, Decimal, dt.date, dt.time)):
        return v
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(v)))


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    """``content`` as an XLSX attachment named ``filename``."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
