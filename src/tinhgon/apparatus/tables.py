"""The apparatus's tables (units, positions, payroll quotas), on the kit of :mod:`tinhgon.core.tables`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhgon.core.tables import Column, Table

from .models import Unit


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
