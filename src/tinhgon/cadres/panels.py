"""The cadres' panel on the scope dashboard: how many, retiring soon, pending placement."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard
from tinhgon.core.rulesets import NoRuleSet
from tinhgon.core.scoping import restrict

from . import selectors
from .models import Assignment, Cadre


def cadres_panel(request) -> dict | None:
    user = request.user
    cadres = restrict(Cadre.objects.all(), user)
    total = cadres.count()
    if not total:
        return None
    try:
        retiring = selectors.cadre_search(user, selectors.CadreQuery(retiring_within_months=12)).count()
    except NoRuleSet:
        retiring = None
    pending = restrict(Assignment.objects.filter(status=Assignment.PENDING, valid_to__isnull=True), user).count()
    return {"total": total, "retiring": retiring, "pending": pending, "today": dt.date.today()}


def register() -> None:
    dashboard.register(dashboard.Panel(key="cadres.summary", title=_("Cadres"),
                                       template="cadres/panels/summary.html", context=cadres_panel, order=30))
