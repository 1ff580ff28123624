"""Computing a cycle from tasks and its workflow; bad input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.assessment import services
from tinhgon.assessment.models import Cycle, CycleEvent, Result, UnitResult
from tinhgon.assessment.rulesets import D90, D335
from tinhgon.cadres.models import Discipline
from tinhgon.core.models import ObjectChange

from .factories import Q1, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    return make_world(tree)


def _cycle(world, **kw):
    return services.cycle_create(user=world.clerk, unit=world.unit, kind=Cycle.QUARTERLY, period_start=Q1[0],
                                 period_end=Q1[1], **kw)


def _review_all(world, cycle, points=Decimal("28")):
    for r in Result.objects.filter(cycle=cycle):
        services.result_review(user=world.clerk, result=r, general_points=points, remarks="Đạt yêu cầu")


def test_quarterly_cycle_from_tasks_to_approval(world):
    cycle = _cycle(world)
    assert cycle.rule_set == D335 and cycle.status == Cycle.SELF
    services.cycle_compute(user=world.clerk, cycle=cycle)
    results = {r.cadre_id: r for r in Result.objects.filter(cycle=cycle)}
    assert set(results) == {world.head.pk, *(p.pk for p in world.people)}
    a, b, c, d = (results[p.pk] for p in world.people)
    assert a.task_points == Decimal("70.00") and a.level == ""  # awaiting the general points
    # one product returned once and a day late: quantity 100, quality 87.5, timeliness 87.5 over two products
    assert c.task_points == Decimal("64.17")
    assert d.task_points == Decimal("29.17")  # one overdue never delivered; one returned twice
    assert results[world.head.pk].is_leader and results[world.head.pk].reviewer_id is None
    assert a.reviewer_id == world.head.pk
    services.result_self_assess(user=world.clerk, result=a, text="Hoàn thành vượt mức", level="excellent")
    services.cycle_advance(user=world.clerk, cycle=cycle)
    with pytest.raises(ValidationError):  # reviews missing
        services.cycle_advance(user=world.clerk, cycle=cycle)
    _review_all(world, cycle)
    services.result_review(user=world.clerk, result=d, general_points="15")
    services.cycle_compute(user=world.clerk, cycle=cycle)
    services.cycle_advance(user=world.clerk, cycle=cycle)
    services.cycle_approve(user=world.leader, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == Cycle.APPROVED
    levels = dict(Result.objects.filter(cycle=cycle).values_list("cadre_id", "level"))
    assert levels[world.people[3].pk] == "not_completed"  # 15 + 29.17
    assert levels[world.people[2].pk] == "excellent" or levels[world.people[2].pk] == "good"
    a.refresh_from_db()
    assert a.self_assessment == "Hoàn thành vượt mức" and a.score == Decimal("98.00")
    kinds = [s["rule"] for s in a.explanation["steps"]]
    assert kinds[0] == "tasks_counted" and "task_points" in kinds and "band" in kinds and "cap" in kinds
    assert a.explanation["rule_set"]["code"] == D335 and a.assumed
    # the leader carries the unit: one under them is not completed → unit share 0.5
    head = Result.objects.get(cycle=cycle, cadre=world.head)
    step = next(s for s in head.explanation["steps"] if s["rule"] == "leader_unit")
    assert step["inputs"]["unit_share"] == "0.5"
    unit = UnitResult.objects.get(cycle=cycle, unit=world.unit)
    assert unit.counted == 8 and unit.on_time == 6 and unit.rank == 1


def test_units_roll_up_the_tree(world):
    cycle = services.cycle_create(user=world.clerk, unit=world.tree["01"], kind=Cycle.QUARTERLY,
                                  period_start=Q1[0], period_end=Q1[1])
    services.cycle_compute(user=world.clerk, cycle=cycle)
    counted = dict(UnitResult.objects.filter(cycle=cycle).values_list("unit__code", "counted"))
    assert counted == {"01": 8, "001": 8, "00001": 8}
    assert UnitResult.objects.get(cycle=cycle, unit__code="00001").head_id == world.head.pk


def test_discipline_in_the_period_forces_not_completed(world):
    a = world.people[0]
    Discipline.objects.create(cadre=a, measure="khien_trach", decision_date=dt.date(2026, 2, 1),
                              effective_date=dt.date(2026, 2, 1))
    cycle = _cycle(world)
    services.cycle_compute(user=world.clerk, cycle=cycle)
    _review_all(world, cycle, Decimal("30"))
    services.cycle_compute(user=world.clerk, cycle=cycle)
    r = Result.objects.get(cycle=cycle, cadre=a)
    assert r.level == "not_completed" and r.discipline == "khien_trach"


def test_decree_90_criteria_cycle(world):
    cycle = services.cycle_create(user=world.clerk, unit=world.unit, kind=Cycle.ANNUAL,
                                  period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    assert cycle.rule_set == D90
    services.cycle_compute(user=world.clerk, cycle=cycle)
    assert Result.objects.filter(cycle=cycle).exclude(level="").count() == 5  # criteria need no review points


def test_bad_input_changes_nothing(world, hcm_clerk):
    cycle = _cycle(world)
    services.cycle_compute(user=world.clerk, cycle=cycle)
    r = Result.objects.filter(cycle=cycle).first()
    before = ObjectChange.objects.count()
    for bad in ("31", "-1", "abc", "NaN", None):
        with pytest.raises(ValidationError):
            services.result_review(user=world.clerk, result=r, general_points=bad)
    with pytest.raises(ValidationError):  # someone outside the cycle's scope
        services.result_for(world.clerk, cycle=cycle, cadre=world.outsider)
    with pytest.raises(PermissionDenied):  # a clerk of another city
        services.cycle_compute(user=hcm_clerk, cycle=cycle)
    with pytest.raises(ValidationError):  # approving at the wrong stage / with missing reviews
        services.cycle_approve(user=world.leader, cycle=cycle)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.COUNCIL)
    cycle.refresh_from_db()
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError):
        services.cycle_approve(user=world.leader, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_create(user=world.clerk, unit=world.unit, kind=Cycle.QUARTERLY, period_start=Q1[1],
                              period_end=Q1[0])
    assert ObjectChange.objects.count() == before
    r.refresh_from_db()
    assert r.general_points is None


def test_an_approved_cycle_is_locked_and_reopens_with_a_reason(world):
    cycle = _cycle(world)
    services.cycle_compute(user=world.clerk, cycle=cycle)
    _review_all(world, cycle)
    services.cycle_compute(user=world.clerk, cycle=cycle)
    Cycle.objects.filter(pk=cycle.pk).update(status=Cycle.COUNCIL)
    cycle.refresh_from_db()
    services.cycle_approve(user=world.leader, cycle=cycle)
    r = Result.objects.filter(cycle=cycle).first()
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError):
        services.result_review(user=world.clerk, result=r, general_points="20")
    with pytest.raises(ValidationError):
        services.cycle_compute(user=world.clerk, cycle=cycle)
    with pytest.raises(ValidationError):
        services.cycle_update(user=world.clerk, cycle=cycle, label="Đổi tên")
    with pytest.raises(ValidationError):
        services.cycle_reopen(user=world.leader, cycle=cycle, reason="  ")
    with pytest.raises(PermissionDenied):
        services.cycle_reopen(user=world.clerk, cycle=cycle, reason="Sai sót")
    assert ObjectChange.objects.count() == before
    services.cycle_reopen(user=world.leader, cycle=cycle, reason="Phát hiện sai sót điểm")
    cycle.refresh_from_db()
    assert cycle.status == Cycle.COUNCIL
    assert cycle.events.filter(kind=CycleEvent.REOPENED, reason="Phát hiện sai sót điểm").exists()


@pytest.fixture
def hcm_clerk(tree):
    from tinhgon.accounts.tests.factories import make_user

    return make_user("hcm-clerk", role="clerk", scopes=[tree["79"]])
