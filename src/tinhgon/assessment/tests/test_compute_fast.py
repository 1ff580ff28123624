"""The computation shares what people with the same tally and inputs have in common: on a
generated world it gives exactly the results, units and explanations of the computation as
first written (``reference_compute``), under every rule set and with the cap, leaders,
discipline, general points, groups and annual means."""

import dataclasses
import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from tinhgon.assessment import compute, rulesets, services
from tinhgon.assessment.models import Cycle, Result
from tinhgon.cadres import generator as cadre_generator
from tinhgon.cadres.models import Cadre, Discipline
from tinhgon.core.changelog import acting_as, suspended
from tinhgon.tasks import generator as task_generator

from . import reference_compute
from .factories import make_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def generated(tree):
    world = make_world(tree)
    with acting_as(None, source="test"), suspended():
        cadre_generator.generate_cadres(count=160, seed=5, as_of=TODAY)
        task_generator.generate_tasks(count=700, seed=5, today=TODAY, years=(2025, 2026), events=True)
    rng = random.Random(7)
    people = list(Cadre.objects.order_by("id"))
    for c in rng.sample(people, 12):
        day = dt.date(2025 + rng.randint(0, 1), rng.randint(1, 3), rng.randint(1, 28))
        Discipline.objects.create(cadre=c, measure=rng.choice(["khien_trach", "canh_cao", "cach_chuc"]),
                                  decision_date=day, effective_date=day)
    return world


def _cycle(unit, kind, start, end, rule_set="", **kw) -> Cycle:
    cycle = Cycle(label=f"{kind} {start}", kind=kind, period_start=start, period_end=end, unit=unit,
                  scope_path=unit.path, rule_set=rule_set, **kw)
    cycle.rule_set = compute.rule_set_of(cycle).code
    cycle.save()
    return cycle


def _same(cycle: Cycle, levels: int = 1, rules: tuple[str, ...] = ()) -> int:
    fast, ref = compute.compute(cycle), reference_compute.compute(cycle)
    for out in (fast, ref):  # the people are read in no particular order
        out.results.sort(key=lambda r: r["cadre_id"])
    for a, b in zip(fast.results, ref.results, strict=True):
        assert a == b, {k: (a[k], b[k]) for k in a if a[k] != b.get(k)}
    assert fast.units == ref.units and fast.assumed == ref.assumed
    dump = lambda out: json.dumps([r["explanation"] for r in out.results], cls=DjangoJSONEncoder)  # noqa: E731
    assert dump(fast) == dump(ref)
    assert len({r["level"] for r in fast.results}) >= levels
    seen = {s["rule"] for r in fast.results for s in r["explanation"]["steps"]}
    assert set(rules) <= seen, set(rules) - seen
    return len(fast.results)


def _reviewed(cycle: Cycle, rng: random.Random) -> None:
    """Results written once, then general points for most people and a few groups, as entered."""
    with acting_as(None, source="test"):
        services.cycle_compute(user=None, cycle=cycle)
    for r in Result.objects.filter(cycle=cycle):
        if rng.random() < 0.85:
            r.general_points = Decimal(rng.choice([30, 29.5, 28, 27, 25, 20, 15, 10]))
        if rng.random() < 0.2:
            r.group = rng.choice(["a", "b"])
        r.save(update_fields=["general_points", "group"])


def test_annual_criteria_cycle_is_the_same(generated):
    tree = generated.tree
    for code in ("01", "79"):
        cycle = _cycle(tree[code], Cycle.ANNUAL, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
        assert _same(cycle, levels=2, rules=("criteria", "discipline", "no_tasks")) > 20
    # the criteria of Decree 90 over 2026, when the heads of the units hold their posts
    cycle = _cycle(tree["01"], Cycle.ANNUAL, dt.date(2026, 1, 1), dt.date(2026, 11, 30), rule_set=rulesets.D90)
    assert _same(cycle, levels=2, rules=("criteria", "leader_unit", "discipline", "no_tasks")) > 20


def test_points_cycles_are_the_same(generated):
    tree, rng = generated.tree, random.Random(3)
    quarterly = _cycle(tree["01"], Cycle.QUARTERLY, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert _same(quarterly) > 20  # nobody reviewed yet: no score, no level
    _reviewed(quarterly, rng)
    assert _same(quarterly, levels=3, rules=("task_points", "leader_unit", "band", "score", "cap")) > 20  # some not reviewed (no level), the others banded
    party = _cycle(tree["01"], Cycle.ANNUAL, dt.date(2026, 1, 1), dt.date(2026, 9, 30), audience=Cycle.PARTY)
    _reviewed(party, rng)
    assert _same(party, levels=3, rules=("excellent_exceeded", "cap")) > 20
    quarterly.cap_override_ratio, quarterly.cap_override_decision = Decimal("0.5"), "Quyết định số 1/QĐ"
    quarterly.save()
    assert _same(quarterly) > 20


def test_annual_mean_of_periods_is_the_same(generated, monkeypatch):
    tree, rng = generated.tree, random.Random(11)
    quarterly = _cycle(tree["01"], Cycle.QUARTERLY, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    _reviewed(quarterly, rng)
    with acting_as(None, source="test"):
        services.cycle_compute(user=None, cycle=quarterly)
    Cycle.objects.filter(pk=quarterly.pk).update(status=Cycle.APPROVED)
    annual = _cycle(tree["01"], Cycle.ANNUAL, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    _reviewed(annual, rng)
    rs = compute.rule_set_of(annual)
    means = dataclasses.replace(rs, parameters={**rs.parameters, "annual": {"value": "mean_of_periods",
                                                                            "assumed": True, "note": "test"}})
    monkeypatch.setattr(compute, "rule_set_of", lambda cycle: means)
    monkeypatch.setattr(reference_compute, "rule_set_of", lambda cycle: means)
    out = compute.compute(annual)
    assert any(s["rule"] == "annual_mean" for r in out.results for s in r["explanation"]["steps"])
    assert _same(annual, levels=3) > 20


class _Ctx:
    """What the job runner hands a job: its parameters, user and progress reports."""

    def __init__(self, params, user):
        self.params, self.user, self.reports = params, user, []

    def check_cancelled(self):
        pass

    def progress(self, done, total, message):
        self.reports.append((done, total, message))

    def publishing(self):
        from django.db import transaction

        return transaction.atomic()


def test_the_page_computes_in_a_job_reporting_progress(generated):
    from tinhgon.assessment import jobs
    from tinhgon.core import jobs as core_jobs

    cycle = _cycle(generated.tree["01"], Cycle.ANNUAL, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert core_jobs.handler(jobs.KIND).run is jobs.run_compute
    ctx = _Ctx({"cycle": cycle.pk}, generated.clerk)
    out = jobs.run_compute(ctx)
    assert out["results"] == Result.objects.filter(cycle=cycle).count() > 20
    steps = [d for d, t, _m in ctx.reports if t == 6]
    assert steps == [0, 1, 2, 3, 4, 5, 6] and ctx.reports[-1][:2] == (1, 1)
    assert ctx.reports[1][2] in ("Counting the tasks of the period", "Đếm nhiệm vụ trong kỳ")
