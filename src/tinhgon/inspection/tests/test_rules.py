"""Party discipline rules (RULES.md §8) as a table: who may receive which measure, and the
limitation period of each."""

import datetime as dt

import pytest

from tinhgon.core.rulesets import registered_defaults, rule_set_for
from tinhgon.inspection import rules
from tinhgon.inspection.rulesets import DISCIPLINE

P = next(r for r in registered_defaults(DISCIPLINE) if r.code == "discipline-69-2022").parameters

MEASURE_TABLE = [
    # subject kind, measure, holds a post, problem
    ("organization", "khien_trach", False, None),
    ("organization", "canh_cao", False, None),
    ("organization", "giai_tan", False, None),
    ("organization", "cach_chuc", False, "not_allowed"),
    ("organization", "khai_tru", False, "not_allowed"),
    ("full_member", "khien_trach", False, None),
    ("full_member", "canh_cao", False, None),
    ("full_member", "cach_chuc", True, None),
    ("full_member", "cach_chuc", False, "no_post"),
    ("full_member", "khai_tru", False, None),
    ("full_member", "giai_tan", True, "not_allowed"),
    ("probationary_member", "khien_trach", False, None),
    ("probationary_member", "canh_cao", True, None),
    ("probationary_member", "cach_chuc", True, "not_allowed"),
    ("probationary_member", "khai_tru", False, "not_allowed"),
    ("probationary_member", "giai_tan", False, "not_allowed"),
    ("somebody", "khien_trach", False, "not_allowed"),
]


@pytest.mark.parametrize(("kind", "measure", "post", "problem"), MEASURE_TABLE)
def test_measures_allowed_per_subject(kind, measure, post, problem):
    assert rules.measure_problem(subject_kind=kind, measure=measure, holds_post=post, parameters=P) == problem


LIMITATION_TABLE = [
    # measure, violation, decision, years, last day, expired
    ("khien_trach", dt.date(2020, 3, 10), dt.date(2025, 3, 9), 5, dt.date(2025, 3, 9), False),
    ("khien_trach", dt.date(2020, 3, 10), dt.date(2025, 3, 10), 5, dt.date(2025, 3, 9), True),
    ("canh_cao", dt.date(2016, 1, 1), dt.date(2025, 12, 31), 10, dt.date(2025, 12, 31), False),
    ("canh_cao", dt.date(2015, 1, 1), dt.date(2025, 1, 1), 10, dt.date(2024, 12, 31), True),
    ("cach_chuc", dt.date(2015, 6, 1), dt.date(2026, 1, 1), 10, dt.date(2025, 5, 31), True),
    ("khai_tru", dt.date(1990, 1, 1), dt.date(2026, 1, 1), None, None, False),
    ("giai_tan", dt.date(1990, 1, 1), dt.date(2026, 1, 1), None, None, False),
    ("khien_trach", dt.date(2020, 2, 29), dt.date(2025, 2, 28), 5, dt.date(2025, 2, 27), True),
]


@pytest.mark.parametrize(("measure", "act", "decision", "years", "last", "expired"), LIMITATION_TABLE)
def test_limitation_period(measure, act, decision, years, last, expired):
    lim = rules.limitation(measure=measure, act_date=act, decision_date=decision, parameters=P)
    assert (lim.years, lim.expires, lim.expired) == (years, last, expired)


@pytest.mark.django_db
def test_the_rule_set_names_its_legal_basis_and_is_dated():
    rs = rule_set_for(DISCIPLINE, dt.date(2026, 1, 1))
    assert "69-QĐ/TW" in rs.legal_basis and rs.valid_from == dt.date(2022, 7, 6)
    with pytest.raises(LookupError):
        rule_set_for(DISCIPLINE, dt.date(2020, 1, 1))
