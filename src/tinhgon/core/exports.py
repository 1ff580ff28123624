"""Excel export of any list: streamed rows, a header, an info sheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    info: Sequence[tuple[str, str]] = (),
    widths: Sequence[int] | None = None,
) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or _("Sheet"))
    for i, width in enumerate(widths or [max(12, min(45, len(str(h)) + 4)) for h in headers]):
        ws.column_dimensions[_col(i)].width = width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    head = []
    for h in headers:
        c = WriteOnlyCell(ws, value=str(h))
        c.font, c.fill = bold, fill
        head.append(c)
    ws.append(head)
    for row in rows:
        ws.append([_cell(v) for v in row])
    meta = wb.create_sheet(title=_("Info")[:31])
    for k, v in [*info, (_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))]:
        meta.append([str(k), str(v)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(v):
    if v is None or isinstance(v, (int, float, str, dt.date, dt.datetime)):
        return v.replace(tzinfo=None) if isinstance(v, dt.datetime) and v.tzinfo else v
    return str(v)


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
