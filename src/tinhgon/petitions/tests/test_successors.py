"""Open matters follow their handling unit through a plan with their deadlines unchanged;
validation counts them; revert restores exactly."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.petitions import selectors, services
from tinhgon.petitions.models import Petition
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)

from .factories import receive

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 7, 1)
MERGE = ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                             "kind": "phuong"}})


def _state():
    return sorted(Petition.objects.values_list("id", "handling_unit_id", "handling_path", "deadline"))


def test_merge_moves_open_matters_with_their_deadlines(tree):
    other = tree["00004"]
    open_one = receive(place=other, place_text="", received_on=dt.date(2026, 5, 4))
    services.petition_accept(petition=open_one, on=dt.date(2026, 5, 5))
    done = receive(place=other, place_text="", received_on=dt.date(2026, 5, 4))
    services.petition_accept(petition=done, on=dt.date(2026, 5, 5))
    services.petition_conclude(petition=done, conclusion="Xong", on=dt.date(2026, 5, 20))
    before = _state()
    deadline = Petition.objects.get(pk=open_one.pk).deadline
    plan = plan_create(name="Sáp nhập thử", effective_date=DAY, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=[MERGE])
    info = [f for f in plan_validate(plan=plan) if f["code"] == "petitions_to_move"]
    assert len(info) == 1 and info[0]["units"][0] == "00004" and "1 open petitions" in info[0]["message_en"]
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    new = unit_selectors.unit_version_on("00001", DAY)
    moved = Petition.objects.get(pk=open_one.pk)
    assert moved.handling_unit_id == new.pk and moved.handling_path == new.path and moved.deadline == deadline
    assert Petition.objects.get(pk=done.pk).handling_unit_id == other.pk
    plan_revert(plan=plan)
    assert _state() == before


def test_open_deadlines_recomputes_every_open_matter(tree):
    for day in (dt.date(2026, 1, 5), dt.date(2026, 8, 3)):
        p = receive(received_on=day)
        services.petition_accept(petition=p, on=day)
    receive()
    assert selectors.open_deadlines() == 2
