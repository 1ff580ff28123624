"""Tables shared by the HTML lists and their Excel exports, for every app.

One :class:`Table` describes the columns once; ``html_rows`` formats them for a page
(dates dd/mm/yyyy, numbers with Vietnamese separators, links) and ``xlsx`` writes the
raw values (real dates and numbers) to a workbook through :mod:`tinhgon.core.exports`,
which neutralizes formula prefixes.  :func:`export_response` answers a list page's
``?export=xlsx`` with the filters written on the info sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .exports import workbook_bytes, xlsx_response

PAGE_SIZE = 50


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """Vietnamese separators: 1.234.567 and 12,5."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.date):
        return fmt_date(value)
    if isinstance(value, int):
        return fmt_number(value)
    if isinstance(value, float):
        return fmt_number(value, 2)
    return str(value)


@dataclass(frozen=True)
class Column:
    label: Any
    value: Callable[[Any, Table], Any]
    link: Callable[[Any, Table], str | None] | None = None
    num: bool = False
    width: int = 16


class Table:
    columns: list[Column] = []
    title: str = "List"

    def headers(self) -> list[dict]:
        return [{"label": c.label, "num": c.num} for c in self.columns]

    def prepare(self, objects: list) -> None:
        """Batch look-ups the columns need (one query per page, not per row)."""

    def html_rows(self, objects: Iterable) -> list[list[dict]]:
        objects = list(objects)
        self.prepare(objects)
        return [
            [{"text": fmt(c.value(o, self)), "url": c.link(o, self) if c.link else None, "num": c.num}
             for c in self.columns]
            for o in objects
        ]

    def export_rows(self, objects: Iterable, chunk: int = 2000):
        batch: list = []
        for o in objects:
            batch.append(o)
            if len(batch) >= chunk:
                yield from self._raw(batch)
                batch = []
        if batch:
            yield from self._raw(batch)

    def _raw(self, batch: list):
        self.prepare(batch)
        for o in batch:
            yield [_excel(c.value(o, self)) for c in self.columns]

    def xlsx(self, objects: Iterable, *, info: list[tuple[str, str]] = ()) -> bytes:
        return workbook_bytes(
            str(self.title), [str(c.label) for c in self.columns], self.export_rows(objects),
            info=info, widths=[c.width for c in self.columns],
        )


def _excel(value: Any) -> Any:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if value is None or isinstance(value, (int, float, dt.date)):
        return value
    return str(value)


def paginate(request, queryset, size: int = PAGE_SIZE, param: str = "page"):
    """One page of ``queryset`` from ``?page=`` (``last``, a bad or a too large number: the last page)."""
    paginator = Paginator(queryset, size)
    number = request.GET.get(param)
    return paginator.get_page(paginator.num_pages if number == "last" else number)


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def export_response(table: Table, objects, filename: str, *, request, info: Iterable[tuple[str, str]] = ()):
    """The XLSX download of a list: the table's columns, and who exported it with which filters."""
    # The query string is echoed as typed, minus the control characters a workbook cannot hold.
    filters = [(ILLEGAL_CHARACTERS_RE.sub("", k), ILLEGAL_CHARACTERS_RE.sub("", v))
               for k, v in request.GET.items() if k not in {"export", "page"} and v]
    meta = [(_gettext("List"), str(table.title)), (_gettext("Exported by"), request.user.get_username()), *info,
            *[(_gettext("Filter %(name)s") % {"name": k}, v) for k, v in filters]]
    return xlsx_response(filename, table.xlsx(objects, info=meta))
