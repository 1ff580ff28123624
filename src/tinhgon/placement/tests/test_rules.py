"""Pure rules: the policy estimates of RULES.md §3 (the worked example), insured-year rounding,
the options by distance to the age, merit and eligibility, and the exactness of the solver
(against a brute force on small instances, a divided commune among them)."""

import datetime as dt
import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinhgon.core.rulesets import registered_defaults
from tinhgon.placement import rules
from tinhgon.placement.rulesets import MERIT, POLICY

POLICY_PARAMS = registered_defaults(POLICY)[0].parameters
MERIT_PARAMS = registered_defaults(MERIT)[0].parameters


def test_worked_example_of_the_ministry_letter():
    # man born 1966-01-15, 22 insured years, salary 15,356,250, leaves 2025-05-01, normal pension 2027-11-01
    e = rules.estimate("early_2_5", salary=15_356_250, insured_months=264, leave_date=dt.date(2025, 5, 1),
                       normal_pension_start=dt.date(2027, 11, 1), decision_date=dt.date(2025, 3, 15),
                       params=POLICY_PARAMS)
    assert e.amount == 744_778_125
    assert [p.key for p in e.parts] == ["months_early", "per_year_early", "insured_years"]
    assert [p.amount for p in e.parts] == [460_687_500, 191_953_125, 92_137_500]
    assert e.formula == "15.356.250 × 30 × 1 + 5 × 15.356.250 × 2,5 + 6 × 15.356.250"


@pytest.mark.parametrize("months, years", [(264, 22), (265, Fraction(45, 2)), (270, Fraction(45, 2)),
                                           (271, 23), (275, 23), (0, 0)])
def test_insured_years_round_leftover_months(months, years):
    assert rules.insured_years(months) == years


@pytest.mark.parametrize("early, options", [
    (0, ["retirement"]), (10, ["early_under_2"]), (24, ["early_2_5", "severance"]), (60, ["early_2_5", "severance"]),
    (61, ["early_5_10", "severance"]), (120, ["early_5_10", "severance"]), (121, ["severance"])])
def test_options_by_months_before_the_age(early, options):
    assert rules.options_for(early) == options


def test_missing_salary_or_insured_months_is_reported_never_guessed():
    kw = dict(leave_date=dt.date(2025, 5, 1), normal_pension_start=dt.date(2027, 11, 1),
              decision_date=dt.date(2025, 3, 15), params=POLICY_PARAMS)
    e = rules.estimate("early_2_5", salary=None, insured_months=None, **kw)
    assert (e.amount, e.eligible, e.missing) == (None, False, ["salary", "insured_months"])
    e = rules.estimate("severance", salary=10_000_000, insured_months=None, **kw)
    assert (e.amount, e.missing) == (None, ["insured_months"])


def test_the_twelve_month_window_halves_the_factor():
    kw = dict(salary=10_000_000, insured_months=120, normal_pension_start=dt.date(2045, 1, 1),
              decision_date=dt.date(2025, 7, 1), params=POLICY_PARAMS)
    inside = rules.estimate("severance", leave_date=dt.date(2026, 6, 30), **kw)
    after = rules.estimate("severance", leave_date=dt.date(2026, 7, 1), **kw)
    # 0.8 / 0.4 × salary × 60 + 1.5 × salary × 10 + 3 × salary
    assert inside.amount == 480_000_000 + 150_000_000 + 30_000_000
    assert after.amount == 240_000_000 + 150_000_000 + 30_000_000 and "window_passed" in after.notes


def test_under_two_years_pays_only_the_months():
    e = rules.estimate("early_under_2", salary=10_000_000, insured_months=300, leave_date=dt.date(2025, 8, 1),
                       normal_pension_start=dt.date(2026, 8, 1), decision_date=dt.date(2025, 7, 1),
                       params=POLICY_PARAMS)
    assert e.amount == 120_000_000 and len(e.parts) == 1


def test_five_to_ten_years_needs_a_pension_record():
    kw = dict(salary=10_000_000, leave_date=dt.date(2025, 8, 1), normal_pension_start=dt.date(2032, 8, 1),
              decision_date=dt.date(2025, 7, 1), params=POLICY_PARAMS)
    assert rules.estimate("early_5_10", insured_months=120, **kw).eligible is False
    ok = rules.estimate("early_5_10", insured_months=20 * 12, **kw)
    # 60 months × 1.0 + 4 × 7 years + 4 months (15 years) + 0.5 × 5 = 60 + 28 + 6.5 months
    assert ok.amount == int(10_000_000 * (60 + 28 + 6.5))


def facts(**kw):
    base = dict(id=1, title="Chuyên viên", was_leader=False, education=4, assessment=None, pool_titles=frozenset(),
                service_years=5.0, months_left=200)
    base.update(kw)
    return rules.CandidateFacts(**base)


CHAIR = rules.PostFacts(id=1, title="Chủ tịch UBND", leadership=True)
STAFF = rules.PostFacts(id=2, title="Chuyên viên", leadership=False)


def test_merit_parts_follow_the_rule_set():
    score, parts = rules.merit(facts(title="Chủ tịch UBND", was_leader=True, assessment="excellent"), CHAIR,
                               MERIT_PARAMS)
    assert parts == {"base": 10, "same_title": 30, "qualification": 10, "leadership_experience": 8,
                     "seniority": 5.0, "assessment": 20}
    assert score == 83
    _s, parts = rules.merit(facts(education=3), CHAIR, MERIT_PARAMS)
    assert "qualification" not in parts  # a key commune leader needs a university degree


def test_eligibility_for_leadership_posts():
    assert rules.ineligibility(facts(was_leader=True, disciplined=True), CHAIR, MERIT_PARAMS) == [("discipline", 0)]
    assert rules.ineligibility(facts(was_leader=True, months_left=30), CHAIR, MERIT_PARAMS) == [("service_left", 60)]
    # a reappointment to the same title needs 24 months only
    assert rules.ineligibility(facts(title="Chủ tịch UBND", was_leader=True, months_left=30), CHAIR, MERIT_PARAMS) == []
    assert rules.ineligibility(facts(), CHAIR, MERIT_PARAMS) == [("no_pool_or_experience", 0)]
    assert rules.ineligibility(facts(pool_titles=frozenset({"chu tich ubnd"})), CHAIR, MERIT_PARAMS) == []
    assert rules.ineligibility(facts(disciplined=True), STAFF, MERIT_PARAMS) == []
    assert rules.ineligibility(facts(months_left=0), STAFF, MERIT_PARAMS) == [("retired", 0)]


TITLES = ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Đảng ủy", "Chuyên viên", "Công chức Tư pháp – Hộ tịch",
          "chu tich  ubnd", "Trưởng phòng"]


def test_a_scorer_reads_each_candidate_once_and_keeps_the_figures():
    score = rules.merit_scorer(MERIT_PARAMS)
    people = [facts(id=i, title=TITLES[i % 7], was_leader=i % 2 == 0, service_years=i * 1.37, months_left=i * 9,
                    assessment=[None, "good", "excellent"][i % 3], pool_titles=frozenset({"chu tich ubnd"}))
              for i in range(40)]
    posts = [rules.PostFacts(id=j, title=t, leadership=j % 2 == 1, min_education=j % 5)
             for j, t in enumerate(TITLES * 2)]
    for _ in range(2):  # the second time from what the scorer kept
        for c in people:
            for p in posts:
                expected = None if rules.ineligibility(c, p, MERIT_PARAMS) else rules.merit(c, p, MERIT_PARAMS)[0]
                assert score(c, p) == expected


@settings(max_examples=300, deadline=None)
@given(title=st.sampled_from(TITLES), post=st.sampled_from(TITLES), lead=st.booleans(), was_leader=st.booleans(),
       education=st.integers(0, 6), min_education=st.integers(0, 5),
       assessment=st.sampled_from([None, "excellent", "good", "completed", "not_completed"]),
       pool=st.sets(st.sampled_from(["chu tich ubnd", "chuyen vien", "truong phong"])),
       years=st.floats(-2, 40, allow_nan=False), months_left=st.integers(-5, 200), disciplined=st.booleans())
def test_the_solvers_score_is_the_merit_of_an_eligible_pair(title, post, lead, was_leader, education, min_education,
                                                            assessment, pool, years, months_left, disciplined):
    c = facts(title=title, was_leader=was_leader, education=education, assessment=assessment,
              pool_titles=frozenset(pool), service_years=years, months_left=months_left, disciplined=disciplined)
    p = rules.PostFacts(id=9, title=post, leadership=lead, min_education=min_education)
    expected = None if rules.ineligibility(c, p, MERIT_PARAMS) else rules.merit(c, p, MERIT_PARAMS)[0]
    assert rules.eligible_merit(c, p, MERIT_PARAMS) == expected  # the very same float, or None for both
    assert rules.merit_scorer(MERIT_PARAMS)(c, p) == expected


# The solver ---------------------------------------------------------------------------------


def brute_force(cands, posts, score):
    """The best total over every way to give each candidate one post or none, within the counts."""
    best = 0.0
    choices = [None] + [p for p, _n in posts]
    seats = dict(posts)
    for combo in itertools.product(choices, repeat=len(cands)):
        used = {}
        total = 0.0
        ok = True
        for c, p in zip(cands, combo, strict=True):
            if p is None:
                continue
            s = score(c, p)
            used[p] = used.get(p, 0) + 1
            if s is None or used[p] > seats[p]:
                ok = False
                break
            total += s
        if ok:
            best = max(best, total)
    return best


def check(result, cands, posts, score):
    seats = dict(posts)
    used = {}
    for c, p in result.items():
        assert c in cands and score(c, p) is not None
        used[p] = used.get(p, 0) + 1
    assert all(used[p] <= seats[p] for p in used)
    return sum(score(c, p) for c, p in result.items())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(1, 5), st.integers(1, 3), st.lists(st.integers(1, 2), min_size=3, max_size=3),
       st.integers(0, 10_000))
def test_solver_matches_brute_force(n_cands, n_posts, counts, seed):
    rng = random.Random(seed)
    cands = list(range(1, n_cands + 1))
    posts = [(100 + j, counts[j]) for j in range(n_posts)]
    table = {(c, p): (None if rng.random() < 0.3 else rng.choice([1, 2, 3, 5, 8, 13, 21]) + rng.random())
             for c in cands for p, _n in posts}

    def score(c, p):
        return table[(c, p)]

    result = rules.solve(cands, posts, score)
    best = brute_force(cands, posts, score)
    assert check(result, cands, posts, score) == pytest.approx(best)
    # the sparse formulation (used for large groups) reaches the same optimum
    sparse = rules.solve(cands, posts, score, dense_limit=0)
    assert check(sparse, cands, posts, score) == pytest.approx(best)


def test_divided_commune_is_one_group_and_nobody_is_placed_twice():
    # Units 1 and 2 are the successors of a divided commune: its cadres 10, 11, 12 are candidates in
    # both; unit 3 is a separate merge (cadres 20, 21).
    unit_candidates = {1: [10, 11, 12], 2: [10, 11, 12, 13], 3: [20, 21]}
    g = rules.groups(unit_candidates)
    assert g[1] == g[2] != g[3]
    posts = [(("u1", "chair"), 1), (("u2", "chair"), 1), (("u1", "staff"), 1)]
    merit = {10: 9.0, 11: 7.0, 12: 4.0, 13: 3.0}

    def score(c, p):
        if p[0] == "u1" and c == 13:
            return None  # 13 comes from elsewhere: a candidate of unit 2 only
        return merit[c] + (2.0 if p[1] == "chair" else 0.0)

    cands = [10, 11, 12, 13]
    result = rules.solve(cands, posts, score)
    assert len(result) == 3 and len(set(result)) == 3  # one post each
    assert check(result, cands, posts, score) == pytest.approx(brute_force(cands, posts, score))
    assert set(result) == {10, 11, 12}
    assert rules.solve(cands, posts, score, dense_limit=0) == result or check(
        rules.solve(cands, posts, score, dense_limit=0), cands, posts, score) == pytest.approx(
        check(result, cands, posts, score))


def test_forbidden_pairs_are_never_chosen_even_when_seats_stay_empty():
    result = rules.solve([1, 2], [(7, 3)], lambda c, p: None if c == 2 else 5.0)
    assert result == {1: 7}
