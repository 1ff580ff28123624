"""Pure rules of placement (no ORM, no I/O): merit of a candidate for a post, eligibility, the
exact assignment of each group of new units, and the policy estimates of RULES.md §3."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import numpy as np
from scipy.optimize import linear_sum_assignment

from tinhgon.core.text import fold as _fold_text

fold = lru_cache(maxsize=8192)(_fold_text)  # titles repeat: a national round folds the same few millions of times

# Merit and eligibility ---------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateFacts:
    id: int
    title: str                       # the title held before the restructuring
    was_leader: bool                 # held a leadership post
    education: int                   # cadres.EDUCATION_LEVELS
    assessment: str | None           # latest approved assessment level, None when none
    pool_titles: frozenset[str]      # folded titles of the active planning-pool entries
    service_years: float             # insured service, or since the first recorded assignment if longer
    months_left: int                 # from the effective date to the statutory retirement date
    disciplined: bool = False        # a discipline still weighing on eligibility on the effective date


@dataclass(frozen=True)
class PostFacts:
    id: int
    title: str
    leadership: bool
    min_education: int = 0


LEADER_PREFIXES = ("Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "Trưởng", "Phó Trưởng", "Giám đốc",
                   "Phó Giám đốc", "Chánh", "Phó Chánh", "Thủ trưởng", "Phó Thủ trưởng")


def is_leadership_title(title: str) -> bool:
    """Whether a title names a leadership post (when no position record says so)."""
    return (title or "").strip().startswith(LEADER_PREFIXES)


def same_title(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def merit(c: CandidateFacts, p: PostFacts, params: dict) -> tuple[float, dict[str, float]]:
    """The merit of ``c`` for post ``p`` and its parts (each named, as the page shows them)."""
    w = params["weights"]
    parts: dict[str, float] = {"base": float(w["base"])}
    if same_title(c.title, p.title):
        parts["same_title"] = float(w["same_title"])
    if fold(p.title) in c.pool_titles:
        parts["pool"] = float(w["pool"])
    required = max(p.min_education, params.get("requirements", {}).get(p.title, {}).get("education_min", 0))
    if c.education >= required:
        parts["qualification"] = float(w["qualification"])
    if p.leadership and c.was_leader:
        parts["leadership_experience"] = float(w["leadership_experience"])
    years = min(max(c.service_years, 0.0), float(w["seniority_cap_years"]))
    if years:
        parts["seniority"] = round(years * float(w["seniority_per_year"]), 2)
    parts["assessment"] = float(w["assessment"].get(c.assessment or "none", 0))
    return round(sum(parts.values()), 2), parts


def ineligibility(c: CandidateFacts, p: PostFacts, params: dict) -> list[tuple[str, int]]:
    """Why ``c`` may not take ``p`` (codes with a figure); empty when eligible."""
    out: list[tuple[str, int]] = []
    if c.months_left <= 0:
        out.append(("retired", 0))
        return out
    if not p.leadership:
        return out
    if c.disciplined:
        out.append(("discipline", 0))
    needed = params["min_months_reappointment" if same_title(c.title, p.title) else "min_months_first_appointment"]
    if c.months_left < needed:
        out.append(("service_left", int(needed)))
    if params.get("leadership_needs_pool_or_experience") and not c.was_leader \
            and fold(p.title) not in c.pool_titles:
        out.append(("no_pool_or_experience", 0))
    return out


def eligible_merit(c: CandidateFacts, p: PostFacts, params: dict) -> float | None:
    """``merit(c, p)[0]`` when ``c`` may take ``p`` (``ineligibility`` empty), else None: the
    solver's score of a pair, the same figure without building the parts (a national round asks
    for millions of pairs)."""
    if c.months_left <= 0:
        return None
    folded = fold(p.title)
    same = fold(c.title) == folded
    if p.leadership:
        if c.disciplined:
            return None
        if c.months_left < params["min_months_reappointment" if same else "min_months_first_appointment"]:
            return None
        if params.get("leadership_needs_pool_or_experience") and not c.was_leader \
                and folded not in c.pool_titles:
            return None
    w = params["weights"]
    # the parts added in the order ``merit`` adds them: the same floating-point sum
    total = 0 + float(w["base"])
    if same:
        total += float(w["same_title"])
    if folded in c.pool_titles:
        total += float(w["pool"])
    required = max(p.min_education, params.get("requirements", {}).get(p.title, {}).get("education_min", 0))
    if c.education >= required:
        total += float(w["qualification"])
    if p.leadership and c.was_leader:
        total += float(w["leadership_experience"])
    years = min(max(c.service_years, 0.0), float(w["seniority_cap_years"]))
    if years:
        total += round(years * float(w["seniority_per_year"]), 2)
    total += float(w["assessment"].get(c.assessment or "none", 0))
    return round(total, 2)


def merit_scorer(params: dict) -> Callable[[CandidateFacts, PostFacts], float | None]:
    """``eligible_merit`` with the rule set read once and what depends on the candidate alone (their
    folded title, seniority and assessment points) or on the post alone computed once each: the
    solver asks for every pair of a national round.  Candidates are told apart by ``id``."""
    w = params["weights"]
    base, same_w, pool_w = float(w["base"]), float(w["same_title"]), float(w["pool"])
    qual_w, lead_w = float(w["qualification"]), float(w["leadership_experience"])
    cap, per_year, points = float(w["seniority_cap_years"]), float(w["seniority_per_year"]), w["assessment"]
    reqs = params.get("requirements", {})
    needs_pool = params.get("leadership_needs_pool_or_experience")
    again, first = params["min_months_reappointment"], params["min_months_first_appointment"]
    people: dict[int, tuple] = {}
    posts: dict[tuple, tuple] = {}

    def score(c: CandidateFacts, p: PostFacts) -> float | None:
        if c.months_left <= 0:
            return None
        me = people.get(c.id)
        if me is None:
            years = min(max(c.service_years, 0.0), cap)
            me = people[c.id] = (fold(c.title), round(years * per_year, 2) if years else None,
                                 float(points.get(c.assessment or "none", 0)))
        key = (p.title, p.leadership, p.min_education)
        post = posts.get(key)
        if post is None:
            post = posts[key] = (fold(p.title), max(p.min_education, reqs.get(p.title, {}).get("education_min", 0)))
        folded, required = post
        same = me[0] == folded
        if p.leadership:
            if c.disciplined or c.months_left < (again if same else first):
                return None
            if needs_pool and not c.was_leader and folded not in c.pool_titles:
                return None
        total = 0 + base  # the parts in the order ``merit`` adds them: the same floating-point sum
        if same:
            total += same_w
        if folded in c.pool_titles:
            total += pool_w
        if c.education >= required:
            total += qual_w
        if p.leadership and c.was_leader:
            total += lead_w
        if me[1] is not None:
            total += me[1]
        total += me[2]
        return round(total, 2)

    return score


# The assignment ----------------------------------------------------------------------------


DENSE_LIMIT = 2_000_000  # candidates × seats above which the sparse formulation is used


def solve(candidates: list[int], posts: list[tuple[int, int]],
          score: Callable[[int, int], float | None], *,
          allowed: Callable[[int], Iterable[int]] | None = None, dense_limit: int = DENSE_LIMIT) -> dict[int, int]:
    """Candidate id → post id maximising the total merit; at most one post per candidate and at
    most ``seats`` candidates per post; ``score`` None forbids a pair (``allowed(c)``, when given,
    names the only posts worth asking about).

    The counts are expanded into seats (one column each).  Small problems go to scipy's
    ``linear_sum_assignment`` on the dense rectangular matrix: forbidden pairs cost 0 and are
    dropped afterwards — every allowed merit is positive, so a maximum-weight matching extends with
    such zero pairs to a full-size one, and the minimum over full-size matchings is the maximum over
    all matchings, exactly.  Large ones go to ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
    with only the allowed pairs (cost ``M − merit``) and one private "unplaced" column per candidate
    (cost ``M``): every candidate is matched, to a seat or to being unplaced, and the minimum total is
    ``n·M − the maximum merit`` — the same optimum.
    """
    cols = [pid for pid, seats in posts for _ in range(max(0, seats))]
    if not candidates or not cols:
        return {}
    col_of: dict[int, list[int]] = {}
    for j, pid in enumerate(cols):
        col_of.setdefault(pid, []).append(j)
    pairs: list[tuple[int, int, float]] = []
    for i, cid in enumerate(candidates):
        for pid in (allowed(cid) if allowed is not None else col_of):
            if pid not in col_of:
                continue
            s = score(cid, pid)
            if s is not None:
                if s <= 0:
                    raise ValueError("merit must be positive")
                pairs.append((i, pid, s))
    if not pairs:
        return {}
    if len(candidates) * len(cols) <= dense_limit:
        cost = np.zeros((len(candidates), len(cols)))
        at_r, at_c, at_v = [], [], []
        for i, pid, s in pairs:
            for j in col_of[pid]:
                at_r.append(i)
                at_c.append(j)
                at_v.append(-s)
        cost[at_r, at_c] = at_v  # each cell once: the same matrix as filled pair by pair
        rows, cs = linear_sum_assignment(cost)
        return {candidates[i]: cols[j] for i, j in zip(rows, cs, strict=True) if cost[i, j] < 0}
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    big = max(s for _i, _p, s in pairs) + 1.0
    r, c, v = [], [], []
    for i, pid, s in pairs:
        for j in col_of[pid]:
            r.append(i)
            c.append(j)
            v.append(big - s)
    n, m = len(candidates), len(cols)
    r.extend(range(n))
    c.extend(range(m, m + n))
    v.extend([big] * n)
    graph = csr_matrix((v, (r, c)), shape=(n, m + n))
    rows, cs = min_weight_full_bipartite_matching(graph)
    return {candidates[i]: cols[j] for i, j in zip(rows, cs, strict=True) if j < m}


def groups(unit_candidates: dict[int, Iterable[int]]) -> dict[int, int]:
    """Unit → group number: units sharing a candidate (transitively) fall in one group."""
    parent: dict[int, int] = {u: u for u in unit_candidates}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_unit: dict[int, int] = {}
    for u, cands in unit_candidates.items():
        for c in cands:
            if c in first_unit:
                a, b = find(u), find(first_unit[c])
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_unit[c] = u
    roots = sorted({find(u) for u in unit_candidates})
    number = {r: i + 1 for i, r in enumerate(roots)}
    return {u: number[find(u)] for u in unit_candidates}


# Policies (RULES.md §3) -------------------------------------------------------------------

OPTION_ORDER = ["early_under_2", "early_2_5", "early_5_10", "severance"]


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    i = day.year * 12 + day.month - 1 + months
    return dt.date(i // 12, i % 12 + 1, 1)


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    import calendar

    i = day.year * 12 + day.month - 1 + months
    y, m = i // 12, i % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def insured_years(months: int) -> Fraction:
    """Insured years with the leftover months rounded: 1–6 half a year, 7–11 a whole one."""
    years, rest = divmod(int(months), 12)
    return Fraction(years) + (Fraction(0) if rest == 0 else Fraction(1, 2) if rest <= 6 else Fraction(1))


@dataclass
class Part:
    key: str          # what the part pays for (labelled by the page)
    formula: str      # the figures multiplied
    amount: int       # VND


@dataclass
class Estimate:
    option: str
    rule_set: str
    eligible: bool = True
    amount: int | None = None
    parts: list[Part] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # "salary", "insured_months", "retirement"
    notes: list[str] = field(default_factory=list)     # codes: "window_passed", "insured_short", …

    @property
    def formula(self) -> str:
        return " + ".join(p.formula for p in self.parts)


def options_for(months_early: int) -> list[str]:
    """The policies open to someone leaving ``months_early`` months before the normal age."""
    if months_early <= 0:
        return ["retirement"]
    if months_early < 24:
        return ["early_under_2"]
    if months_early <= 60:
        return ["early_2_5", "severance"]
    if months_early <= 120:
        return ["early_5_10", "severance"]
    return ["severance"]


def _n(value: Fraction | int | float) -> str:
    v = Fraction(value)
    if v.denominator == 1:
        text = f"{int(v):,}"
    else:
        text = f"{float(v):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _vnd(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def estimate(option: str, *, salary: int | None, insured_months: int | None, leave_date: dt.date,
             normal_pension_start: dt.date | None, decision_date: dt.date, params: dict,
             rule_set: str = "") -> Estimate:
    """The estimate of one policy for one person, with each part's formula.

    ``leave_date`` is the first day off work (the retirement date in the decision),
    ``normal_pension_start`` the day after the statutory retirement date, ``decision_date`` the
    effective date of the restructuring decision (the 12-month window counts from it). A missing
    salary or insured period is reported in ``missing``, never guessed.
    """
    est = Estimate(option=option, rule_set=rule_set)
    if salary is None:
        est.missing.append("salary")
    if insured_months is None and option in ("early_2_5", "early_5_10", "severance"):
        est.missing.append("insured_months")
    if normal_pension_start is None:
        est.missing.append("retirement")
    if est.missing:
        est.eligible = False
        return est
    s = Fraction(int(salary))
    months_early = months_between(leave_date, normal_pension_start)
    within = leave_date < shift_months(decision_date, int(params["window_months"]))
    if not within:
        est.notes.append("window_passed")
    if option not in options_for(months_early):
        est.eligible = False
        est.notes.append("not_open")
        return est
    if option in ("early_under_2", "early_2_5", "early_5_10"):
        factor = Fraction(str(params["early_factors"][0 if within else 1]))
        m = min(months_early, int(params["max_early_months"]))
        est.parts.append(Part("months_early", f"{_n(s)} × {_n(m)} × {_n(factor)}", _vnd(s * m * factor)))
        if option != "early_under_2":
            per_year = int(params["early_2_5_months_per_year" if option == "early_2_5"
                                  else "early_5_10_months_per_year"])
            years = Fraction(months_early, 12)
            est.parts.append(Part("per_year_early", f"{_n(per_year)} × {_n(s)} × {_n(years)}",
                                  _vnd(per_year * s * years)))
            years_ins = insured_years(insured_months)
            switch = dt.date.fromisoformat(params["insured_switch"])
            rule = params["insured_before" if leave_date < switch else "insured_from"]
            first = int(rule["first_years"])
            if years_ins < first:
                est.notes.append("insured_short")
                if option == "early_5_10":
                    est.eligible = False
                    est.parts = []
                    return est
            else:
                months = Fraction(str(rule["first_months"])) + Fraction(str(rule["per_year_after"])) * (years_ins - first)
                est.parts.append(Part("insured_years", f"{_n(months)} × {_n(s)}",
                                      _vnd(months * s)))
    elif option == "severance":
        factor = Fraction(str(params["severance_factors"][0 if within else 1]))
        m = min(int(insured_months), int(params["severance_cap_months"]))
        years_ins = insured_years(insured_months)
        per_year = Fraction(str(params["severance_per_insured_year"]))
        extra = int(params["severance_extra_months"])
        est.parts.append(Part("severance_service", f"{_n(factor)} × {_n(s)} × {_n(m)}", _vnd(factor * s * m)))
        est.parts.append(Part("severance_insured", f"{_n(per_year)} × {_n(s)} × {_n(years_ins)}",
                              _vnd(per_year * s * years_ins)))
        est.parts.append(Part("severance_extra", f"{_n(extra)} × {_n(s)}", _vnd(extra * s)))
    else:
        est.eligible = False
        return est
    est.amount = sum(p.amount for p in est.parts)
    return est
