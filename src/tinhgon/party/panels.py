"""The party panel on the scope dashboard: members, new members this year and the development rate."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from . import rules, selectors


def party_panel(request) -> dict | None:
    year = timezone.localdate().year
    (_y, new, at_start), = selectors.admissions_by_year(years=[year], prefixes=selectors.scope_prefixes(request.user))
    if not new and not at_start:
        return None
    rate = rules.development_rate(new, at_start)
    return {"year": year, "new": new, "at_start": at_start, "rate": None if rate is None else round(rate * 100, 2)}


def register() -> None:
    dashboard.register(dashboard.Panel(key="party.development", title=_("Party development"),
                                       template="party/panels/development.html", context=party_panel, order=52))
