"""Open inspections and recommendations of an ending unit move to its successor; concluded
inspections stay with the unit that was inspected; revert restores exactly."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.inspection import services
from tinhgon.inspection.models import Inspection, Recommendation
from tinhgon.restructuring.services import plan_apply, plan_approve, plan_revert, plan_validate
from tinhgon.restructuring.tests.factories import PlanFactory

from .factories import commission

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 7, 1)


def _state():
    return (sorted(Inspection.objects.values_list("id", "subject_unit_id", "subject_path", "published_path")),
            sorted(Recommendation.objects.values_list("id", "owner_unit_id", "owner_path")))


def test_open_inspections_and_recommendations_follow_the_successor(tree):
    com = commission(tree["01"])
    ward = tree["00004"]
    open_one = services.inspection_create(commission=com, title="Đang mở", subject_unit=ward,
                                          start=dt.date(2026, 5, 4), end=dt.date(2026, 8, 1))
    done = services.inspection_create(commission=com, title="Đã kết luận", subject_unit=ward,
                                      start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 1))
    services.inspection_start(inspection=done, on=dt.date(2026, 3, 2))
    services.inspection_conclude(inspection=done, on=dt.date(2026, 4, 1), conclusion="Có thiếu sót")
    rec = services.recommendation_add(inspection=done, text="Khắc phục", owner_unit=ward, due=dt.date(2026, 9, 1))
    before = _state()
    plan = PlanFactory(effective_date=DAY, operations=[("merge", {
        "sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}})])
    codes = {f["code"] for f in plan_validate(plan=plan)}
    assert {"inspections_to_move", "recommendations_to_move"} <= codes
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    new = unit_selectors.unit_version_on("00001", DAY)
    assert Inspection.objects.get(pk=open_one.pk).subject_unit_id == new.pk
    assert Inspection.objects.get(pk=done.pk).subject_unit_id == ward.pk
    moved = Recommendation.objects.get(pk=rec.pk)
    assert (moved.owner_unit_id, moved.owner_path, moved.due) == (new.pk, new.path, dt.date(2026, 9, 1))
    plan_revert(plan=plan)
    assert _state() == before
