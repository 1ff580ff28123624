"""Vietnam's 2025 reorganization applied to the real apparatus: run with ``pytest -m slow``."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from tinhgon.apparatus import selectors
from tinhgon.apparatus.models import Unit
from tinhgon.core.models import AuditEvent
from tinhgon.restructuring.models import Plan, Succession
from tinhgon.restructuring.selectors import resolve_address, unit_lineage

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
EVE, DAY = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def reorganize():
    call_command("import_vn_admin_units", verbosity=0)
    call_command("import_vn_2025_plan", verbosity=0)
    return Plan.objects.get()


def counts(day):
    return {r["code"]: r["count"] for r in selectors.level_counts_as_of(day)}


def check_the_country_on_both_sides(reorganized):
    assert reorganized.status == Plan.APPLIED
    assert counts(EVE) == {"province": 63, "district": 696, "commune": 10035, "body": 0}
    assert counts(DAY) == {"province": 34, "district": 0, "commune": 3321, "body": 0}
    kinds = Counter(Unit.objects.filter(valid_from=DAY, level__code="commune").values_list("kind__code", flat=True))
    assert kinds == {"xa": 2621, "phuong": 687, "dac-khu": 13}
    assert AuditEvent.objects.filter(kind="plan.applied").count() == 1


def check_every_old_commune_has_a_successor(reorganized):
    old = Unit.objects.filter(level__code="commune", valid_to=DAY)
    assert old.count() == 10035
    assert not old.filter(successors_out__isnull=True).exists()
    divided = set(Succession.objects.filter(kind="split").values_list("predecessor_id", flat=True))
    assert len(divided) == 471


def check_lineage_of_a_divided_commune_shows_every_successor_with_shares(reorganized):
    old = Succession.objects.filter(kind="split").first().predecessor
    lin = unit_lineage(old, as_of=DAY)
    edges = [(e.successor["code"], e.share) for e in lin.became]
    assert len(edges) >= 2 and abs(sum(s for _c, s in edges) - 1) < 1e-6
    assert {c["code"] for c in lin.current} == {c for c, _s in edges}


def check_old_address_resolves_to_the_new_ward(reorganized):
    result = resolve_address("phuong phuc xa, ba dinh, ha noi", as_of=DAY)[0]
    assert result.matched["name"] == "Phường Phúc Xá"
    assert [c["name"] for c in result.current] == ["Phường Hồng Hà"]
    hai_duong = resolve_address("tinh hai duong", as_of=DAY)[0]
    assert [c["name"] for c in hai_duong.current] == ["Thành phố Hải Phòng"]


def check_rerun_changes_nothing(reorganized):
    n = Unit.objects.count()
    call_command("import_vn_2025_plan", verbosity=0)
    assert Unit.objects.count() == n and Plan.objects.count() == 1


def test_national_reorganization():
    """One import, several checks (the import and the plan take most of the time)."""
    plan = reorganize()
    check_the_country_on_both_sides(plan)
    check_every_old_commune_has_a_successor(plan)
    check_lineage_of_a_divided_commune_shows_every_successor_with_shares(plan)
    check_old_address_resolves_to_the_new_ward(plan)
    check_rerun_changes_nothing(plan)
