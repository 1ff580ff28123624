""""Some up, some down" (có lên, có xuống): the three lists of a scope, read through restrict.

* **Top performers not in a planning pool**: rated excellent in an approved cycle that ended in
  the twelve months up to the reading date, with no active planning-pool entry.
* **Not completed two years in a row**: rated "not completed" in approved annual cycles of two
  consecutive years (the trigger for the demotion or dismissal review, Law 80/2025, Art. 27).
* **Leaders whose unit completes under 50%**: heads of units whose task completion in a
  cycle's period is under 50% (the latest computed cycle of the scope).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef

from tinhgon.core.scoping import restrict

from . import rules
from .models import Cycle, Result, UnitResult

LIMIT = 500


def _results(user, scope_path: str):
    qs = Result.objects.filter(cycle__status=Cycle.APPROVED)
    if scope_path:
        qs = qs.filter(unit_path__startswith=scope_path)
    return restrict(qs, user, "view")


def top_not_in_pool(user, *, scope_path: str = "", on: dt.date | None = None, limit: int = LIMIT) -> list[Result]:
    from tinhgon.cadres.models import PoolEntry

    day = on or dt.date.today()
    pooled = PoolEntry.objects.filter(cadre_id=OuterRef("cadre_id"), status=PoolEntry.ACTIVE)
    qs = (_results(user, scope_path)
          .filter(level=rules.EXCELLENT, cycle__period_end__lte=day,
                  cycle__period_end__gt=day - dt.timedelta(days=366))
          .exclude(Exists(pooled))
          .select_related("cadre", "body", "cycle").order_by("-cycle__period_end", "-score", "cadre__full_name"))
    seen, out = set(), []
    for r in qs[: limit * 4]:
        if r.cadre_id not in seen:
            seen.add(r.cadre_id)
            out.append(r)
        if len(out) >= limit:
            break
    return out


def not_completed_twice(user, *, scope_path: str = "", on: dt.date | None = None,
                        limit: int = LIMIT) -> list[tuple[Result, Result]]:
    """(this year's result, last year's) for each person rated "not completed" in both."""
    day = on or dt.date.today()
    qs = (_results(user, scope_path)
          .filter(level=rules.NOT_COMPLETED, cycle__kind=Cycle.ANNUAL, cycle__period_end__lte=day)
          .select_related("cadre", "body", "cycle").order_by("cadre_id", "-cycle__period_end"))
    by_cadre: dict[int, dict[int, Result]] = defaultdict(dict)
    for r in qs[:100000]:
        by_cadre[r.cadre_id].setdefault(r.cycle.period_end.year, r)
    out = []
    for years in by_cadre.values():
        for year in sorted(years, reverse=True):
            if year - 1 in years:
                out.append((years[year], years[year - 1]))
                break
    out.sort(key=lambda p: (-p[0].cycle.period_end.toordinal(), p[0].cadre.full_name))
    return out[:limit]


def latest_cycle(user, *, scope_path: str = "", on: dt.date | None = None) -> Cycle | None:
    day = on or dt.date.today()
    qs = restrict(Cycle.objects.exclude(computed_at=None).filter(period_end__lte=day), user, "view")
    if scope_path:
        qs = qs.filter(scope_path__startswith=scope_path) | qs.filter(
            scope_path__in=[scope_path[:i + 1] for i, ch in enumerate(scope_path) if ch == "/"])
    return qs.order_by("-period_end", "-id").first()


def weak_unit_leaders(user, *, scope_path: str = "", cycle: Cycle | None = None, on: dt.date | None = None,
                      limit: int = LIMIT) -> tuple[Cycle | None, list[UnitResult]]:
    cycle = cycle or latest_cycle(user, scope_path=scope_path, on=on)
    if cycle is None:
        return None, []
    threshold = 50
    qs = UnitResult.objects.filter(cycle=cycle, completion__lt=threshold, head__isnull=False)
    if scope_path:
        qs = qs.filter(unit_path__startswith=scope_path)
    qs = restrict(qs, user, "view").select_related("unit", "head").order_by("completion", "unit_path")
    return cycle, list(qs[:limit])
