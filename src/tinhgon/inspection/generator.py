"""Synthetic inspection work (``tinhgon generate-inspections``): for each province within the
codes given, the inspection commission's plan for the reading date's year and inspections and
supervisions at every stage — planned, in progress with findings, concluded (with violations,
reprimands on party members that land on their cadre records, recommendations, some overdue),
one party cell inspected twice with findings (the early warning shows it). Everything goes
through the services, as a user's work would. The same seed adds nothing a second time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from tinhgon.core.dated import valid_on

from . import services
from .models import Inspection, InspectionPlan

THEMES = ["Thực hiện Quy chế làm việc và nguyên tắc tập trung dân chủ",
          "Quản lý, sử dụng tài chính, tài sản của Đảng; thu, nộp đảng phí",
          "Kê khai tài sản, thu nhập của cán bộ thuộc diện quản lý",
          "Thực hiện chức trách, nhiệm vụ được giao sau sắp xếp tổ chức bộ máy",
          "Công tác phát triển đảng viên và sinh hoạt chi bộ"]
TOPICS = ["Sinh hoạt chi bộ không đúng định kỳ", "Thu, nộp đảng phí chưa đầy đủ", "Hồ sơ đảng viên chưa cập nhật",
          "Kê khai tài sản chưa trung thực", "Chậm triển khai nghị quyết của cấp trên",
          "Quản lý đất đai còn sai sót"]


@dataclass
class Result:
    plans: int = 0
    inspections: int = 0
    measures: int = 0
    recommendations: int = 0
    skipped: bool = False


def _commission(root, today):
    from tinhgon.apparatus.models import Unit

    return Unit.objects.filter(valid_on(today), code=f"{root.code}-TU-UBKT").first()


def generate_inspections(*, count: int, seed: int = 1, within: list[str] | None = None, today: dt.date | None = None,
                         progress: Callable[[int], None] | None = None, **_ignored) -> Result:
    """About ``count`` inspections and supervisions per province (at least eight)."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Assignment, Cadre
    from tinhgon.party.models import PartyMember

    today = today or dt.date.today()
    rng = random.Random(seed)
    marker = f"Dữ liệu mẫu (generate-inspections seed {seed})"
    result = Result()
    if InspectionPlan.objects.filter(note=marker).exists():
        result.skipped = True
        return result
    year = today.year
    year_start = dt.date(year, 1, 1)
    roots = Unit.objects.filter(valid_on(today), depth=0).order_by("code")
    if within:
        roots = roots.filter(code__in=within)
    per_root = max(8, count)
    with transaction.atomic():
        for root in roots:
            commission = _commission(root, today)
            cells = list(Unit.objects.filter(valid_on(today), kind__code="chi-bo", path__startswith=root.path)
                         .order_by("path"))
            if commission is None or len(cells) < 2:
                continue
            team = list(Cadre.objects.filter(unit_path__startswith=commission.path).order_by("pk")[:5])
            plan = services.plan_create(
                commission=commission, year=year, title=f"Chương trình kiểm tra, giám sát năm {year} của "
                f"{commission.name}", themes="\n".join(rng.sample(THEMES, 3)), period_start=year_start,
                period_end=dt.date(year, 12, 31), team=team, note=marker)
            result.plans += 1
            # members who are cadres holding a post: subjects of member inspections
            holders = set(Assignment.objects.filter(valid_on(today), status=Assignment.ACTIVE)
                          .values_list("cadre_id", flat=True))
            members = [m for m in PartyMember.objects.filter(
                organization_path__startswith=root.path, cadre__isnull=False, left_on__isnull=True,
                official_date__lt=year_start).select_related("cadre", "organization").order_by("pk")[:400]
                if m.cadre_id in holders]
            rng.shuffle(members)
            repeated = rng.choice(cells)
            elapsed = max((today - year_start).days, 30)
            for k in range(per_root):
                stage = ("concluded" if k < per_root // 2 else "in_progress" if k < per_root * 3 // 4 else "planned")
                activity = Inspection.SUPERVISION if k % 3 == 2 else Inspection.INSPECTION
                kind = [Inspection.THEMATIC, Inspection.REGULAR, Inspection.SIGNS][k % 3]
                member = members.pop() if (kind == Inspection.SIGNS and members and stage == "concluded") else None
                cell = repeated if k in (0, 1) else (member.organization if member else rng.choice(cells))
                if stage == "planned":
                    start = today + dt.timedelta(days=rng.randint(5, 40))
                    start = min(start, max(today + dt.timedelta(days=1), dt.date(year, 12, 20)))  # within the plan's year
                else:
                    start = year_start + dt.timedelta(days=rng.randint(0, max(1, elapsed - 45)))
                end = start + dt.timedelta(days=rng.randint(20, 45))
                title = (f"{'Giám sát' if activity == Inspection.SUPERVISION else 'Kiểm tra'} "
                         f"{'đảng viên ' + member.full_name if member else cell.name}")
                insp = services.inspection_create(commission=commission, plan=plan, title=title[:300], activity=activity,
                                                  kind=kind, subject_unit=cell, subject_cadre=member.cadre if member else None,
                                                  start=start, end=end, lead=team[0] if team else None)
                result.inspections += 1
                if progress:
                    progress(result.inspections)
                if stage == "planned":
                    continue
                services.inspection_start(inspection=insp, on=start)
                n_findings = 1 if k in (0, 1) else rng.randint(0, 2)
                for j in range(n_findings):
                    services.finding_add(inspection=insp, topic=rng.choice(TOPICS), found_on=min(
                        start + dt.timedelta(days=3 + j * 5), today), severity=rng.choice(["minor", "serious"]))
                if stage == "in_progress":
                    continue
                concluded = min(end, today - dt.timedelta(days=1))
                concluded = max(concluded, start)
                violation = bool(n_findings) or member is not None
                services.inspection_conclude(
                    inspection=insp, on=concluded, violation=violation,
                    conclusion=("Tổ chức đảng và đảng viên được kiểm tra có vi phạm, khuyết điểm; cần kiểm điểm, "
                                "rút kinh nghiệm và khắc phục." if violation else
                                "Thực hiện tốt các nội dung được kiểm tra, giám sát."))
                if member is not None:
                    services.measure_decide(inspection=insp, cadre=member.cadre, measure="khien_trach",
                                            act_date=concluded - dt.timedelta(days=rng.randint(60, 500)),
                                            decision_date=concluded, decision_number=f"{rng.randint(10, 300)}-QĐ/UBKT",
                                            reason="Vi phạm Quy chế làm việc, thiếu trách nhiệm trong lãnh đạo, "
                                                   "chỉ đạo thực hiện nhiệm vụ được giao.")
                    result.measures += 1
                if violation:
                    # one due a month after the conclusion (overdue once that month has passed), one later
                    for due in (concluded + dt.timedelta(days=30), today + dt.timedelta(days=rng.randint(15, 60))):
                        services.recommendation_add(inspection=insp, owner_unit=cell, due=due,
                                                    text=f"Khắc phục: {rng.choice(TOPICS).lower()}; báo cáo kết quả "
                                                         f"về {commission.short_name or commission.name}.")
                        result.recommendations += 1
    return result
