"""Table tests of the statutory deadlines (RULES.md §7) with the ``holidays`` package as the oracle."""

import datetime as dt

import holidays
import pytest

from tinhgon.core.rulesets import registered_defaults
from tinhgon.petitions import rules, rulesets  # noqa: F401 - registers the rule sets
from tinhgon.petitions.rules import Calendar, RuleError

D = dt.date
RULE_SETS = {r.code: r for r in registered_defaults()}
P2018 = RULE_SETS["petitions-2011-2018"].parameters
P2026 = RULE_SETS["petitions-2026"].parameters
VN = holidays.country_holidays("VN", years=range(2025, 2029))


def oracle_next_working(day: dt.date) -> dt.date:
    while day.weekday() >= 5 or day in VN:
        day += dt.timedelta(days=1)
    return day


def deadline(params=P2026, code="petitions-2026", **kw):
    return rules.settlement_deadline(params, code, **kw)


# (kind, round, complexity, remote, extensions, accepted, days)
TABLE = [
    # Tết 2026 (16–20 Feb, Monday to Friday, between two weekends)
    ("complaint", 1, "normal", False, 0, D(2026, 1, 15), 30),     # raw Sat 14 Feb → Mon 23 Feb
    ("complaint", 1, "normal", False, 0, D(2026, 1, 17), 30),     # raw Mon 16 Feb (Tết) → 23 Feb
    ("complaint", 1, "complex", False, 0, D(2026, 1, 5), 45),     # raw Thu 19 Feb (Tết) → 23 Feb
    ("complaint", 2, "normal", False, 0, D(2026, 1, 6), 45),      # raw Fri 20 Feb (Tết) → 23 Feb
    ("denunciation", 1, "normal", False, 0, D(2026, 1, 20), 30),  # raw Thu 19 Feb → 23 Feb
    # Tết 2027 (4–10 Feb, Thursday to Wednesday)
    ("complaint", 1, "normal", False, 0, D(2027, 1, 5), 30),      # raw Thu 4 Feb → Thu 11 Feb
    ("complaint", 2, "complex", False, 0, D(2026, 12, 9), 60),    # raw Sun 7 Feb → 11 Feb
    ("denunciation", 1, "complex", False, 1, D(2026, 12, 10), 60),  # raw Mon 8 Feb → 11 Feb
    ("denunciation", 1, "especially_complex", False, 2, D(2026, 11, 10), 90),  # raw Mon 8 Feb
    # weekends and ordinary days
    ("complaint", 1, "normal", False, 0, D(2026, 8, 1), 30),      # raw Mon 31 Aug (a substituted day off)
    ("complaint", 1, "normal", False, 0, D(2026, 9, 4), 30),      # raw Sun 4 Oct → Mon 5 Oct
    ("complaint", 1, "normal", False, 0, D(2026, 9, 8), 30),      # raw Thu 8 Oct: a working day
    ("complaint", 1, "normal", False, 0, D(2026, 8, 3), 30),      # raw Wed 2 Sep (National Day) → 4 Sep
    # remote areas
    ("complaint", 1, "normal", True, 0, D(2026, 9, 1), 45),
    ("complaint", 1, "complex", True, 0, D(2026, 9, 1), 60),
    ("complaint", 2, "normal", True, 0, D(2026, 9, 1), 60),
    ("complaint", 2, "complex", True, 0, D(2026, 9, 1), 70),
    ("complaint", 2, "complex", True, 0, D(2026, 12, 29), 70),    # raw Mon 8 Mar 2027
    # denunciation extensions
    ("denunciation", 1, "normal", False, 0, D(2026, 9, 1), 30),
    ("denunciation", 1, "complex", False, 0, D(2026, 9, 1), 30),
    ("denunciation", 1, "complex", False, 1, D(2026, 9, 1), 60),
    ("denunciation", 1, "especially_complex", False, 1, D(2026, 9, 1), 60),
    ("denunciation", 1, "especially_complex", False, 2, D(2026, 9, 1), 90),
    ("denunciation", 1, "normal", True, 0, D(2026, 9, 1), 30),    # no remote rule for denunciations
]


@pytest.mark.parametrize("kind,round_,complexity,remote,ext,accepted,days", TABLE)
def test_settlement_deadlines(kind, round_, complexity, remote, ext, accepted, days):
    d = deadline(kind=kind, round=round_, complexity=complexity, remote=remote, extensions=ext, accepted=accepted)
    raw = accepted + dt.timedelta(days=days)
    assert d.days == days and d.raw == raw
    assert d.deadline == oracle_next_working(raw)
    assert d.rule_set == "petitions-2026" and d.counting == "calendar"


def test_tet_examples_spelled_out():
    assert deadline(kind="complaint", accepted=D(2026, 1, 15)).deadline == D(2026, 2, 23)
    assert deadline(kind="complaint", accepted=D(2027, 1, 5)).deadline == D(2027, 2, 11)


def test_day_swaps_move_the_end():
    swap = Calendar.of([(D(2026, 1, 2), D(2026, 1, 10))])   # Friday 2 Jan off, Saturday 10 Jan worked
    plain = deadline(kind="complaint", accepted=D(2025, 12, 3))
    swapped = deadline(kind="complaint", accepted=D(2025, 12, 3), calendar=swap)
    assert plain.raw == swapped.raw == D(2026, 1, 2)
    assert plain.deadline == D(2026, 1, 2) and swapped.deadline == D(2026, 1, 5)
    # a Saturday made a working day ends the period on that Saturday
    assert deadline(kind="complaint", accepted=D(2025, 12, 11)).deadline == D(2026, 1, 12)
    assert deadline(kind="complaint", accepted=D(2025, 12, 11), calendar=swap).deadline == D(2026, 1, 10)


def test_working_day_counting_when_a_rule_set_says_so():
    params = {**P2026, "counting": "working"}
    d = rules.acceptance_deadline(params, "x", kind="complaint", received=D(2026, 2, 12))
    # 13 Feb (Fri), then Tết and the weekends: 23, 24, 25, 26, 27 Feb, 2, 3, 4, 5 Mar
    assert d.deadline == d.raw == D(2026, 3, 5)


def test_acceptance_periods():
    d = rules.acceptance_deadline(P2026, "petitions-2026", kind="complaint", received=D(2026, 2, 8))
    assert d.raw == D(2026, 2, 18) and d.deadline == D(2026, 2, 23)
    none = rules.acceptance_deadline(P2026, "petitions-2026", kind="denunciation", received=D(2026, 2, 8))
    assert none.deadline is None and "no acceptance period" in none.explanation


def test_recommendations_get_no_invented_deadline():
    d = deadline(kind="recommendation", accepted=D(2026, 9, 1))
    assert d.deadline is None and d.raw is None and d.days is None


@pytest.mark.parametrize("kw,code", [
    ({"kind": "complaint", "extensions": 1}, "extensions"),
    ({"kind": "denunciation", "extensions": 1}, "extensions"),
    ({"kind": "denunciation", "complexity": "complex", "extensions": 2}, "extensions"),
    ({"kind": "denunciation", "complexity": "especially_complex", "extensions": 3}, "extensions"),
    ({"kind": "complaint", "complexity": "especially_complex"}, "complexity"),
    ({"kind": "complaint", "round": 3}, "round"),
    ({"kind": "petition"}, "kind"),
    ({"kind": "complaint", "complexity": "hard"}, "complexity"),
])
def test_what_a_rule_set_does_not_allow(kw, code):
    with pytest.raises(RuleError) as exc:
        deadline(accepted=D(2026, 9, 1), **kw)
    assert exc.value.code == code


def test_suspended_time_counts_only_before_2026_07_01():
    before = deadline(P2018, "petitions-2011-2018", kind="complaint", accepted=D(2026, 3, 2), suspended_days=10)
    after = deadline(kind="complaint", accepted=D(2026, 9, 1), suspended_days=10)
    assert before.days == 30 and "counts toward" in before.notes[0]
    assert after.days == 40


def test_second_round_window():
    assert rules.second_round_window(P2026, first_decided=D(2026, 9, 1)) == D(2026, 10, 1)
    assert rules.second_round_window(P2026, first_decided=D(2026, 9, 1), remote=True) == D(2026, 10, 16)


@pytest.mark.parametrize("people,allowed", [(1, None), (4, None), (5, (1, 2)), (10, (1, 2)), (11, (1, 5)), (300, (1, 5))])
def test_representatives(people, allowed):
    assert rules.representatives_allowed(people) == allowed


def test_hotspot_reasons():
    t = RULE_SETS["hotspots-default"].parameters
    assert rules.hotspot_reasons(rules.Gathering(1, 1, 1, 0, 0), t) == []
    assert rules.hotspot_reasons(rules.Gathering(40, 9, 40, 3, 4), t) == ["people", "contacts", "crowded_group",
                                                                           "overdue", "repeats"]


def test_reception_duty_two_rule_sets():
    old = RULE_SETS["reception-2013"].parameters["duties"]
    new = RULE_SETS["reception-2026"].parameters["duties"]
    days = [D(2026, 9, 7), D(2026, 9, 21)]  # two Mondays of September 2026
    weekly = rules.duty_check(old["commune_chair"], days, year=2026, month=9)
    assert weekly["status"] == "not_met" and weekly["missing_weeks"] == [D(2026, 9, 14), D(2026, 9, 28)]
    assert rules.duty_check(new["commune_chair"], days, year=2026, month=9)["status"] == "met"
    assert rules.duty_check(new["commune_chair"], days[:1], year=2026, month=9)["status"] == "not_met"
    assert rules.duty_check(new["agency_head"], days, year=2026, month=9)["status"] == "unknown"
