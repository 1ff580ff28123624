"""The periodic accounting equals a brute-force recount from the events (property test), and the rules."""

import datetime as dt
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.tasks import rules, selectors, services
from tinhgon.tasks.models import Task, TaskEvent

from .factories import full_task

pytestmark = pytest.mark.django_db


# Rules, table by table ------------------------------------------------------------------------


@pytest.mark.parametrize("text,start,end,kind", [
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year"),
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "quarter"),
    ("2026-q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quarter"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
])
def test_period_of(text, start, end, kind):
    p = rules.period_of(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)


@pytest.mark.parametrize("bad", ["", "2026-Q5", "2026-13", "26", "2026-1", "abc", "0999"])
def test_period_of_refuses(bad):
    with pytest.raises(ValueError):
        rules.period_of(bad)


def test_period_shift():
    assert rules.period_of("2026-Q1").shift(-1).key == "2025-Q4"
    assert rules.period_of("2026-01").shift(-2).key == "2025-11"
    assert rules.period_of("2026").shift(1).key == "2027"


F = rules.DatedFacts
D = dt.date


@pytest.mark.parametrize("facts,on,expected", [
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), None, None, D(2026, 2, 27), D(2026, 3, 5), None), D(2026, 4, 1),
     rules.ON_TIME),
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), None, None, D(2026, 3, 2), D(2026, 3, 5), None), D(2026, 4, 1),
     rules.LATE),
    # accepted after the reading date: not yet accepted then, and past the deadline
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), None, None, D(2026, 2, 27), D(2026, 3, 5), None), D(2026, 3, 3),
     rules.OVERDUE),
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), None, None, None, None, None), D(2026, 2, 1), rules.IN_PROGRESS),
    # an extension approved on 10/3 to 31/3; submitted 20/3: on time
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 10), D(2026, 3, 1), D(2026, 3, 20), D(2026, 3, 25),
       None), D(2026, 4, 1), rules.ON_TIME),
    # read before the extension was approved: the original deadline holds
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 10), D(2026, 3, 1), None, None, None), D(2026, 3, 5),
     rules.OVERDUE),
    (F(D(2026, 1, 1), D(2026, 3, 1), D(2026, 3, 1), None, None, None, None, D(2026, 2, 1)), D(2026, 4, 1),
     rules.CANCELLED),
])
def test_classify(facts, on, expected):
    assert rules.classify(facts, on) == expected


def test_completion_rate():
    assert rules.completion_rate(3, 10, 4) == 0.5
    assert rules.completion_rate(0, 2, 2) is None


# The property: SQL accounting == a recount from the events -------------------------------------


def _random_tasks(world, seed: int = 7, n: int = 40):
    rng = random.Random(seed)
    ba_dinh_cadre = CadreFactory(full_name="Đỗ Văn Quận", unit=world.ba_dinh)
    other_leader = world.specialist
    for i in range(n):
        start = D(2025, 10, 1) + dt.timedelta(days=rng.randrange(0, 200))
        deadline = start + dt.timedelta(days=rng.randrange(5, 120))
        in_ba_dinh = rng.random() < 0.3
        t = full_task(world, title=f"Việc {i}", start=start, deadline=deadline,
                      lead_unit=world.ba_dinh if in_ba_dinh else world.hn,
                      assignee=ba_dinh_cadre if in_ba_dinh else world.specialist,
                      leader=other_leader if rng.random() < 0.4 else world.head)
        if rng.random() < 0.1:
            continue  # a draft: never counted
        day = start
        services.task_issue(task=t, on=day)

        def later(k):
            nonlocal day
            day = day + dt.timedelta(days=rng.randrange(1, k))
            return day

        if rng.random() < 0.1:
            services.task_cancel(task=t, reason="Không còn phù hợp", on=later(90))
            continue
        if rng.random() < 0.3:
            t.refresh_from_db()
            services.task_extension_request(task=t, to=t.due + dt.timedelta(days=rng.randrange(5, 40)),
                                            reason="Chờ số liệu", on=later(60))
            services.task_extension_decide(task=t, approve=rng.random() < 0.8, on=later(10))
        if rng.random() < 0.75:
            services.task_submit(task=t, product_note="Sản phẩm", on=later(120))
            if rng.random() < 0.2:
                services.task_return(task=t, reason="Chưa đạt", on=later(10))
                services.task_submit(task=t, product_note="Sản phẩm (lần 2)", on=later(20))
            if rng.random() < 0.85:
                services.task_accept(task=t, grade=rng.choice([Task.MET, Task.EXCEEDED]), on=later(15))


def _recount(tasks, events_by_task, period, on):
    """Brute force: rebuild each task's dated facts from its events alone, then count."""
    out = Counter()
    for t in tasks:
        evs = sorted(events_by_task.get(t.pk, []), key=lambda e: (e.on, e.pk))
        issued = next((e.on for e in evs if e.kind == TaskEvent.ISSUED), None)
        accepted = next((e for e in evs if e.kind == TaskEvent.ACCEPTED), None)
        cancelled = next((e.on for e in evs if e.kind == TaskEvent.CANCELLED), None)
        submitted = [e.on for e in evs if e.kind == TaskEvent.SUBMITTED and (accepted is None or e.pk < accepted.pk)]
        due = t.deadline
        for e in evs:
            if e.kind == TaskEvent.EXTENSION_APPROVED and e.on <= on:
                due = D.fromisoformat(e.data["to"])
        facts = rules.DatedFacts(issued, t.deadline, due, None, None, submitted[-1] if submitted else None,
                                 accepted.on if accepted else None, cancelled)
        if not rules.counts_in(facts, period.start, period.end, on):
            continue
        out["assigned"] += 1
        out[rules.classify(facts, on)] += 1
    return {k: out.get(k, 0) for k in selectors.COUNT_FIELDS}


@pytest.fixture
def random_world(world, django_db_blocker):
    _random_tasks(world)
    tasks = list(Task.objects.all())
    events = {}
    for e in TaskEvent.objects.all():
        events.setdefault(e.task_id, []).append(e)
    return world, tasks, events


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.sampled_from([2025, 2026]), kind=st.sampled_from(["year", "quarter", "month"]),
       index=st.integers(min_value=1, max_value=12), on_offset=st.integers(min_value=-200, max_value=400),
       subtree=st.booleans(), by_leader=st.booleans())
def test_accounting_equals_a_recount(random_world, year, kind, index, on_offset, subtree, by_leader):
    world, tasks, events = random_world
    key = str(year) if kind == "year" else (f"{year}-Q{(index - 1) % 4 + 1}" if kind == "quarter"
                                             else f"{year}-{index:02d}")
    period = rules.period_of(key)
    on = D(2026, 1, 1) + dt.timedelta(days=on_offset)
    unit = world.hn
    qs = selectors.Task.objects.filter(selectors.unit_q(unit, subtree=subtree))
    mine = [t for t in tasks if (t.lead_path.startswith(unit.path) if subtree else t.lead_unit_id == unit.pk)]
    if by_leader:
        rows = {r.key: r for r in selectors.accounting(qs, period, on, by="leader")}
        for leader_id in {t.leader_id for t in mine}:
            expected = _recount([t for t in mine if t.leader_id == leader_id], events, period, on)
            got = rows.get(leader_id)
            got = {k: getattr(got, k) for k in selectors.COUNT_FIELDS} if got else dict.fromkeys(expected, 0)
            assert got == expected
    else:
        got = selectors.accounting(qs, period, on)[0].as_dict()
        got.pop("completion_rate")
        assert got == _recount(mine, events, period, on)


def test_per_unit_below_adds_up_to_the_total(random_world):
    world, tasks, events = random_world
    period, on = rules.period_of("2026"), D(2026, 12, 31)
    qs = Task.objects.filter(selectors.unit_q(world.hn, subtree=True))
    rows = selectors.per_unit_below(qs, world.hn, period, on)
    total = selectors.accounting(qs, period, on)[0]
    assert sum(r.assigned for r in rows) == total.assigned > 0
    assert {r.label for r in rows} <= {world.hn.name, world.ba_dinh.name, world.tree["250"].name}


@pytest.mark.parametrize("key,on", [("2026-Q1", D(2026, 2, 15)), ("2026", D(2026, 12, 31)), ("2025-Q4", D(2026, 1, 10))])
def test_drill_down_lists_exactly_the_counted_tasks(random_world, key, on):
    world, tasks, events = random_world
    period = rules.period_of(key)
    qs = Task.objects.all()
    counts = selectors.accounting(qs, period, on)[0]
    assert selectors.counted_tasks(qs, period, on).count() == counts.assigned
    for cls in rules.CLASSES:
        assert selectors.counted_tasks(qs, period, on, cls).count() == getattr(counts, cls), cls
