"""A unit and its predecessors: period figures follow mergers, splits and renames."""

import datetime as dt

import pytest

from tinhgon.apparatus.models import PayrollQuota, Unit
from tinhgon.apparatus.services import payroll_quota_set
from tinhgon.restructuring.selectors import predecessors_q, unit_predecessors
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

pytestmark = pytest.mark.django_db


def apply(ops, day):
    plan = plan_create(name=f"P {day}", effective_date=day, legal_basis="NQ")
    operations_add(plan=plan, operations=ops)
    found = plan_validate(plan=plan)
    assert not [f for f in found if f["severity"] == "error"], found
    plan_approve(plan=plan)
    plan_apply(plan=plan)


def test_a_merged_province_carries_what_merged_in(tree):
    apply([("rename", {"code": "26", "name": "Tỉnh Vĩnh Phúc (tên mới)"})], dt.date(2024, 1, 1))
    apply([("merge", {"sources": ["79", "26"], "target": {"code": "79", "name": "Thành phố Hồ Chí Minh",
                                                         "kind": "thanh-pho-tw"}})], dt.date(2025, 7, 1))
    now = Unit.objects.get(code="79", valid_to__isnull=True)
    got = unit_predecessors(now)
    codes = [(a.code, a.valid_from.isoformat()) for a in got]
    assert codes[0][0] == "79" and {c for c, _d in codes} == {"79", "26"}
    assert len([a for a in got if a.code == "26"]) == 2  # both versions of Vĩnh Phúc
    assert all(a.share == 1.0 for a in got)
    hanoi = Unit.objects.get(code="01", valid_to__isnull=True)
    assert [a.code for a in unit_predecessors(hanoi)] == ["01"]


def test_split_shares_and_dated_counting(tree):
    apply([("split", {"source": "08974", "targets": [
        {"code": "08975", "name": "Xã A", "kind": "xa", "share": 0.25},
        {"code": "08976", "name": "Xã B", "kind": "xa", "share": 0.75}]})], dt.date(2025, 7, 1))
    a = Unit.objects.get(code="08975")
    got = {x.code: x.share for x in unit_predecessors(a)}
    assert got == {"08975": 1.0, "08974": 0.25}
    old = Unit.objects.get(code="08974")
    payroll_quota_set(unit=old, year=2024, quota=10)
    payroll_quota_set(unit=a, year=2026, quota=7)
    # Quotas have a year, not a date: count by unit only.
    assert sorted(PayrollQuota.objects.filter(predecessors_q(a)).values_list("quota", flat=True)) == [7, 10]
