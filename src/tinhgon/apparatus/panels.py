"""The apparatus's panels on the scope dashboard."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard
from tinhgon.core.rulesets import NoRuleSet

from . import selectors


def units_panel(request) -> dict:
    """Units per level today, inside the user's scopes (the whole country for the unrestricted)."""
    today = dt.date.today()
    roots = dashboard.scope_roots(request.user)
    totals: dict[str, dict] = {}
    for root in roots if roots is not None else [None]:
        for row in selectors.level_counts_as_of(today, root_path=root):
            t = totals.setdefault(row["code"], {**row, "count": 0})
            t["count"] += row["count"]
    rows = [r for r in sorted(totals.values(), key=lambda r: r["rank"]) if r["count"]]
    return {"rows": rows, "today": today}


def roadmap_panel(request) -> dict | None:
    """The payroll roadmap's total inside the user's scopes (hidden when no quota is visible)."""
    try:
        roadmap = selectors.payroll_roadmap(request.user)
    except NoRuleSet:
        return None
    if not roadmap.rows:
        return None
    return {"roadmap": roadmap,
            "reduction_pct": None if roadmap.total_reduction is None else round(roadmap.total_reduction * 100, 2),
            "minimum_pct": round(roadmap.min_reduction * 100, 2),
            "units": len(roadmap.rows), "meeting": sum(1 for r in roadmap.rows if r.meets)}


def register() -> None:
    dashboard.register(dashboard.Panel(key="apparatus.units", title=_("Apparatus today"),
                                       template="apparatus/panels/units.html", context=units_panel, order=10))
    dashboard.register(dashboard.Panel(key="apparatus.roadmap", title=_("Payroll roadmap"),
                                       template="apparatus/panels/roadmap.html", context=roadmap_panel, order=40))
