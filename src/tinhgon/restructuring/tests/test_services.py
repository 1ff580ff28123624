"""Plans: validation (a table of violation codes), apply, revert, atomicity."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus import selectors
from tinhgon.apparatus.models import Function, FunctionHolding, Position, Unit
from tinhgon.apparatus.services import payroll_quota_set, position_create
from tinhgon.core.models import AuditEvent, ObjectChange
from tinhgon.core.testing import D0, failing_successor_handler
from tinhgon.restructuring.models import Plan, Succession
from tinhgon.restructuring.services import (
    PlanRefused,
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def make_plan(ops, **kw):
    plan = plan_create(name="Phương án thử", effective_date=kw.pop("date", DAY),
                       legal_basis="Nghị quyết thử", **kw)
    operations_add(plan=plan, operations=ops)
    return plan


def codes_of(findings, severity="error"):
    return sorted({f["code"] for f in findings if f["severity"] == severity})


def snapshot_state():
    return (
        sorted(Unit.objects.values_list("id", "code", "valid_from", "valid_to", "path")),
        sorted(Succession.objects.values_list("id", flat=True)),
        sorted(Position.objects.values_list("id", "unit_id")),
    )


MERGE_COMMUNES = (
    "merge",
    {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}},
)

VIOLATIONS = [
    ("unit_not_valid", [("rename", {"code": "99999", "name": "X"})]),
    ("consumed_twice", [MERGE_COMMUNES, ("rename", {"code": "00004", "name": "Trúc Bạch 2"})]),
    ("not_consumed", [("dissolve", {"code": "001"})]),
    ("split_shares", [("split", {"source": "08974", "targets": [
        {"code": "08975", "name": "Xã A", "kind": "xa", "share": 0.5},
        {"code": "08976", "name": "Xã B", "kind": "xa", "share": 0.4}]})]),
    ("cycle", [("move", {"code": "01", "parent_code": "00001"})]),
    ("code_in_use", [("create", {"unit": {"code": "00004", "name": "Trùng", "kind": "phuong", "parent_code": "001"}})]),
    ("unknown_parent", [("create", {"unit": {"code": "77777", "name": "Xã mới", "kind": "xa", "parent_code": "nope"}})]),
    ("unknown_target", [("split", {"source": "08974", "targets": [
        {"code": "08975", "name": "Xã A", "kind": "xa", "share": 0.5}, {"code": "nowhere", "share": 0.5}]})]),
    ("bad_operation", [("merge", {"sources": []})]),
    ("new_code_twice", [
        ("create", {"unit": {"code": "A", "name": "A", "kind": "so-nganh", "level": "province", "parent_code": "01"}}),
        ("create", {"unit": {"code": "A", "name": "A2", "kind": "so-nganh", "level": "province", "parent_code": "01"}}),
    ]),
]


@pytest.mark.parametrize(("code", "ops"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_each_violation_code(tree, code, ops):
    plan = make_plan(ops)
    found = plan_validate(plan=plan)
    assert code in codes_of(found), found
    plan.refresh_from_db()
    assert plan.status == Plan.DRAFT
    f = next(f for f in found if f["code"] == code)
    assert f["message_vi"] and f["message_en"] and f["message_vi"] != f["message_en"]


def test_vacant_field_until_transferred(tree):
    land = Function.objects.create(code="land", name="Đất đai")
    FunctionHolding.objects.create(unit=tree["08974"], function=land, valid_from=D0)
    plan = make_plan([("dissolve", {"code": "08974"})])
    assert "vacant_field" in codes_of(plan_validate(plan=plan))
    operations_add(plan=plan, operations=[("transfer_function", {"from": "08974", "to": "250", "function": "land"})])
    assert codes_of(plan_validate(plan=plan)) == []


def test_every_violation_is_reported_at_once(tree):
    plan = make_plan([dict(VIOLATIONS)["unit_not_valid"][0], dict(VIOLATIONS)["split_shares"][0],
                      ("dissolve", {"code": "001"})])
    assert {"unit_not_valid", "split_shares", "not_consumed"} <= set(codes_of(plan_validate(plan=plan)))


def test_scope_without_successor_is_reported(tree):
    make_user("only-mê-linh", scopes=[tree["08974"]])
    plan = make_plan([("dissolve", {"code": "08974"})])
    assert "scope_without_successor" in codes_of(plan_validate(plan=plan))


def approve_and_apply(plan):
    assert codes_of(plan_validate(plan=plan)) == [], plan.violations
    plan_approve(plan=plan)
    return plan_apply(plan=plan)


def test_merge_then_revert_restores_the_exact_state(tree):
    position_create(unit=tree["00004"], title="Chủ tịch UBND phường")
    user = make_user("tb-viewer", scopes=[tree["00004"]])
    before = snapshot_state()
    plan = make_plan([MERGE_COMMUNES])
    approve_and_apply(plan)
    after = selectors.unit_version_on("00001", DAY)
    assert after.name == "Phường Ba Đình" and after.path == "01/001/00001/"
    assert not selectors.unit_version_on("00004", DAY)
    kinds = set(Succession.objects.filter(plan=plan).values_list("kind", flat=True))
    assert kinds == {"merge", "absorb"}
    assert Position.objects.get().unit_id == after.pk  # moved by the successor protocol
    assert list(user.scopes.values_list("unit_id", flat=True)) == [after.pk]
    assert AuditEvent.objects.filter(kind="plan.applied").count() == 1
    plan_revert(plan=plan)
    assert snapshot_state() == before
    user.forget_scope_cache()
    assert list(user.scopes.values_list("unit__code", flat=True)) == ["00004"]


def test_dissolve_level_reparents_to_the_province(tree):
    plan = make_plan([("dissolve_level", {"level": "district", "children_to": "province"})])
    approve_and_apply(plan)
    counts = {c["code"]: c["count"] for c in selectors.level_counts_as_of(DAY)}
    assert counts == {"province": 3, "district": 0, "commune": 5, "body": 0}
    assert selectors.unit_version_on("00001", DAY).path == "01/00001/"
    assert selectors.unit_version_on("00001", DAY - dt.timedelta(days=1)).path == "01/001/00001/"


def test_split_with_shares_and_lineage(tree):
    plan = make_plan([("split", {"source": "08974", "targets": [
        {"code": "08975", "name": "Xã Đại Thịnh A", "kind": "xa", "share": 0.6},
        {"code": "08976", "name": "Xã Đại Thịnh B", "kind": "xa", "share": 0.4}]})])
    approve_and_apply(plan)
    edges = sorted(Succession.objects.values_list("successor__code", "share"))
    assert edges == [("08975", 0.6), ("08976", 0.4)]


def test_merge_of_provinces_carries_children(tree):
    plan = make_plan([("merge", {"sources": ["26", "01"], "target": {"code": "01", "name": "Thành phố Hà Nội"}})])
    approve_and_apply(plan)
    assert selectors.unit_version_on("243", DAY).path == "01/243/"
    assert selectors.unit_version_on("08866", DAY).path == "01/243/08866/"
    counts = {c["code"]: c["count"] for c in selectors.level_counts_as_of(DAY)}
    assert counts["province"] == 2


@pytest.mark.parametrize("status_step", ["draft", "validated", "applied"])
def test_apply_refused_unless_approved_once(tree, status_step):
    plan = make_plan([MERGE_COMMUNES])
    if status_step != "draft":
        plan_validate(plan=plan)
    if status_step == "applied":
        plan_approve(plan=plan)
        plan_apply(plan=plan)
    before = snapshot_state()
    with pytest.raises(PlanRefused):
        plan_apply(plan=plan)
    assert snapshot_state() == before


def test_failure_in_the_middle_of_apply_leaves_nothing(tree):
    position_create(unit=tree["00004"], title="Chủ tịch UBND phường")
    plan = make_plan([MERGE_COMMUNES, ("dissolve_level", {"level": "district", "children_to": "province"})])
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    before = snapshot_state()
    changes_before = ObjectChange.objects.count()

    with failing_successor_handler():
        with pytest.raises(RuntimeError):
            plan_apply(plan=plan)
    assert snapshot_state() == before
    assert ObjectChange.objects.count() == changes_before
    plan.refresh_from_db()
    assert plan.status == Plan.APPROVED


def test_permissions(tree):
    viewer = make_user("v", scopes=[tree["01"]])
    with pytest.raises(PermissionDenied):
        plan_create(name="x", effective_date=DAY, user=viewer)
    organizer = make_user("o", role="organizer", scopes=[tree["01"]])
    plan = plan_create(name="x", effective_date=DAY, user=organizer, scope_path="01/")
    operations_add(plan=plan, operations=[MERGE_COMMUNES], user=organizer)
    plan_validate(plan=plan, user=organizer)
    with pytest.raises(PermissionDenied):
        plan_approve(plan=plan, user=organizer)
    leader = make_user("l", role="leader", scopes=[tree["01"]])
    plan_approve(plan=plan, user=leader)


def test_revert_refused_when_a_later_plan_depends(tree):
    first = make_plan([MERGE_COMMUNES])
    approve_and_apply(first)
    second = make_plan([("rename", {"code": "00001", "name": "Phường Ba Đình mới"})], date=dt.date(2026, 1, 1))
    approve_and_apply(second)
    with pytest.raises(PlanRefused):
        plan_revert(plan=first)
    plan_revert(plan=second)
    plan_revert(plan=first)
    assert selectors.unit_version_on("00004", DAY) is not None


def test_quota_moves_with_the_unit(tree):
    payroll_quota_set(unit=tree["00004"], year=2026, quota=20)
    payroll_quota_set(unit=tree["00004"], year=2024, quota=25)
    plan = make_plan([MERGE_COMMUNES])
    approve_and_apply(plan)
    new = selectors.unit_version_on("00001", DAY)
    assert list(new.payroll_quotas.values_list("year", flat=True)) == [2026]


def test_quota_of_a_new_unit_cannot_exceed_its_predecessors(tree):
    payroll_quota_set(unit=tree["00001"], year=2025, quota=20)
    payroll_quota_set(unit=tree["00004"], year=2024, quota=15)
    too_many = ("merge", {"sources": ["00001", "00004"],
                          "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong", "payroll_quota": 36}})
    plan = make_plan([too_many])
    found = plan_validate(plan=plan)
    assert "quota_exceeds" in codes_of(found)
    # 34 of 35 is within the predecessors' but a 2.9 % cut: short of the 5 % roadmap (information).
    plan2 = make_plan([("merge", {"sources": ["00001", "00004"], "target": {
        "code": "00001", "name": "Phường Ba Đình", "kind": "phuong", "payroll_quota": 34}})])
    found = plan_validate(plan=plan2)
    assert codes_of(found) == [] and "roadmap_short" in codes_of(found, "info")
    plan_approve(plan=plan2)
    plan_apply(plan=plan2)
    new = selectors.unit_version_on("00001", DAY)
    assert list(new.payroll_quotas.values_list("year", "quota")) == [(2025, 34)]


@pytest.mark.parametrize(("area", "population", "expected"), [
    (10.0, None, ("error", "below_standard")),      # area below every variant: fails whatever the terrain
    (40.0, None, ("unknown", "standard_unknown")),  # area enough, population unknown: never "passing"
    (150.0, 20_000, None),                          # meets every variant
    (40.0, 20_000, ("unknown", "standard_unknown")),  # plain commune passes, mountainous floor 100 km² not
])
def test_standards_of_a_merged_commune(tree, area, population, expected):
    op = ("merge", {"sources": ["00001", "00004"], "target": {
        "code": "00001", "name": "Xã Mới", "kind": "xa", "area_km2": area, "population": population}})
    found = plan_validate(plan=make_plan([op]))
    std = [(f["severity"], f["code"]) for f in found if f["code"] in ("below_standard", "standard_unknown")]
    assert (std[0] if std else None) == expected, found


def test_report_counts_and_quota_before_and_after(tree, admin_user):
    from tinhgon.restructuring.selectors import plan_report

    payroll_quota_set(unit=tree["00001"], year=2024, quota=20)
    payroll_quota_set(unit=tree["00004"], year=2024, quota=15)
    plan = make_plan([("merge", {"sources": ["00001", "00004"], "target": {
        "code": "00001", "name": "Phường Ba Đình", "kind": "phuong", "payroll_quota": 33}})])
    approve_and_apply(plan)
    report = plan_report(plan, user=admin_user)
    assert (report.quota_before, report.quota_after) == (35, 33)
    assert abs(report.reduction - 2 / 35) < 1e-9
    before = {(r["level"], r["kind"]): r["count"] for r in report.before}
    after = {(r["level"], r["kind"]): r["count"] for r in report.after}
    assert before[("commune", "Phường")] == 4 and after[("commune", "Phường")] == 3
    assert [u["code"] for u in report.new_units] == ["00001"]
    assert sorted(p["code"] for p in report.new_units[0]["predecessors"]) == ["00001", "00004"]
