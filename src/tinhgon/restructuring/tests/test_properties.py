"""Property tests: random dated trees and random valid plans keep the invariants.

- as of any date the units form a tree (every parent exists that day, paths agree);
- every ended unit has a successor, unless it was dissolved with its contents taken over;
- counts add up: after = before − ended + created, level by level;
- applying then reverting restores the exact state.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.services import UnitInput, units_create
from tinhgon.core.dated import valid_on
from tinhgon.restructuring.models import Succession
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)

D0, DAY = dt.date(2020, 1, 1), dt.date(2025, 7, 1)

shape = st.lists(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=3), min_size=1, max_size=3)


def build_tree(layout: list[list[int]]) -> dict[str, list[str]]:
    """Provinces P0.., districts P0-D0.., communes P0-D0-C0..; returns communes per district."""
    rows, communes = [], {}
    for p, districts in enumerate(layout):
        pc = f"P{p}"
        rows.append(UnitInput(code=pc, name=f"Tỉnh {p}", kind="tinh", valid_from=D0))
        for d, n in enumerate(districts):
            dc = f"{pc}-D{d}"
            rows.append(UnitInput(code=dc, name=f"Huyện {p}.{d}", kind="huyen", parent_code=pc, valid_from=D0))
            communes[dc] = []
            for c in range(n):
                cc = f"{dc}-C{c}"
                rows.append(UnitInput(code=cc, name=f"Xã {p}.{d}.{c}", kind="xa", parent_code=dc, valid_from=D0))
                communes[dc].append(cc)
    units_create(rows=rows)
    return communes


@st.composite
def plans(draw):
    layout = draw(shape)
    ops_spec = draw(st.lists(st.tuples(st.sampled_from(["merge", "split", "rename", "move"]),
                                       st.integers(0, 10_000), st.integers(0, 10_000)), max_size=5))
    dissolve_level = draw(st.booleans())
    shares = draw(st.lists(st.integers(1, 9), min_size=3, max_size=3))
    return layout, ops_spec, dissolve_level, shares


def make_operations(communes: dict[str, list[str]], ops_spec, dissolve_level, shares):
    used: set[str] = set()
    ops, new_code = [], 0
    districts = sorted(communes)
    for kind, a, b in ops_spec:
        district = districts[a % len(districts)]
        free = [c for c in communes[district] if c not in used]
        if not free:
            continue
        if kind == "merge" and len(free) >= 2:
            sources = free[: 2 + (b % 2)] if len(free) >= 3 else free[:2]
            target = sources[b % len(sources)] if b % 3 else f"N{new_code}"
            new_code += 1
            ops.append(("merge", {"sources": sources, "target": {"code": target, "name": f"Xã hợp nhất {target}", "kind": "xa",
                                                                  "parent_code": district}}))
            used.update(sources)
        elif kind == "split":
            src = free[0]
            n = 2 + (b % 2)
            total = sum(shares[:n])
            targets = []
            for i in range(n):
                targets.append({"code": f"N{new_code}", "name": f"Xã tách {new_code}", "kind": "xa",
                                "share": shares[i] / total, "parent_code": district})
                new_code += 1
            ops.append(("split", {"source": src, "targets": targets}))
            used.add(src)
        elif kind == "rename":
            ops.append(("rename", {"code": free[0], "name": f"Xã đổi tên {free[0]}"}))
            used.add(free[0])
        elif kind == "move" and len(districts) > 1:
            other = districts[(a + 1) % len(districts)]
            if other != district:
                ops.append(("move", {"code": free[0], "parent_code": other}))
                used.add(free[0])
    if dissolve_level:
        ops.append(("dissolve_level", {"level": "district", "children_to": "province"}))
    return ops


def state():
    return sorted(Unit.objects.values_list("id", "code", "name", "parent_code", "path", "valid_from", "valid_to"))


def assert_tree(date: dt.date) -> None:
    units = {u.code: u for u in Unit.objects.filter(valid_on(date))}
    assert len(units) == Unit.objects.filter(valid_on(date)).count(), "one version per code per day"
    for u in units.values():
        if u.parent_code:
            parent = units.get(u.parent_code)
            assert parent is not None, f"{u.code} has no parent on {date}"
            assert u.path == f"{parent.path}{u.code}/"
        else:
            assert u.path == f"{u.code}/"


def level_counts(date):
    return Counter(Unit.objects.filter(valid_on(date)).values_list("level__code", flat=True))


class PlanProperties(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans())
    def test_random_valid_plans_keep_the_invariants(self, drawn):
        layout, ops_spec, dissolve_level, shares = drawn
        communes = build_tree(layout)
        ops = make_operations(communes, ops_spec, dissolve_level, shares)
        before = state()
        eve = DAY - dt.timedelta(days=1)
        counts_before = level_counts(eve)

        plan = plan_create(name="random", effective_date=DAY)
        if not ops:
            return
        operations_add(plan=plan, operations=ops)
        found = plan_validate(plan=plan)
        assert not [f for f in found if f["severity"] == "error"], (ops, found)
        plan_approve(plan=plan)
        application = plan_apply(plan=plan)

        for date in (eve, DAY, DAY + dt.timedelta(days=400)):
            assert_tree(date)
        # Every version that ended has a successor, unless its whole level was dissolved.
        ended = Unit.objects.filter(valid_to=DAY)
        for u in ended:
            has_successor = Succession.objects.filter(predecessor=u).exists()
            assert has_successor or (dissolve_level and u.level.code == "district"), u.code
        # Counts add up per level.
        created = Counter(Unit.objects.filter(pk__in=application.created).values_list("level__code", flat=True))
        gone = Counter(ended.values_list("level__code", flat=True))
        after = level_counts(DAY)
        for level in set(counts_before) | set(after):
            assert after[level] == counts_before[level] - gone[level] + created[level]
        if dissolve_level:
            assert after["district"] == 0
        assert sum(after.values()) >= len(layout)

        plan_revert(plan=plan)
        assert state() == before
