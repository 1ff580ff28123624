"""Probation and the development rate, as tables."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinhgon.party import rules


@pytest.mark.parametrize(("admission", "end"), [
    (dt.date(2025, 3, 15), dt.date(2026, 3, 15)),
    (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    (dt.date(2025, 12, 31), dt.date(2026, 12, 31)),
])
def test_probation_lasts_twelve_months(admission, end):
    assert rules.probation_end(admission) == end


@pytest.mark.parametrize(("admission", "official", "problem"), [
    (dt.date(2025, 3, 15), dt.date(2025, 3, 1), "before_start"),
    (dt.date(2025, 3, 15), dt.date(2025, 3, 15), "before_start"),
    (dt.date(2025, 3, 15), dt.date(2026, 3, 14), "too_early"),
    (dt.date(2025, 3, 15), dt.date(2026, 3, 15), None),
    (dt.date(2025, 3, 15), dt.date(2027, 1, 1), None),
])
def test_official_date(admission, official, problem):
    assert rules.official_problem(admission, official) == problem


@pytest.mark.parametrize(("new", "start", "rate"), [(3, 100, 0.03), (0, 50, 0.0), (5, 0, None)])
def test_development_rate(new, start, rate):
    assert rules.development_rate(new, start) == rate


def test_roll_up_sums_into_every_ancestor():
    rows = {"01/A/CB1/": (2, 40), "01/A/CB2/": (1, 10), "01/B/CB3/": (3, 50), "79/X/CB9/": (9, 9)}
    out = rules.roll_up(rows, ["01/", "01/A/", "01/A/CB1/", "01/B/", "79/"])
    assert out == {"01/": (6, 100), "01/A/": (3, 50), "01/A/CB1/": (2, 40), "01/B/": (3, 50), "79/": (9, 9)}


@settings(derandomize=True, max_examples=60)
@given(st.dictionaries(st.sampled_from(["01/A/C1/", "01/A/C2/", "01/B/C3/", "01/C4/"]),
                       st.tuples(st.integers(0, 50), st.integers(0, 500)), min_size=1))
def test_roll_up_top_equals_the_total(rows):
    out = rules.roll_up(rows, ["01/"])
    assert out["01/"] == (sum(v[0] for v in rows.values()), sum(v[1] for v in rows.values()))
