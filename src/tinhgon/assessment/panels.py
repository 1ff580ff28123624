"""The scope dashboard's panel of the assessment: "some up, some down"."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from . import lists


def up_down_panel(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    top = lists.top_not_in_pool(user, on=today, limit=5)
    twice = lists.not_completed_twice(user, on=today, limit=5)
    cycle, weak = lists.weak_unit_leaders(user, on=today, limit=5)
    if not (top or twice or weak):
        return None
    return {"top": top, "twice": twice, "weak": weak, "cycle": cycle}


def register() -> None:
    dashboard.register(dashboard.Panel(key="assessment.up_down", title=_("Some up, some down"),
                                       template="assessment/panels/up_down.html", context=up_down_panel, order=50,
                                       wide=True))
