"""The real national apparatus (vietnamadminunits): run with ``pytest -m slow``."""

import datetime as dt

import pytest
from django.core.management import call_command

from tinhgon.apparatus import selectors, vn_admin
from tinhgon.apparatus.models import Unit
from tinhgon.core.models import AuditEvent, ObjectChange

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture
def national():
    call_command("import_vn_admin_units", verbosity=0)


def by_level(**kw):
    return {row["code"]: row["count"] for row in selectors.level_counts_as_of(AS_OF, **kw)}


def test_counts_per_level_and_kind(national):
    assert by_level() == {"province": 63, "district": 696, "commune": 10035, "body": 0}
    assert Unit.objects.count() == 10794
    assert vn_admin.count_mismatches() == []
    found = vn_admin.registry_counts()
    assert sum(found["province"].values()) == 63 and found["province"]["thanh-pho-tw"] == 6  # Huế since 2025-01-01
    # five island districts have no communes
    districts = set(Unit.objects.filter(level__code="district").values_list("code", flat=True))
    with_communes = set(Unit.objects.filter(level__code="commune").values_list("parent_code", flat=True))
    assert len(districts - with_communes) == 5
    # nothing as of a date before the imported versions start
    assert {r["code"]: r["count"] for r in selectors.level_counts_as_of(dt.date(2024, 12, 31))} == {
        "province": 0, "district": 0, "commune": 0, "body": 0}


def test_rerun_creates_nothing(national):
    units, changes, events = Unit.objects.count(), ObjectChange.objects.count(), AuditEvent.objects.count()
    call_command("import_vn_admin_units", verbosity=0)
    assert (Unit.objects.count(), ObjectChange.objects.count(), AuditEvent.objects.count()) == (units, changes, events)


def test_search_and_subtree(national):
    found = list(selectors.unit_search(date=AS_OF, q="phuc xa").values_list("name", flat=True))
    assert "Phường Phúc Xá" in found
    assert list(selectors.unit_search(date=AS_OF, q="ba dinh", level="district").values_list("code", flat=True)) == ["001"]
    hanoi = Unit.objects.get(code="01")
    tree = selectors.unit_tree_as_of(AS_OF, root_path=hanoi.path)
    assert tree[0]["code"] == "01" and all(r["path"].startswith("01/") for r in tree)
    counts = by_level(root_path=hanoi.path)
    assert counts == {"province": 1, "district": 30, "commune": 526, "body": 0}
    assert len(tree) == 1 + 30 + 526
    assert [r["path"] for r in tree] == sorted(r["path"] for r in tree)
    assert selectors.unit_tree_as_of(AS_OF, root_path=hanoi.path, max_depth=1)[-1]["depth"] == 1


def test_change_log_holds_one_create_row_per_unit(national):
    changes = ObjectChange.objects.filter(content_type__app_label="apparatus", content_type__model="unit")
    assert changes.filter(action="create").count() == 10794
    assert changes.values("object_id").distinct().count() == 10794
    assert set(changes.values_list("source", flat=True)) == {"cli"}
    assert AuditEvent.objects.filter(kind="units.imported").count() == 1
