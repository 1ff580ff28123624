"""Column definitions shared by the HTML lists and their Excel exports.

One :class:`Table` describes the columns once; ``html_rows`` formats them for a
page (dates dd/mm/yyyy, numbers with Vietnamese separators, links) and ``xlsx``
writes the raw values (real dates and numbers) to a workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhgon.core.exports import workbook_bytes

from .models import Unit


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


def _unit_url(unit_id: int | None) -> str | None:
    return reverse("apparatus:unit", args=[unit_id]) if unit_id else None


def parent_versions(units: list[Unit]) -> dict[tuple[str, dt.date], Unit]:
    """For each unit, the version of its parent valid on the unit's start (one query)."""
    codes = {u.parent_code for u in units if u.parent_code}
    if not codes:
        return {}
    versions: dict[str, list[Unit]] = defaultdict(list)
    for p in Unit.objects.filter(code__in=codes).only("id", "code", "name", "valid_from", "valid_to", "path"):
        versions[p.code].append(p)
    out = {}
    for u in units:
        for p in versions.get(u.parent_code, ()):
            if p.is_valid_on(u.valid_from) and u.path.startswith(p.path):
                out[(u.code, u.valid_from)] = p
                break
    return out


class UnitTable(Table):
    title = _("Units")

    def __init__(self) -> None:
        self.parents: dict = {}

    def prepare(self, objects: list) -> None:
        self.parents = parent_versions(objects)

    def parent(self, u: Unit) -> Unit | None:
        return self.parents.get((u.code, u.valid_from))

    columns = [
        Column(_("Name"), lambda u, t: u.name, lambda u, t: _unit_url(u.pk), width=36),
        Column(_("Code"), lambda u, t: u.code, width=10),
        Column(_("Kind"), lambda u, t: u.kind.name, width=22),
        Column(_("Level"), lambda u, t: u.level.name, width=14),
        Column(_("Parent unit"), lambda u, t: p.name if (p := t.parent(u)) else "",
               lambda u, t: _unit_url(p.pk) if (p := t.parent(u)) else None, width=32),
        Column(_("Parent code"), lambda u, t: u.parent_code, width=10),
        Column(_("Valid from"), lambda u, t: u.valid_from, width=12),
        Column(_("Last valid day"), lambda u, t: u.last_valid_day, width=12),
    ]


class PositionTable(Table):
    title = _("Positions")
    columns = [
        Column(_("Title"), lambda p, t: p.title, lambda p, t: reverse("apparatus:position", args=[p.pk]), width=36),
        Column(_("Unit"), lambda p, t: p.unit.name, lambda p, t: _unit_url(p.unit_id), width=36),
        Column(_("Unit code"), lambda p, t: p.unit.code, width=10),
        Column(_("Seats"), lambda p, t: p.count, num=True, width=8),
        Column(_("Leadership"), lambda p, t: p.is_leadership, width=10),
        Column(_("Order"), lambda p, t: p.order, num=True, width=8),
    ]


class PayrollQuotaTable(Table):
    title = _("Payroll quotas")
    columns = [
        Column(_("Unit"), lambda q, t: q.unit.name, lambda q, t: _unit_url(q.unit_id), width=36),
        Column(_("Unit code"), lambda q, t: q.unit.code, width=10),
        Column(_("Year"), lambda q, t: str(q.year), lambda q, t: reverse("apparatus:quota", args=[q.pk]), width=8),
        Column(_("Category"), lambda q, t: q.get_category_display(), width=28),
        Column(_("Quota"), lambda q, t: q.quota, num=True, width=10),
        Column(_("Decision"), lambda q, t: q.decision, width=30),
    ]
