"""The good models' panel on the scope dashboard: how many, this year, by field."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from . import selectors


def good_models_panel(request) -> dict | None:
    qs = selectors.good_models_for(request.user)
    total = qs.count()
    if not total:
        return None
    year = timezone.localdate().year
    return {"total": total, "this_year": qs.filter(year=year).count(), "year": year,
            "fields": selectors.counts_by_field(qs)[:3]}


def register() -> None:
    dashboard.register(dashboard.Panel(key="emulation.good_models", title=_("Good models and practices"),
                                       template="emulation/panels/summary.html", context=good_models_panel, order=46))
