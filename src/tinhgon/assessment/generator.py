"""Synthetic assessment cycles for the demo and for scale.

For each province holding cadres (``--within`` narrows them), an annual cycle of the year before
``today`` — computed from the tasks, reviewed, through the council and approved — and a quarterly
cycle of the last quarter ended before ``today``, computed and waiting for the direct leaders'
review, most of whose general points (Decree 335) are entered.  Every cadre with a unit is in the
cycle of their province, those pending placement included (they wait at a unit of the province).
Re-running with the same seed adds nothing (the cycles carry it in their note).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .models import Cycle, Result


@dataclass
class Generated:
    cycles: int = 0
    results: int = 0
    skipped: bool = False


def _last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    q = (today.month - 1) // 3  # the current quarter, 0-based; the last one ended is q - 1
    year = today.year if q > 0 else today.year - 1
    q = q - 1 if q > 0 else 3
    start = dt.date(year, 3 * q + 1, 1)
    end = (dt.date(year, 3 * q + 4, 1) if q < 3 else dt.date(year + 1, 1, 1)) - dt.timedelta(days=1)
    return start, end


def _province(segment: str, day: dt.date):
    from tinhgon.apparatus.models import Unit
    from tinhgon.core.dated import valid_on

    qs = Unit.objects.filter(path=segment)
    return qs.filter(valid_on(day)).first() or qs.order_by("-valid_from").first()


def generate_assessments(*, seed: int = 1, within: list[str] | None = None, today: dt.date | None = None,
                         reviewed_share: float = 0.9, progress: Callable[[int], None] | None = None) -> Generated:
    from tinhgon.cadres.models import Cadre

    today = today or timezone.localdate()
    marker = f"generated seed={seed}"
    if Cycle.objects.filter(note=marker).exists():
        return Generated(skipped=True)
    rng = random.Random(seed)
    segments = sorted({p.split("/")[0] + "/" for p in Cadre.objects.exclude(unit_path="").exclude(unit=None)
                       .values_list("unit_path", flat=True).distinct() if p})
    if within:
        segments = [s for s in segments if s[:-1] in within or any(s.startswith(w + "/") for w in within)]
    out = Generated()
    year = today.year - 1
    q_start, q_end = _last_quarter(today)
    for segment in segments:
        unit = _province(segment, dt.date(year, 12, 31))
        if unit is None:
            continue
        with transaction.atomic():
            annual = services.cycle_create(user=None, unit=unit, kind=Cycle.ANNUAL, period_start=dt.date(year, 1, 1),
                                           period_end=dt.date(year, 12, 31), note=marker)
            services.cycle_compute(user=None, cycle=annual)
            services.cycle_advance(user=None, cycle=annual)
            _review(annual, rng, share=1.0)
            services.cycle_compute(user=None, cycle=annual)
            services.cycle_advance(user=None, cycle=annual)
            services.cycle_approve(user=None, cycle=annual)
            out.cycles += 1
            out.results += Result.objects.filter(cycle=annual).count()
        if q_end < dt.date(2026, 1, 1):
            continue
        quarter_unit = _province(segment, q_end) or unit
        with transaction.atomic():
            quarter = services.cycle_create(user=None, unit=quarter_unit, kind=Cycle.QUARTERLY, period_start=q_start,
                                            period_end=q_end, note=marker)
            services.cycle_compute(user=None, cycle=quarter)
            services.cycle_advance(user=None, cycle=quarter)
            _review(quarter, rng, share=reviewed_share)
            services.cycle_compute(user=None, cycle=quarter)
            out.cycles += 1
            out.results += Result.objects.filter(cycle=quarter).count()
        if progress:
            progress(out.cycles)
    return out


REMARKS = ["Chấp hành tốt chủ trương, đường lối của Đảng; tinh thần trách nhiệm cao.",
           "Có ý thức tổ chức kỷ luật; cần chủ động hơn trong tham mưu.",
           "Đoàn kết, phối hợp tốt với đồng nghiệp; tác phong chuẩn mực.",
           "Còn chậm trong triển khai một số nhiệm vụ được giao."]


def _review(cycle: Cycle, rng: random.Random, *, share: float) -> None:
    """The direct leaders' reviews as a reviewer enters them: the general points (Decree 335, out of
    30, mostly 22–30) and a remark, for ``share`` of the people."""
    from .compute import rule_set_of
    from .rules import CRITERIA

    points = rule_set_of(cycle).parameters.get("method") != CRITERIA
    now = timezone.now()
    rows = list(Result.objects.filter(cycle=cycle).order_by("id"))
    chosen = []
    for r in rows:
        if rng.random() > share:
            continue
        r.reviewed_at = now
        r.review_remarks = rng.choice(REMARKS)
        if points:
            r.general_points = Decimal(str(round(min(30.0, max(10.0, rng.gauss(26.5, 2.6))), 1)))
        chosen.append(r)
    fields = ["reviewed_at", "review_remarks"] + (["general_points"] if points else [])
    services.results_update(chosen, fields)
