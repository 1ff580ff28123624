"""A small world for the assessment tests: a Hà Nội office with a head and four specialists whose
tasks of the first quarter of 2026 are on time, late, returned or overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres.models import Assignment
from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.tasks.models import Program, Task, TaskEvent

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


@dataclass
class World:
    tree: dict
    unit: object
    head: object
    people: list
    outsider: object
    clerk: object
    leader: object
    program: object


def make_task(world: World, assignee, *, due=dt.date(2026, 3, 20), submitted=None, accepted=None, grade="",
              returns: int = 0, extensions: int = 0, unit=None, cancelled=None) -> Task:
    unit = unit or world.unit
    t = Task.objects.create(program=world.program, title=f"Nhiệm vụ của {assignee.full_name}", lead_unit=unit,
                            lead_path=unit.path, assignee=assignee, start=dt.date(2026, 1, 5), deadline=due, due=due,
                            status=Task.ACCEPTED if accepted else (Task.CANCELLED if cancelled else Task.ISSUED),
                            issued_on=dt.date(2026, 1, 5), submitted_on=submitted, accepted_on=accepted, grade=grade,
                            cancelled_on=cancelled)
    for i in range(returns):
        TaskEvent.objects.create(task=t, kind=TaskEvent.RETURNED, on=dt.date(2026, 2, 1 + i))
    for i in range(extensions):
        TaskEvent.objects.create(task=t, kind=TaskEvent.EXTENSION_APPROVED, on=dt.date(2026, 2, 10 + i))
    return t


def make_world(tree) -> World:
    from tinhgon.apparatus import services as apparatus

    unit = tree["00001"]
    pos = apparatus.position_create(unit=unit, title="Chủ tịch UBND phường", is_leadership=True, order=1)
    head = CadreFactory(full_name="Trần Văn Trưởng", unit=unit, title="Chủ tịch UBND phường")
    Assignment.objects.filter(cadre=head).update(position=pos)
    people = [CadreFactory(full_name=n, unit=unit) for n in
              ("Lê Thị Xuất Sắc", "Phạm Văn Tốt", "Ngô Thị Hoàn Thành", "Đỗ Văn Chậm")]
    outsider = CadreFactory(full_name="Vũ Văn Ngoài", unit=tree["26734"])
    program = Program.objects.create(unit=unit, title="Chương trình công tác năm 2026", year=2026)
    w = World(tree, unit, head, people, outsider, make_user("hn-clerk", role="clerk", scopes=[tree["01"]]),
              make_user("hn-leader", role="leader", scopes=[tree["01"]]), program)
    a, b, c, d = people
    on = dt.date(2026, 3, 15)
    for _ in range(2):
        make_task(w, a, submitted=on, accepted=on, grade="exceeded")
    make_task(w, b, submitted=on, accepted=on, grade="met")
    make_task(w, c, submitted=dt.date(2026, 3, 25), accepted=dt.date(2026, 3, 26), returns=1)
    make_task(w, c, submitted=on, accepted=on)
    make_task(w, d, due=dt.date(2026, 2, 28))  # overdue, never delivered
    make_task(w, d, submitted=on, accepted=on, returns=2)
    make_task(w, head, submitted=on, accepted=on, grade="exceeded")
    return w
