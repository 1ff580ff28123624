"""The tasks' panel on the scope dashboard: this quarter's accounting, overdue, waiting for acceptance."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard
from tinhgon.core.scoping import restrict

from . import rules, selectors
from .models import Task


def tasks_panel(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    qs = selectors.tasks_for(user)
    period = rules.current_quarter(today)
    counts = selectors.accounting(qs, period, today)[0]
    if not counts.assigned:
        return None
    waiting = (restrict(Task.objects.filter(status=Task.SUBMITTED), user, "approve").count()
               if user.may("approve") else None)
    return {"counts": counts, "period": period, "waiting": waiting, "today": today}


def register() -> None:
    dashboard.register(dashboard.Panel(key="tasks.summary", title=_("Tasks this quarter"),
                                       template="tasks/panels/summary.html", context=tasks_panel, order=40))
