"""``generate-assessments``: an approved annual cycle and a quarterly one at review per province."""

import datetime as dt

import pytest
from django.core.management import call_command

from tinhgon.assessment.generator import _last_quarter, generate_assessments
from tinhgon.assessment.models import Cycle, Result
from tinhgon.assessment.selectors import latest_results
from tinhgon.cadres.models import Cadre

from .factories import make_world

pytestmark = pytest.mark.django_db


def test_last_quarter():
    assert _last_quarter(dt.date(2026, 11, 30)) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert _last_quarter(dt.date(2026, 2, 1)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_every_cadre_is_assessed(tree):
    make_world(tree)
    out = generate_assessments(seed=3, today=dt.date(2026, 11, 30))
    assert out.cycles == 4  # Hà Nội and Hồ Chí Minh City: one annual and one quarterly each
    annual = Cycle.objects.filter(kind=Cycle.ANNUAL)
    assert set(annual.values_list("status", flat=True)) == {Cycle.APPROVED}
    assert set(annual.values_list("rule_set", flat=True)) == {"assessment-90-2020-48-2023"}
    quarterly = Cycle.objects.get(kind=Cycle.QUARTERLY, unit__code="01")
    assert quarterly.status == Cycle.REVIEW and quarterly.rule_set == "assessment-335-2025"
    ids = list(Cadre.objects.values_list("id", flat=True))
    assert Result.objects.filter(cycle__in=annual).count() == len(ids)
    found = latest_results(ids, as_of=dt.date(2026, 11, 30))
    assert set(found) == set(ids) and all(v["period_end"] == dt.date(2025, 12, 31) for v in found.values())
    assert generate_assessments(seed=3, today=dt.date(2026, 11, 30)).skipped
    call_command("generate_assessments", "--seed", "3", "--today", "2026-11-30", verbosity=0)
    assert Cycle.objects.count() == 4
