"""The petitions' panel on the scope dashboard: hot-spot alerts with their evidence, overdue and
due-soon matters."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from . import selectors


def hotspots_panel(request) -> dict | None:
    user = request.user
    today = timezone.localdate()
    spots = list(selectors.hotspots_for(user, status="open").order_by("-updated_on", "-id")[:5])
    lists = selectors.deadline_lists(user, today, per_unit=False)
    overdue, soon = lists["overdue"].count(), lists["soon"].count()
    if not spots and not overdue and not soon:
        return None
    return {"spots": spots, "overdue": overdue, "soon": soon, "today": today}


def register() -> None:
    dashboard.register(dashboard.Panel(key="petitions.hotspots", title=_("Petitions and hot spots"),
                                       template="petitions/panels/hotspots.html", context=hotspots_panel,
                                       order=35, wide=True))
