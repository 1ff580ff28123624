"""``latest_results``: the interface placement reads the merit of its candidates from."""

import datetime as dt
from decimal import Decimal

import pytest

from tinhgon.assessment import selectors
from tinhgon.assessment.models import Cycle, Result
from tinhgon.cadres.tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def _cycle(unit, label, end, status=Cycle.APPROVED, rule_set="assessment-335-2025"):
    return Cycle.objects.create(label=label, kind=Cycle.ANNUAL, period_start=dt.date(end.year, 1, 1),
                                period_end=end, unit=unit, scope_path=unit.path, rule_set=rule_set,
                                status=status)


def _result(cycle, cadre, level, score=None):
    return Result.objects.create(cycle=cycle, cadre=cadre, unit_path=cadre.unit_path, level=level,
                                 score=score, rule_set=cycle.rule_set)


def test_latest_approved_result_per_cadre(tree):
    ward = tree["00001"]
    a, b, c = (CadreFactory(unit=ward) for _ in range(3))
    y2024 = _cycle(ward, "Năm 2024", dt.date(2024, 12, 31), rule_set="assessment-90-48")
    y2025 = _cycle(ward, "Năm 2025", dt.date(2025, 12, 31), rule_set="assessment-90-48")
    q1 = _cycle(ward, "Quý I/2026", dt.date(2026, 3, 31), status=Cycle.COUNCIL)
    _result(y2024, a, "good")
    r2025 = _result(y2025, a, "excellent")
    _result(q1, a, "not_completed", Decimal("40.00"))  # not approved: ignored
    _result(y2024, b, "completed")
    _result(q1, c, "good", Decimal("75.50"))  # c has no approved result

    found = selectors.latest_results([a.pk, b.pk, c.pk], as_of=dt.date(2026, 6, 30))
    assert set(found) == {a.pk, b.pk}
    assert found[a.pk] == {"level": "excellent", "score": None, "cycle": "Năm 2025",
                           "period_end": dt.date(2025, 12, 31), "rule_set": "assessment-90-48",
                           "result_id": r2025.pk}
    assert found[b.pk]["level"] == "completed"
    # as_of before 2025's end: 2024's result is the latest
    assert selectors.latest_results([a.pk], as_of=dt.date(2025, 6, 30))[a.pk]["cycle"] == "Năm 2024"
    assert selectors.latest_results([], as_of=dt.date(2026, 1, 1)) == {}


def test_scores_are_floats_and_large_id_lists_are_chunked(tree, monkeypatch):
    ward = tree["00001"]
    people = [CadreFactory(unit=ward) for _ in range(5)]
    cycle = _cycle(ward, "Năm 2026", dt.date(2026, 12, 31))
    for i, p in enumerate(people):
        _result(cycle, p, "good", Decimal("80.25") + i)
    monkeypatch.setattr(selectors, "CHUNK", 2)
    found = selectors.latest_results([p.pk for p in people] + [10**9], as_of=dt.date(2027, 1, 1))
    assert len(found) == 5
    assert found[people[0].pk]["score"] == 80.25 and isinstance(found[people[0].pk]["score"], float)
    assert found[people[0].pk]["rule_set"] == "assessment-335-2025"
