"""Programs and tasks for tests, made through the task services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tinhgon.apparatus import services as apparatus
from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.tasks import services

D = dt.date(2026, 1, 1)


@dataclass
class World:
    tree: dict
    hn: object
    ba_dinh: object
    power: object
    power_elsewhere: object
    head: object
    specialist: object
    outsider: object
    program: object


def make_world(tree) -> World:
    hn, ba_dinh = tree["01"], tree["001"]
    pos = apparatus.position_create(unit=hn, title="Chánh Văn phòng", is_leadership=True, order=1)
    head = CadreFactory(full_name="Trần Văn Trưởng", unit=hn, title="Chánh Văn phòng")
    from tinhgon.cadres.models import Assignment

    Assignment.objects.filter(cadre=head).update(position=pos)
    specialist = CadreFactory(full_name="Lê Thị Chuyên", unit=hn)
    outsider = CadreFactory(full_name="Phạm Văn Ngoài", unit=tree["79"])
    power = apparatus.power_create(code="approve-report", name="Phê duyệt báo cáo", legal_basis="Luật 2025")
    power_elsewhere = apparatus.power_create(code="approve-plan", name="Phê duyệt kế hoạch", legal_basis="Luật 2025")
    apparatus.power_holding_create(unit=hn, power=power, valid_from=dt.date(2020, 1, 1))
    program = services.program_create(unit=hn, title="Chương trình công tác năm 2026", year=2026,
                                      source_symbol="09-NQ/TU", source_issuer="Thành ủy Hà Nội",
                                      source_date=dt.date(2025, 12, 20), sections=["Xây dựng Đảng", "Kinh tế"])
    return World(tree, hn, ba_dinh, power, power_elsewhere, head, specialist, outsider, program)


def full_task(world: World, **over):
    """A draft with all six clears."""
    fields = dict(program=world.program, title="Báo cáo sơ kết quý I", content="Tổng hợp kết quả quý I",
                  start=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 25), product_type="report",
                  product_description="Báo cáo sơ kết", authority_unit=world.hn, authority_power=world.power,
                  assignee=world.specialist)
    fields.update(over)
    return services.task_create(**fields)
