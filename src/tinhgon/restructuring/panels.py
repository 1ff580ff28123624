"""Restructuring's panel on the scope dashboard: the plans that concern the user's scopes."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard

from .models import Plan


def plans_concerning(user):
    """Plans whose scope overlaps the user's scopes (national plans concern everyone)."""
    qs = Plan.objects.all()
    roots = dashboard.scope_roots(user)
    if roots is None:
        return qs
    cond = Q(scope_path="")
    for root in roots:
        cond |= Q(scope_path__startswith=root)
        ancestors = [root[: i + 1] for i, ch in enumerate(root) if ch == "/"]
        cond |= Q(scope_path__in=ancestors)
    return qs.filter(cond)


def plans_panel(request) -> dict | None:
    qs = plans_concerning(request.user)
    counts = Counter(qs.values_list("status", flat=True))
    if not counts:
        return None
    labels = dict(Plan.STATUSES)
    return {"counts": [(labels[s], counts.get(s, 0), s) for s, _label in Plan.STATUSES if counts.get(s)],
            "recent": list(qs.order_by("-effective_date", "-id")[:5])}


def register() -> None:
    dashboard.register(dashboard.Panel(key="restructuring.plans", title=_("Restructuring plans"),
                                       template="restructuring/panels/plans.html", context=plans_panel, order=20))
