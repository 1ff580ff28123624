"""Cadres follow their units through a plan: pending placement after a merge, exact revert."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.cadres import services
from tinhgon.cadres.models import Assignment, Cadre
from tinhgon.core.models import ObjectChange
from tinhgon.core.testing import failing_successor_handler
from tinhgon.restructuring.models import Plan
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
START = dt.date(2021, 3, 1)
MERGE_COMMUNES = (
    "merge",
    {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}},
)


def make_plan(ops, date=DAY):
    plan = plan_create(name="Phương án thử", effective_date=date, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=ops)
    return plan


def place(unit, name, cid, title="Chuyên viên", sex="F", born=dt.date(1985, 4, 2), **kw):
    cadre = services.cadre_create(full_name=name, sex=sex, birth_date=born, citizen_id=cid)
    services.assignment_create(cadre=cadre, unit=unit, title=title, valid_from=START, **kw)
    cadre.refresh_from_db()
    return cadre


def state():
    return (sorted(Assignment.objects.values_list("id", "cadre_id", "unit_id", "title", "kind", "status",
                                                  "valid_from", "valid_to", "position_id")),
            sorted(Cadre.objects.values_list("id", "unit_id", "unit_path", "current_title")))


def findings(plan, code):
    return [f for f in plan_validate(plan=plan) if f["code"] == code]


def test_validate_counts_cadres_per_ending_unit(tree):
    place(tree["00001"], "Nguyễn Thị Lan", "001185000001")
    place(tree["00004"], "Trần Văn Nam", "001085000002", sex="M")
    place(tree["00004"], "Lê Thị Hoa", "001185000003")
    info = findings(make_plan([MERGE_COMMUNES]), "cadres_to_move")
    assert {(f["units"][0], f["severity"]) for f in info} == {("00001", "info"), ("00004", "info")}
    by_unit = {f["units"][0]: f for f in info}
    assert "2 cán bộ" in by_unit["00004"]["message_vi"] and "2 cadres" in by_unit["00004"]["message_en"]
    assert "pending placement" in by_unit["00004"]["message_en"]


def test_dissolved_unit_with_nothing_above_living_on_is_an_error(tree):
    place(tree["79"], "Phạm Văn Hùng", "001080000004", sex="M", born=dt.date(1980, 1, 1))
    plan = make_plan([("dissolve", {"code": "79"})])
    errors = findings(plan, "assignments_without_successor")
    assert len(errors) == 1 and errors[0]["severity"] == "error" and errors[0]["units"] == ["79"]
    plan.refresh_from_db()
    assert plan.status != Plan.VALIDATED


def test_holders_of_a_dissolved_unit_wait_for_placement_above_and_revert_restores(tree):
    hung = place(tree["08974"], "Phạm Văn Hùng", "001080000004", sex="M", born=dt.date(1980, 1, 1),
                 kind="election")
    before = state()
    plan = make_plan([("dissolve", {"code": "08974"})])
    found = plan_validate(plan=plan)
    assert not [f for f in found if f["code"] == "assignments_without_successor"]
    info = [f for f in found if f["code"] == "cadres_to_move"]
    assert info[0]["units"] == ["08974", "250"] and "wait for placement" in info[0]["message_en"]
    assert [f for f in found if f["severity"] == "error"] == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    ended = hung.assignments.get(valid_to=DAY)
    assert ended.status == Assignment.ACTIVE and ended.unit_id == tree["08974"].pk
    pending = hung.assignments.get(valid_from=DAY)
    assert (pending.unit_id, pending.status, pending.position_id, pending.kind, pending.valid_to) == (
        tree["250"].pk, Assignment.PENDING, None, "election", None)
    hung.refresh_from_db()
    assert hung.unit_path == "01/250/"
    plan_revert(plan=plan)
    assert state() == before


def test_merge_moves_cadres_pending_placement_and_revert_restores_exactly(tree):
    lan = place(tree["00001"], "Nguyễn Thị Lan", "001185000001", title="Chủ tịch UBND phường", kind="election")
    nam = place(tree["00004"], "Trần Văn Nam", "001085000002", sex="M")
    old = place(tree["00004"], "Lê Văn Cũ", "001075000005", sex="M", born=dt.date(1975, 1, 1))
    services.assignment_end(assignment=old.assignments.get(), on=dt.date(2024, 1, 1))  # closed: stays behind
    before = state()
    plan = make_plan([MERGE_COMMUNES])
    assert [f for f in plan_validate(plan=plan) if f["severity"] == "error"] == []
    plan_approve(plan=plan)
    application = plan_apply(plan=plan)
    new = unit_selectors.unit_version_on("00001", DAY)
    for cadre, title, kind in ((lan, "Chủ tịch UBND phường", "election"), (nam, "Chuyên viên", "appointment")):
        ended = cadre.assignments.get(valid_to=DAY)
        assert ended.status == Assignment.ACTIVE and ended.valid_from == START
        moved = cadre.assignments.get(valid_from=DAY)
        assert (moved.unit_id, moved.title, moved.kind, moved.status, moved.valid_to) == (
            new.pk, title, kind, Assignment.PENDING, None)
        cadre.refresh_from_db()
        assert (cadre.unit_id, cadre.unit_path) == (new.pk, "01/001/00001/")
    old.refresh_from_db()
    assert old.assignments.count() == 1 and old.unit_path == "01/001/00004/"
    assert len(application.handlers["cadres"]["created"]) == 2
    plan_revert(plan=plan)
    assert state() == before


def test_a_move_keeps_the_assignment_active(tree):
    lan = place(tree["00001"], "Nguyễn Thị Lan", "001185000001")
    plan = make_plan([("dissolve_level", {"level": "district", "children_to": "province"})])
    assert [f for f in plan_validate(plan=plan) if f["severity"] == "error"] == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    current = lan.assignments.get(valid_from=DAY)
    assert current.status == Assignment.ACTIVE
    lan.refresh_from_db()
    assert lan.unit_path == "01/00001/"


def test_a_plan_dated_later_leaves_the_current_unit(tree):
    nam = place(tree["00004"], "Trần Văn Nam", "001085000002", sex="M")
    later = dt.date.today() + dt.timedelta(days=60)
    plan = make_plan([MERGE_COMMUNES], date=later)
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    nam.refresh_from_db()
    assert nam.unit_path == "01/001/00004/"
    assert nam.assignments.get(valid_from=later).status == Assignment.PENDING


def test_failure_after_the_cadre_handler_leaves_nothing(tree):
    place(tree["00004"], "Trần Văn Nam", "001085000002", sex="M")
    plan = make_plan([MERGE_COMMUNES])
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    before, changes = state(), ObjectChange.objects.count()

    with failing_successor_handler():
        with pytest.raises(RuntimeError):
            plan_apply(plan=plan)
    assert state() == before and ObjectChange.objects.count() == changes
