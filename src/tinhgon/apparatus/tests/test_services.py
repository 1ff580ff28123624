"""Unit versions: creation, changes, ends, and every kind of bad input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tinhgon.apparatus import selectors
from tinhgon.apparatus.models import PayrollQuota, Position, Unit
from tinhgon.apparatus.services import (
    UnitInput,
    UnitRowsInvalid,
    payroll_quota_set,
    position_create,
    unit_change,
    unit_create,
    unit_end,
    units_create,
)
from tinhgon.core.models import ObjectChange
from tinhgon.core.testing import D0

pytestmark = pytest.mark.django_db


def counts():
    return Unit.objects.count(), ObjectChange.objects.count()


def test_tree_paths_and_levels(tree):
    assert tree["01"].path == "01/"
    assert tree["001"].path == "01/001/"
    assert tree["00001"].path == "01/001/00001/"
    assert tree["00001"].depth == 2
    assert tree["00001"].level.code == "commune"
    assert tree["001"].level.code == "district"
    assert tree["01"].search_text.startswith("thanh pho ha noi")


def test_units_create_is_idempotent(tree):
    before = counts()
    rows = [UnitInput(code="01", name="Thành phố Hà Nội", kind="thanh-pho-tw", valid_from=D0)]
    assert units_create(rows=rows) == []
    assert counts() == before


def test_as_of_filters_half_open_intervals(tree):
    day = dt.date(2025, 7, 1)
    unit_end(unit=tree["08974"], on=day)
    assert selectors.units_as_of(day - dt.timedelta(days=1)).filter(code="08974").exists()
    assert not selectors.units_as_of(day).filter(code="08974").exists()
    ended = Unit.objects.get(code="08974")
    assert ended.valid_to == day and ended.last_valid_day == dt.date(2025, 6, 30)


BAD_ROWS = [
    # (description, row fields, field named in the error)
    ("valid_to before valid_from", dict(code="99", name="X", kind="tinh", valid_from=D0, valid_to=D0 - dt.timedelta(days=1)), "valid_to"),
    ("valid_to equal to valid_from", dict(code="99", name="X", kind="tinh", valid_from=D0, valid_to=D0), "valid_to"),
    ("unknown kind", dict(code="99", name="X", kind="vuong-quoc", valid_from=D0), "kind"),
    ("unknown level", dict(code="99", name="X", kind="so-nganh", level="galaxy", valid_from=D0), "level"),
    ("level contradicting the kind", dict(code="99", name="X", kind="tinh", level="commune", valid_from=D0), "level"),
    ("kind without level and none given", dict(code="99", name="X", kind="so-nganh", valid_from=D0), "level"),
    ("bad code", dict(code="9 9/", name="X", kind="tinh", valid_from=D0), "code"),
    ("empty name", dict(code="99", name="  ", kind="tinh", valid_from=D0), "name"),
    ("missing parent", dict(code="99999", name="X", kind="xa", parent_code="999", valid_from=D0), "parent_code"),
    ("parent not valid at the start", dict(code="99999", name="X", kind="xa", parent_code="001", valid_from=D0 - dt.timedelta(days=1)), "parent_code"),
    ("own parent", dict(code="99999", name="X", kind="xa", parent_code="99999", valid_from=D0), "parent_code"),
    ("overlapping version of a code", dict(code="00001", name="Phúc Xá 2", kind="phuong", parent_code="001", valid_from=dt.date(2021, 1, 1)), "valid_from"),
    ("negative population", dict(code="99", name="X", kind="tinh", valid_from=D0, population=-1), "population"),
]


@pytest.mark.parametrize(("label", "fields", "field"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_bad_unit_is_refused_and_nothing_written(tree, label, fields, field):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        unit_create(**fields)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert counts() == before


def test_parent_must_cover_the_whole_period(tree):
    unit_end(unit=tree["08974"], on=dt.date(2025, 7, 1))
    unit_end(unit=tree["250"], on=dt.date(2025, 7, 1))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        unit_create(code="08999", name="Xã Mới", kind="xa", parent_code="250", valid_from=dt.date(2025, 1, 1))
    assert "parent_code" in exc.value.message_dict
    assert counts() == before
    # Inside the parent's period it is accepted.
    unit_create(code="08999", name="Xã Mới", kind="xa", parent_code="250", valid_from=dt.date(2025, 1, 1),
                valid_to=dt.date(2025, 7, 1))


def test_cycle_inside_a_batch_is_refused(db):
    before = counts()
    rows = [
        UnitInput(code="A1", name="A", kind="so-nganh", level="province", parent_code="B1", valid_from=D0, row=2),
        UnitInput(code="B1", name="B", kind="so-nganh", level="province", parent_code="A1", valid_from=D0, row=3),
    ]
    with pytest.raises(UnitRowsInvalid) as exc:
        units_create(rows=rows)
    assert {(e.row, e.field) for e in exc.value.errors_list} == {(2, "parent_code"), (3, "parent_code")}
    assert counts() == before


def test_batch_reports_every_error_at_once(db):
    rows = [
        UnitInput(code="01", name="Hà Nội", kind="thanh-pho-tw", valid_from=D0, row=2),
        UnitInput(code="001", name="Ba Đình", kind="nope", parent_code="01", valid_from=D0, row=3),
        UnitInput(code="002", name="", kind="quan", parent_code="01", valid_from=D0, row=4),
        UnitInput(code="01", name="Hà Nội bis", kind="thanh-pho-tw", valid_from=dt.date(2021, 1, 1), row=5),
    ]
    with pytest.raises(UnitRowsInvalid) as exc:
        units_create(rows=rows)
    found = {(e.row, e.field) for e in exc.value.errors_list}
    assert {(3, "kind"), (4, "name"), (5, "valid_from")} <= found
    assert Unit.objects.count() == 0


def test_parents_later_in_the_batch_are_resolved(db):
    rows = [
        UnitInput(code="00001", name="Phường Phúc Xá", kind="phuong", parent_code="001", valid_from=D0),
        UnitInput(code="001", name="Quận Ba Đình", kind="quan", parent_code="01", valid_from=D0),
        UnitInput(code="01", name="Thành phố Hà Nội", kind="thanh-pho-tw", valid_from=D0),
    ]
    created = {u.code: u for u in units_create(rows=rows)}
    assert created["00001"].path == "01/001/00001/"


def test_rename_makes_a_new_version_and_keeps_history(tree):
    day = dt.date(2025, 7, 1)
    new = unit_change(unit=tree["00001"], on=day, name="Phường Phúc Xá mới")
    versions = list(selectors.unit_versions("00001"))
    assert [v.name for v in versions] == ["Phường Phúc Xá", "Phường Phúc Xá mới"]
    assert versions[0].valid_to == day and new.valid_from == day and new.path == tree["00001"].path
    assert selectors.unit_version_on("00001", dt.date(2025, 6, 30)).name == "Phường Phúc Xá"


def test_move_gives_descendants_new_paths(tree):
    day = dt.date(2025, 7, 1)
    moved = unit_change(unit=tree["001"], on=day, parent_code="26")
    assert moved.path == "26/001/"
    child = selectors.unit_version_on("00001", day)
    assert child.path == "26/001/00001/"
    assert selectors.unit_version_on("00001", dt.date(2025, 6, 30)).path == "01/001/00001/"
    # The tree as of each date is consistent.
    assert {u["code"] for u in selectors.unit_tree_as_of(day, root_path="26/")} >= {"001", "00001", "00004"}
    assert not any(u["code"] == "001" for u in selectors.unit_tree_as_of(day, root_path="01/"))


def test_move_below_itself_is_a_cycle(tree):
    before = counts()
    with pytest.raises(ValidationError):
        unit_change(unit=tree["01"], on=dt.date(2025, 7, 1), parent_code="001")
    assert counts() == before


def test_end_refused_while_children_remain(tree):
    before = counts()
    with pytest.raises(ValidationError):
        unit_end(unit=tree["001"], on=dt.date(2025, 7, 1))
    assert counts() == before


def test_ancestors_and_children(tree):
    assert [u.code for u in selectors.unit_ancestors(tree["00001"])] == ["01", "001"]
    assert {u.code for u in selectors.unit_children(tree["001"], D0)} == {"00001", "00004"}


def test_search_without_accents(tree):
    found = selectors.unit_search(date=D0, q="phuc xa")
    assert [u.code for u in found] == ["00001"]
    assert [u.code for u in selectors.unit_search(date=D0, q="BA DINH")] == ["001"]
    assert selectors.unit_search(date=D0, q="dai thinh", level="commune").count() == 1


def test_level_counts(tree):
    counts_ = {c["code"]: c["count"] for c in selectors.level_counts_as_of(D0)}
    assert counts_ == {"province": 3, "district": 4, "commune": 5, "body": 0}
    hanoi = {c["code"]: c["count"] for c in selectors.level_counts_as_of(D0, root_path="01/")}
    assert hanoi == {"province": 1, "district": 2, "commune": 3, "body": 0}


def test_positions_and_quota(tree):
    p = position_create(unit=tree["01"], title="Chủ tịch UBND", count=1, is_leadership=True)
    assert p.pk
    with pytest.raises(ValidationError):
        position_create(unit=tree["01"], title="Phó Chủ tịch", count=0)
    with pytest.raises(ValidationError):
        payroll_quota_set(unit=tree["01"], year=2022, quota=-5)
    q = payroll_quota_set(unit=tree["01"], year=2022, quota=100)
    q2 = payroll_quota_set(unit=tree["01"], year=2022, quota=90)
    assert q.pk == q2.pk and PayrollQuota.objects.count() == 1 and Position.objects.count() == 1


def test_roadmap_per_unit_and_total(tree, admin_user):
    for code, base, target in (("01", 1000, 940), ("79", 2000, 1920), ("26", 500, None)):
        payroll_quota_set(unit=tree[code], year=2022, quota=base)
        if target is not None:
            payroll_quota_set(unit=tree[code], year=2026, quota=target)
    roadmap = selectors.payroll_roadmap(admin_user, on=dt.date(2025, 1, 1))
    rows = {r.code: r for r in roadmap.rows}
    assert rows["01"].meets is True and abs(rows["01"].reduction - 0.06) < 1e-9
    assert rows["79"].meets is False and abs(rows["79"].reduction - 0.04) < 1e-9
    assert rows["26"].meets is None and rows["26"].reduction is None
    assert (roadmap.total_baseline, roadmap.total_target) == (3000, 2860)
    assert roadmap.total_meets is False  # 4.67 % < 5 %
    assert roadmap.rule_set_code == "payroll-roadmap-2022-2026"


def test_roadmap_respects_scope(tree, hanoi_viewer):
    payroll_quota_set(unit=tree["01"], year=2022, quota=100)
    payroll_quota_set(unit=tree["79"], year=2022, quota=100)
    roadmap = selectors.payroll_roadmap(hanoi_viewer, on=dt.date(2025, 1, 1))
    assert [r.code for r in roadmap.rows] == ["01"]
