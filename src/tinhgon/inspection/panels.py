"""The inspection panel on the scope dashboard: inspections and supervisions held this year."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from . import selectors


def inspection_panel(request) -> dict | None:
    user = request.user
    counts = selectors.year_counts(selectors.inspections_for(user), selectors.recommendations_for(user),
                                   timezone.localdate().year)
    if not counts["total"] and not counts["overdue_recommendations"]:
        return None
    return {"counts": counts}


def register() -> None:
    dashboard.register(dashboard.Panel(key="inspection.summary", title=_("Inspection and supervision this year"),
                                       template="inspection/panels/summary.html", context=inspection_panel, order=50))
