"""Open tasks follow their lead unit through a plan; validation counts them; revert restores exactly."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.apparatus import services as apparatus
from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)
from tinhgon.tasks import services
from tinhgon.tasks.models import Task

from .factories import full_task

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
MERGE = ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                             "kind": "phuong"}})


def _state():
    return (sorted(Task.objects.values_list("id", "lead_unit_id", "lead_path", "assignee_review")),
            sorted(Task.coordinating_units.through.objects.values_list("task_id", "unit_id")))


def test_merge_moves_open_tasks_and_revert_restores(world):
    ward, other = world.tree["00001"], world.tree["00004"]
    apparatus.power_holding_create(unit=world.hn, power=world.power_elsewhere, valid_from=dt.date(2020, 1, 1))
    c = CadreFactory(full_name="Vũ Thị Phường", unit=other)
    open_task = full_task(world, lead_unit=other, assignee=c, leader=world.head, coordinating_units=[ward])
    done = full_task(world, lead_unit=other, assignee=c, leader=world.head, title="Đã xong")
    services.task_issue(task=done, on=dt.date(2025, 1, 2))
    services.task_submit(task=done, product_note="BC", on=dt.date(2025, 2, 1))
    services.task_accept(task=done, on=dt.date(2025, 2, 2))
    coordinated = full_task(world, coordinating_units=[other], title="Phối hợp")
    before = _state()
    plan = plan_create(name="Sáp nhập thử", effective_date=DAY, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=[MERGE])
    info = [f for f in plan_validate(plan=plan) if f["code"] == "tasks_to_move"]
    assert len(info) == 1 and info[0]["units"][0] == "00004" and info[0]["severity"] == "info"
    assert "1 open tasks" in info[0]["message_en"]
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    new = unit_selectors.unit_version_on("00001", DAY)
    open_task.refresh_from_db()
    done.refresh_from_db()
    assert open_task.lead_unit_id == new.pk and open_task.assignee_review
    assert done.lead_unit_id == other.pk and not done.assignee_review  # closed: stays with who did it
    assert list(coordinated.coordinating_units.values_list("pk", flat=True)) == [new.pk]
    assert new.pk not in open_task.coordinating_units.values_list("pk", flat=True)  # it leads it now
    plan_revert(plan=plan)
    assert _state() == before


def test_dissolving_a_unit_that_leads_open_tasks_is_an_error(world):
    unit = world.tree["08974"]
    c = CadreFactory(full_name="Hồ Văn Xã", unit=unit)
    full_task(world, lead_unit=unit, assignee=c, leader=world.head)
    plan = plan_create(name="Giải thể thử", effective_date=DAY, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=[("dissolve", {"code": "08974"})])
    errors = [f for f in plan_validate(plan=plan) if f["code"] == "tasks_without_successor"]
    assert len(errors) == 1 and errors[0]["severity"] == "error"
