"""Reads of assessment results shared by pages, the API, exports and other apps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .models import Cycle, Result

CHUNK = 5000


def latest_results(cadre_ids: Iterable[int], *, as_of: dt.date | None = None) -> dict[int, dict]:
    """For each cadre id with a result in an APPROVED cycle whose period ends on or before
    ``as_of`` (default today): the latest such result, as ``{"level", "score", "cycle" (the
    cycle's label), "period_end", "rule_set" (code), "result_id"}``.  Cadres without one are
    absent.  One query per 5,000 ids; the latest is the one whose period ends last (then the
    cycle and result created last)."""
    day = as_of or dt.date.today()
    ids = sorted({int(i) for i in cadre_ids})
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        rows = (Result.objects
                .filter(cadre_id__in=ids[start:start + CHUNK], cycle__status=Cycle.APPROVED,
                        cycle__period_end__lte=day)
                .exclude(level="")
                .order_by("cadre_id", "-cycle__period_end", "-cycle_id", "-id")
                .values_list("cadre_id", "level", "score", "cycle__label", "cycle__period_end", "rule_set",
                             "cycle__rule_set", "id"))
        for cadre_id, level, score, label, end, rule_set, cycle_rule_set, pk in rows:
            if cadre_id in found:
                continue
            found[cadre_id] = {"level": level, "score": float(score) if score is not None else None,
                               "cycle": label, "period_end": end, "rule_set": rule_set or cycle_rule_set,
                               "result_id": pk}
    return found
