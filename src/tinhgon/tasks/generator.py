"""Synthetic work programs and tasks (``tinhgon generate-tasks``): realistic, seeded, scalable.

For each province-level unit (within the codes given) one program per year, derived from
a plausible resolution of its party committee, with sections; tasks whose lead unit is
the unit of one of the province's cadres (the assignee), the leader in charge the head of
that unit when it has one, the province as the accepting authority exercising a power it
holds.  Lifecycles are drawn against the reading date: accepted on time, late, submitted
and waiting, returned, cancelled, extended, still open, some overdue; each leaves the same
dated events the services write.  Writes go through the tracked bulk paths (every row is
in the change log).  The same seed gives the same tasks; a second run adds nothing (the
programs carry the seed in their note).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on

from .models import Program, Section, Task, TaskEvent

SECTIONS = ["Công tác xây dựng Đảng, hệ thống chính trị", "Phát triển kinh tế - xã hội",
            "Cải cách hành chính, chuyển đổi số", "Quốc phòng, an ninh", "Văn hóa - xã hội"]
VERBS = ["Xây dựng", "Tổng kết", "Sơ kết", "Triển khai", "Rà soát", "Đánh giá", "Hoàn thiện", "Tổ chức"]
OBJECTS = [
    ("report", "báo cáo kết quả thực hiện Nghị quyết"), ("plan", "kế hoạch chuyển đổi số"),
    ("project", "đề án sắp xếp đơn vị sự nghiệp"), ("regulation", "dự thảo quy chế làm việc"),
    ("decision", "quyết định phân cấp quản lý cán bộ"), ("event", "hội nghị sơ kết công tác cán bộ"),
    ("report", "báo cáo tinh giản biên chế"), ("plan", "kế hoạch cải cách hành chính"),
    ("resolution", "dự thảo nghị quyết chuyên đề"), ("report", "báo cáo công tác kiểm tra, giám sát"),
]
GEN_POWER = "phe-duyet-san-pham-cong-tac"
DEFAULT_BATCH = 5000


@dataclass
class Result:
    programs: int = 0
    tasks: int = 0
    events: int = 0
    skipped: bool = False


def _power_for(root, as_of: dt.date):
    """A power the province holds (created with its holding for generated data when none)."""
    from tinhgon.apparatus.models import Power, PowerHolding

    held = PowerHolding.objects.filter(valid_on(as_of), unit__code=root.code).select_related("power").first()
    if held is not None:
        return held.power
    power, _ = Power.objects.get_or_create(code=GEN_POWER, defaults={
        "name": "Phê duyệt sản phẩm chương trình công tác", "legal_basis": "Quy chế làm việc của cấp ủy (dữ liệu mẫu)"})
    PowerHolding.objects.create(unit=root, power=power, valid_from=min(as_of, dt.date(2020, 1, 1)),
                                legal_basis="Dữ liệu mẫu")
    return power


def _lifecycle(rng: random.Random, start: dt.date, deadline: dt.date, today: dt.date) -> dict:
    """The dated facts of one task drawn against ``today`` (None: has not happened)."""
    f = dict(status=Task.DRAFT, issued_on=None, submitted_on=None, accepted_on=None, cancelled_on=None,
             due=deadline, due_since=None, due_before=None, grade="", progress=0, events=[])
    if start > today or rng.random() < 0.03:
        return f
    f["status"], f["issued_on"] = Task.ISSUED, start
    f["events"].append((TaskEvent.ISSUED, start, {}))

    def clip(day):
        return min(day, today)

    if rng.random() < 0.1:  # an extension
        asked = clip(start + dt.timedelta(days=rng.randint(1, max(1, (deadline - start).days))))
        to = deadline + dt.timedelta(days=rng.randint(7, 45))
        f["events"].append((TaskEvent.EXTENSION_REQUESTED, asked, {"to": to.isoformat()}))
        approved = clip(asked + dt.timedelta(days=rng.randint(1, 7)))
        f.update(due_before=deadline, due=to, due_since=approved)
        f["events"].append((TaskEvent.EXTENSION_APPROVED, approved, {"to": to.isoformat()}))
    due = f["due"]
    r = rng.random()
    if r < 0.04:
        day = clip(start + dt.timedelta(days=rng.randint(1, 60)))
        f.update(status=Task.CANCELLED, cancelled_on=day)
        f["events"].append((TaskEvent.CANCELLED, day, {}))
        return f
    # when the product comes: mostly before the deadline, some after
    submit = due - dt.timedelta(days=rng.randint(0, 20)) if r < 0.72 else due + dt.timedelta(days=rng.randint(1, 40))
    submit = max(submit, start)
    if submit > today:
        f["progress"] = rng.choice([10, 25, 40, 60, 80])
        if f["progress"] and rng.random() < 0.7:
            f["status"] = Task.IN_PROGRESS
            f["events"].append((TaskEvent.REPORTED, clip(start + (today - start) / 2), {}))
        return f
    f.update(status=Task.SUBMITTED, submitted_on=submit, progress=100)
    f["events"].append((TaskEvent.SUBMITTED, submit, {}))
    if rng.random() < 0.08:  # returned, then resubmitted
        back = submit + dt.timedelta(days=rng.randint(1, 7))
        if back > today:
            return f
        f["events"].append((TaskEvent.RETURNED, back, {}))
        again = back + dt.timedelta(days=rng.randint(3, 20))
        if again > today:
            f["status"] = Task.RETURNED
            return f
        f["submitted_on"] = again
        f["events"].append((TaskEvent.SUBMITTED, again, {}))
    accept = f["submitted_on"] + dt.timedelta(days=rng.randint(1, 10))
    if accept > today or rng.random() < 0.05:
        return f
    grade = Task.EXCEEDED if rng.random() < 0.25 else Task.MET
    f.update(status=Task.ACCEPTED, accepted_on=accept, grade=grade)
    f["events"].append((TaskEvent.ACCEPTED, accept, {"grade": grade}))
    return f


def generate_tasks(*, count: int, seed: int = 1, within: list[str] | None = None, today: dt.date | None = None,
                   years: tuple[int, ...] | None = None, events: bool = True, batch_size: int = DEFAULT_BATCH,
                   progress: Callable[[int], None] | None = None) -> Result:
    """``count`` tasks spread over the provinces within ``within`` (all when None), in programs of ``years``."""
    from tinhgon.apparatus.models import Position, Unit
    from tinhgon.cadres.models import Assignment, Cadre

    today = today or dt.date.today()
    years = years or (today.year - 1, today.year)
    rng = random.Random(seed)
    marker = f"Dữ liệu mẫu (generate-tasks seed {seed})"
    result = Result()
    if Program.objects.filter(note=marker).exists():
        result.skipped = True
        return result
    roots = Unit.objects.filter(valid_on(today), depth=0).order_by("code")
    if within:
        roots = roots.filter(code__in=within)
    roots = list(roots)
    # cadres with their unit, per province (the first code of the path)
    by_root: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for pk, unit_id, path in Cadre.objects.filter(unit__isnull=False).values_list("pk", "unit_id", "unit_path"):
        by_root[path.split("/", 1)[0]].append((pk, unit_id, path))
    heads: dict[int, int] = {}
    lead_positions = Position.objects.filter(is_leadership=True).values_list("pk", "unit_id")
    pos_unit = dict(lead_positions)
    for cadre_id, pos_id in (Assignment.objects.filter(valid_on(today), position_id__in=list(pos_unit),
                                                       status=Assignment.ACTIVE)
                             .values_list("cadre_id", "position_id")):
        heads.setdefault(pos_unit[pos_id], cadre_id)
    roots = [r for r in roots if by_root.get(r.code)]
    if not roots or count <= 0:
        return result
    per_root = max(1, count // len(roots))
    made = 0
    with transaction.atomic():
        for i, root in enumerate(roots):
            n = per_root if i < len(roots) - 1 else count - made
            if n <= 0:
                break
            power = _power_for(root, today)
            programs = []
            for year in years:
                p = Program.objects.create(
                    unit=root, year=year, title=f"Chương trình công tác năm {year} của {root.name}",
                    source_symbol=f"{rng.randint(1, 40):02d}-NQ/TU", source_issuer=f"Ban Chấp hành Đảng bộ {root.name}",
                    source_date=dt.date(year - 1, 12, rng.randint(10, 28)), note=marker,
                    source_title=f"Nghị quyết về nhiệm vụ năm {year}")
                Section.objects.bulk_create([build(Section, program_id=p.pk, order=k + 1, title=t)
                                             for k, t in enumerate(SECTIONS)])
                programs.append((p, list(p.sections.values_list("pk", flat=True))))
                result.programs += 1
            cadres = by_root[root.code]
            done = 0
            while done < n:
                batch = min(batch_size, n - done)
                tasks, facts = [], []
                for _k in range(batch):
                    program, sections = rng.choice(programs)
                    cadre_id, unit_id, path = rng.choice(cadres)
                    year = program.year
                    start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
                    deadline = start + dt.timedelta(days=rng.randint(15, 150))
                    ptype, what = rng.choice(OBJECTS)
                    f = _lifecycle(rng, start, deadline, today)
                    facts.append(f)
                    tasks.append(build(
                        Task, program_id=program.pk, section_id=rng.choice(sections), parent_id=None,
                        title=f"{rng.choice(VERBS)} {what}", content=f"{rng.choice(VERBS)} {what} năm {year}.",
                        assignee_id=cadre_id, assignee_review=False, leader_id=heads.get(unit_id, cadre_id),
                        start=start, deadline=deadline, due=f["due"], due_since=f["due_since"],
                        due_before=f["due_before"], lead_unit_id=unit_id, lead_path=path, product_type=ptype,
                        product_description=f"{what.capitalize()} được cấp có thẩm quyền thông qua",
                        authority_unit_id=root.pk, authority_power_id=power.pk, status=f["status"],
                        progress=f["progress"], issued_on=f["issued_on"], submitted_on=f["submitted_on"],
                        accepted_on=f["accepted_on"], cancelled_on=f["cancelled_on"], grade=f["grade"],
                        product_note="Sản phẩm đã trình" if f["submitted_on"] else "", product_file="",
                        extension_to=None, extension_reason="", cancel_reason="Không còn phù hợp"
                        if f["cancelled_on"] else ""))
                created = Task.objects.bulk_create(tasks)
                if events:
                    evs = []
                    for t, f in zip(created, facts, strict=True):
                        for kind, on, data in f["events"]:
                            evs.append(build(TaskEvent, task_id=t.pk, kind=kind, on=on, actor_id=None, note="",
                                             progress=None, attachment="", data=data))
                    TaskEvent.objects.bulk_create(evs)
                    result.events += len(evs)
                done += batch
                made += batch
                result.tasks += batch
                if progress:
                    progress(made)
    return result
