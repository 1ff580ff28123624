"""Columns of the cadre lists, shared by the pages and their Excel exports.

The personal columns (citizen ID, birth date) are masked with
:func:`selectors.masked` for a user who may not see personal data; the
retirement columns come from the statutory rule (computed per row, pure).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhgon.core.tables import Column, Table

from . import selectors
from .models import Cadre


def _cadre_url(c: Cadre, t) -> str:
    return reverse("cadres:cadre", args=[c.pk])


def _unit_url(c: Cadre, t) -> str | None:
    return reverse("apparatus:unit", args=[c.unit_id]) if c.unit_id else None


class CadreTable(Table):
    """The search results. ``personal`` adds the (masked or not) citizen ID and birth date."""

    title = _("Cadres")

    def __init__(self, user=None, *, personal: bool = False) -> None:
        self.user = user
        self.rule = selectors.retirement_rule()
        self._retirement: dict[int, object] = {}
        base = [
            Column(_("Full name"), lambda c, t: c.full_name, _cadre_url, width=28),
            Column(_("Sex"), lambda c, t: c.get_sex_display(), width=7),
            Column(_("Birth year"), lambda c, t: str(c.birth_year), width=9),
        ]
        if personal:
            base += [
                Column(_("Birth date"), lambda c, t: t.birth_date(c), width=12),
                Column(_("Citizen ID"), lambda c, t: t.masked(c)["citizen_id"], width=15),
            ]
        self.columns = base + [
            Column(_("Current title"), lambda c, t: c.current_title, width=30),
            Column(_("Unit"), lambda c, t: c.unit.name if c.unit_id else "", _unit_url, width=30),
            Column(_("Education"), lambda c, t: c.get_education_level_display(), width=18),
            Column(_("Political theory"), lambda c, t: c.get_political_theory_display(), width=18),
            Column(_("Retirement date"), lambda c, t: t.retirement(c).retirement_date, width=13),
        ]

    def masked(self, c: Cadre) -> dict:
        return selectors.masked(c, self.user)

    def birth_date(self, c: Cadre):
        m = self.masked(c)
        return _("(masked)") if m["masked"] else m["birth_date"]

    def retirement(self, c: Cadre):
        if c.pk not in self._retirement:
            self._retirement[c.pk] = selectors.cadre_retirement(c, rule=self.rule)
        return self._retirement[c.pk]

    def prepare(self, objects: list) -> None:
        self._retirement = {}


class RetiringTable(Table):
    """Rows are (cadre, retirement) pairs, ordered by the retirement date."""

    title = _("Retiring")

    def __init__(self, user=None) -> None:
        self.user = user
        self.columns = [
            Column(_("Full name"), lambda r, t: r[0].full_name, lambda r, t: _cadre_url(r[0], t), width=28),
            Column(_("Sex"), lambda r, t: r[0].get_sex_display(), width=7),
            Column(_("Birth date"), lambda r, t: t.birth(r[0]), width=12),
            Column(_("Current title"), lambda r, t: r[0].current_title, width=30),
            Column(_("Unit"), lambda r, t: r[0].unit.name if r[0].unit_id else "", lambda r, t: _unit_url(r[0], t),
                   width=30),
            Column(_("Retirement date"), lambda r, t: r[1].retirement_date, width=13),
            Column(_("Pension from"), lambda r, t: r[1].pension_start, width=13),
            Column(_("Adjustment (months)"), lambda r, t: r[0].retirement_adjust_months or None, num=True, width=12),
            Column(_("Basis of the adjustment"), lambda r, t: r[0].retirement_adjust_basis, width=30),
        ]

    def birth(self, c: Cadre):
        m = selectors.masked(c, self.user)
        return m["birth_date"] if not m["masked"] else str(c.birth_year)
