"""Pure rules of the assessment: task points, bands, discipline, leaders and the cap.

No ORM, no I/O: plain values and a rule set's parameters in, levels and their explanation
out.  Every function returns the steps it took (``Step``: the rule applied, its inputs, its
outcome, the source of the parameters it used or ``assumed``), so that a result can show
why it is what it is.

The cap (RULES.md §2) is applied by rank, highest first: those moved down become "good",
so the cap is a fixed point — the largest k with k ≤ ratio × (good + candidates moved
down); people tied at the boundary move down together (the cap is never exceeded to keep
a tie).  Example: 10 rated good and 5 candidates → k ≤ 0.2 × (15 − k) → k = 2.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = "excellent", "good", "completed", "not_completed"
LEVELS = (EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED)
ORDER = {EXCELLENT: 0, GOOD: 1, COMPLETED: 2, NOT_COMPLETED: 3}
DISCIPLINE_MEASURES = ("khien_trach", "canh_cao", "giang_chuc", "cach_chuc", "khai_tru", "buoc_thoi_viec")

# Kinds of rule set (core.rulesets) and the method each follows.
KIND = "assessment"
KIND_PARTY = "assessment-party"
CRITERIA, POINTS = "criteria", "points"


class InputError(ValueError):
    """An input the rule set needs is missing or out of range; ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class Step:
    rule: str
    inputs: dict[str, Any]
    outcome: Any
    source: str = ""
    assumed: bool = False

    def as_dict(self) -> dict:
        return {"rule": self.rule, "inputs": self.inputs, "outcome": self.outcome, "source": self.source,
                "assumed": self.assumed}


def param(params: dict, name: str) -> tuple[Any, str, bool]:
    """A rule-set parameter: its value, its source and whether it is assumed.

    A parameter is either a plain value (its source is the rule set's legal basis) or
    ``{"value": …, "source": "…"}`` / ``{"value": …, "assumed": true, "note": "…"}``."""
    raw = params[name]
    if isinstance(raw, dict) and "value" in raw:
        return raw["value"], raw.get("source", "") or raw.get("note", ""), bool(raw.get("assumed"))
    return raw, "", False


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


def two(value: Any) -> Decimal:
    """A score as displayed: two decimals, half up."""
    return dec(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Task points (Decree 335: 70 points from quantity, quality, timeliness) -----------------------

@dataclass(frozen=True)
class TaskTally:
    """One person's (or unit's) tasks counted in the period.

    ``products`` are the tasks due (counted, not cancelled, not still in progress before their
    deadline); ``accepted`` of them were accepted; ``returns`` is, per product, how many
    times it was returned (quality failures); ``delays`` per product how many delays it had
    (a late submission or an overdue product, each approved extension); ``exceeded`` how many
    were graded "exceeded requirements" by the authority."""

    products: int = 0
    accepted: int = 0
    on_time: int = 0
    exceeded: int = 0
    returns: tuple[int, ...] = ()
    delays: tuple[int, ...] = ()
    in_progress: int = 0
    cancelled: int = 0

    def as_dict(self) -> dict:
        return {"products": self.products, "accepted": self.accepted, "on_time": self.on_time,
                "exceeded": self.exceeded, "returns": sum(self.returns), "delays": sum(self.delays),
                "in_progress": self.in_progress, "cancelled": self.cancelled}


def task_points(tally: TaskTally, params: dict) -> tuple[Decimal | None, list[Step]]:
    """The 70 task points of Decree 335 from a tally; None when no product was due."""
    total = dec(params.get("task_points", 70))
    weights, w_source, w_assumed = param(params, "task_weights")
    deduction, d_source, d_assumed = param(params, "deduction")
    if tally.products <= 0:
        return None, [Step("task_points", tally.as_dict(), None, "", False)]
    d = dec(deduction)
    quality = Decimal(0)
    timeliness = Decimal(0)
    returns = list(tally.returns) + [0] * (tally.accepted - len(tally.returns))
    for r in returns[:tally.accepted]:
        quality += max(Decimal(0), 1 - d * r)
    delays = list(tally.delays) + [0] * (tally.products - len(tally.delays))
    for i, n in enumerate(delays[:tally.products]):
        # A product never delivered earns no timeliness points.
        timeliness += max(Decimal(0), 1 - d * n) if i < tally.accepted else Decimal(0)
    n = dec(tally.products)
    parts = {"quantity": dec(tally.accepted) / n, "quality": quality / n, "timeliness": timeliness / n}
    w = {k: dec(weights[k]) for k in ("quantity", "quality", "timeliness")}
    points = total * sum(w[k] * parts[k] for k in parts) / sum(w.values())
    points = two(points)
    steps = [Step("task_points",
                  {**tally.as_dict(), "deduction": str(d), "weights": {k: str(v) for k, v in w.items()},
                   "quantity": str(two(parts["quantity"] * 100)), "quality": str(two(parts["quality"] * 100)),
                   "timeliness": str(two(parts["timeliness"] * 100)), "max": str(total)},
                  str(points), "; ".join(s for s in (w_source, d_source) if s), w_assumed or d_assumed)]
    return points, steps


def leader_task_points(own: Decimal | None, unit_share: Decimal, params: dict) -> tuple[Decimal | None, list[Step]]:
    """A leader's 70 task points include the unit's operating result (``unit_share`` of 1:
    1 when every civil servant under them is at least "completed", 0.5 when one is not)."""
    weight, source, assumed = param(params, "leader_unit_weight")
    total = dec(params.get("task_points", 70))
    w = dec(weight)
    base = own if own is not None else None
    if base is None:
        points = two(total * unit_share)
    else:
        points = two((1 - w) * base + w * total * unit_share)
    return points, [Step("leader_unit", {"own": None if own is None else str(own), "unit_share": str(unit_share),
                                         "weight": str(w)}, str(points), source, assumed)]


def check_score(name: str, value: Any, low: Decimal, high: Decimal) -> Decimal:
    try:
        v = dec(value)
    except Exception:  # noqa: BLE001 - any non-number is the same bad input
        raise InputError(name, f"{name} must be a number") from None
    if not v.is_finite() or v < low or v > high:
        raise InputError(name, f"{name} must lie between {low} and {high}")
    return v


# Levels -----------------------------------------------------------------------------------

def band(score: Decimal, params: dict) -> tuple[str, Step]:
    """Bands on the score as displayed (two decimals): ≥90 excellent, 70–<90 good, 50–<70
    completed, <50 not completed (thresholds from the rule set)."""
    bands = params["bands"]
    shown = two(score)
    if shown >= dec(bands["excellent"]):
        level = EXCELLENT
    elif shown >= dec(bands["good"]):
        level = GOOD
    elif shown >= dec(bands["completed"]):
        level = COMPLETED
    else:
        level = NOT_COMPLETED
    return level, Step("band", {"score": str(shown), **{k: str(v) for k, v in bands.items()}}, level)


def discipline_forces(measures: list[str] | tuple[str, ...], params: dict) -> tuple[bool, Step | None]:
    """Whether a discipline in the period forces "not completed" (the rule set's measures)."""
    forcing = set(params.get("discipline_forcing", DISCIPLINE_MEASURES))
    hit = sorted({m for m in measures if m in forcing})
    if not measures:
        return False, None
    return bool(hit), Step("discipline", {"measures": sorted(set(measures))},
                           NOT_COMPLETED if hit else "no_effect", params.get("discipline_source", ""))


def criteria_level(criteria: dict, params: dict) -> tuple[str, list[Step]]:
    """Decree 90/2020 (as amended by 48/2023): the level from the criteria — tasks done on time
    and with quality (%), tasks done at all (%), tasks exceeded (%), and for leaders the share
    of the units under them at least "completed" and "good or better" and the unit's completion."""
    c = params["criteria"]
    for key in ("on_time_pct", "done_pct", "exceeded_pct"):
        if criteria.get(key) is None:
            raise InputError(f"criteria.{key}", f"criteria.{key} is required by this rule set")
        check_score(f"criteria.{key}", criteria[key], Decimal(0), Decimal(100))
    on_time, done, exceeded = (dec(criteria[k]) for k in ("on_time_pct", "done_pct", "exceeded_pct"))
    leader = bool(criteria.get("leader"))
    steps = []
    if on_time >= dec(c["excellent_on_time_pct"]) and exceeded >= dec(c["excellent_exceeded_pct"]):
        level = EXCELLENT
    elif on_time >= dec(c["good_on_time_pct"]):
        level = GOOD
    elif done >= dec(c["completed_done_pct"]):
        level = COMPLETED
    else:
        level = NOT_COMPLETED
    value, source, assumed = param(params, "criteria_reading")
    steps.append(Step("criteria", {"on_time_pct": str(on_time), "done_pct": str(done), "exceeded_pct": str(exceeded),
                                   **{k: str(v) for k, v in c.items()}}, level, source, assumed))
    if leader:
        level, leader_steps = _leader_criteria(level, criteria, params)
        steps.extend(leader_steps)
    return level, steps


def _leader_criteria(level: str, criteria: dict, params: dict) -> tuple[str, list[Step]]:
    c = params["criteria"]
    unit = criteria.get("unit_completion_pct")
    if unit is None:
        raise InputError("criteria.unit_completion_pct", "criteria.unit_completion_pct is required for a leader")
    unit = check_score("criteria.unit_completion_pct", unit, Decimal(0), Decimal(100))
    at_least_completed = dec(criteria.get("units_completed_pct", 100))
    good_or_better = dec(criteria.get("units_good_pct", 100))
    before = level
    if unit < dec(c["leader_unit_min_pct"]):
        level = NOT_COMPLETED
    elif level == EXCELLENT and (at_least_completed < 100 or good_or_better < dec(c["leader_units_good_pct"])):
        level = GOOD
    return level, [Step("leader_unit", {"unit_completion_pct": str(unit), "units_completed_pct": str(at_least_completed),
                                        "units_good_pct": str(good_or_better),
                                        "leader_unit_min_pct": str(c["leader_unit_min_pct"]),
                                        "leader_units_good_pct": str(c["leader_units_good_pct"]),
                                        "before": before}, level)]


def score_level(score: Decimal, params: dict, *, exceeded_pct: Decimal | None = None) -> tuple[str, list[Step]]:
    """Decree 335 / Regulation 366: the level from the score's band (366 also asks a share of
    tasks exceeding requirements for "excellent")."""
    level, step = band(score, params)
    steps = [step]
    need = params.get("excellent_exceeded_pct")
    if need is not None and level == EXCELLENT:
        have = exceeded_pct if exceeded_pct is not None else Decimal(0)
        if have < dec(need):
            level = GOOD
        steps.append(Step("excellent_exceeded", {"exceeded_pct": str(have), "required": str(need)}, level))
    return level, steps


# The cap ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CapDecision:
    """What the cap did in one body and group."""

    ratio: Fraction
    good: int                 # rated good before the cap
    candidates: int           # rated excellent before the cap
    k: int                    # kept excellent
    kept: tuple = ()
    moved: tuple = ()
    ranks: dict = field(default_factory=dict)  # id → rank among the candidates (1 = highest; ties share)
    tie_moved: bool = False   # a tie at the boundary moved down together


@functools.lru_cache(maxsize=64)
def ratio_of(value: Any) -> Fraction:
    r = Fraction(str(value))
    if r < 0:
        raise InputError("ratio", "the cap's ratio may not be negative")
    return r


def largest_k(good: int, candidates: int, ratio: Fraction) -> int:
    """The largest k ≤ candidates with k ≤ ratio × (good + candidates − k)."""
    if candidates <= 0:
        return 0
    k = math.floor(ratio * (good + candidates) / (1 + ratio))
    return max(0, min(candidates, k))


def apply_cap(people: list[tuple[Any, Any]], good: int, ratio: Any) -> CapDecision:
    """``people``: (id, rank key) of those rated excellent before the cap (higher key = better).
    Keeps the k best where k is the largest the cap allows at a boundary between two keys."""
    r = ratio_of(ratio)
    ordered = sorted(people, key=lambda p: p[1], reverse=True)
    n = len(ordered)
    k = largest_k(good, n, r)
    tie = False
    while 0 < k < n and ordered[k - 1][1] == ordered[k][1]:
        k -= 1
        tie = True
    ranks, rank = {}, 0
    for i, (pid, key) in enumerate(ordered):
        if i == 0 or key != ordered[i - 1][1]:
            rank = i + 1
        ranks[pid] = rank
    return CapDecision(ratio=r, good=good, candidates=n, k=k, kept=tuple(p[0] for p in ordered[:k]),
                       moved=tuple(p[0] for p in ordered[k:]), ranks=ranks, tie_moved=tie and k < n)


def cap_step(decision: CapDecision, pid: Any, *, source: str, override: str = "") -> Step:
    moved = pid in decision.moved
    return Step("cap", {"ratio": str(decision.ratio.numerator / decision.ratio.denominator),
                        "good_before": decision.good, "candidates": decision.candidates, "k": decision.k,
                        "rank": decision.ranks.get(pid), "tie_at_boundary": decision.tie_moved and moved,
                        "override_decision": override},
                GOOD if moved else EXCELLENT, source)


# One body and group ----------------------------------------------------------------------

@dataclass
class Person:
    """The inputs of one person in one body and group."""

    id: Any
    score: Decimal | None = None
    criteria: dict | None = None
    discipline: tuple[str, ...] = ()
    exceeded_pct: Decimal | None = None


@dataclass
class Outcome:
    id: Any
    level: str
    level_before_cap: str
    score: Decimal | None
    moved_down: bool
    steps: list[Step]


def classify_group(people: list[Person], rule_set: dict, *, override_ratio: Any = None,
                   override_decision: str = "") -> list[Outcome]:
    """Levels of everyone in one body and group under a rule set (``{"code", "parameters", …}``):
    each person's level from the score's band or the criteria, discipline forcing "not
    completed", then the cap over the group."""
    params = rule_set["parameters"]
    out: list[Outcome] = []
    for p in people:
        level, score, steps = person_level(p, params, rule_set["code"])
        out.append(Outcome(p.id, level, level, score, False, steps))
    ratio, source, override = cap_ratio(params, override_ratio, override_decision)
    candidates = [o for o in out if o.level == EXCELLENT]
    good = sum(1 for o in out if o.level == GOOD)
    if candidates:
        key = {o.id: _rank_key(o, people) for o in candidates}
        decision = apply_cap([(o.id, key[o.id]) for o in candidates], good, ratio)
        for o in candidates:
            o.steps.append(cap_step(decision, o.id, source=source, override=override))
            if o.id in decision.moved:
                o.level, o.moved_down = GOOD, True
    return out


def person_level(p: Person, params: dict, code: str) -> tuple[str, Decimal | None, list[Step]]:
    """One person's level before the cap: the score's band or the criteria, then discipline.
    Returns the level, the score as displayed (None under criteria) and the steps."""
    steps: list[Step] = []
    if params.get("method", POINTS) == CRITERIA:
        if p.criteria is None:
            raise InputError("criteria", f"criteria are required by rule set {code} (person {p.id})")
        level, s = criteria_level(p.criteria, params)
        score = None
    else:
        if p.score is None:
            raise InputError("score", f"score is required by rule set {code} (person {p.id})")
        score = two(check_score("score", p.score, Decimal(0), Decimal(100)))
        level, s = score_level(score, params, exceeded_pct=p.exceeded_pct)
    steps.extend(s)
    for m in p.discipline:
        if m not in DISCIPLINE_MEASURES:
            raise InputError("discipline", f"unknown discipline measure {m!r}")
    forced, dstep = discipline_forces(p.discipline, params)
    if dstep is not None:
        steps.append(dstep)
    if forced:
        level = NOT_COMPLETED
    return level, score, steps


def cap_ratio(params: dict, override_ratio: Any = None, override_decision: str = "") -> tuple[Any, str, str]:
    """The cap's ratio, its source and the decision allowing a larger share (if any)."""
    ratio, source, _assumed = param(params, "cap_ratio")
    override = ""
    if override_ratio is not None:
        if not override_decision:
            raise InputError("override_decision", "a larger share than the cap needs the decision that allows it")
        ratio, override = override_ratio, override_decision
    return ratio, source, override


def criteria_rank_key(criteria: dict | None) -> tuple:
    """The rank of a candidate under criteria: exceeded, then on time, then done."""
    c = criteria or {}
    return (dec(c.get("exceeded_pct", 0)), dec(c.get("on_time_pct", 0)), dec(c.get("done_pct", 0)))


def _rank_key(o: Outcome, people: list[Person]):
    if o.score is not None:
        return o.score
    p = next(x for x in people if x.id == o.id)
    return criteria_rank_key(p.criteria)


def mean(values: list[Decimal]) -> Decimal | None:
    return two(sum(values) / len(values)) if values else None


def summary(level: str, steps: list[dict]) -> str:
    """A one-line English account of the steps (the pages render the steps themselves)."""
    parts = []
    for s in steps:
        rule, inp, out = s["rule"], s["inputs"], s["outcome"]
        if rule == "band":
            parts.append(f"score {inp['score']} → {out}")
        elif rule == "criteria":
            parts.append(f"on time {inp['on_time_pct']}%, exceeded {inp['exceeded_pct']}% → {out}")
        elif rule == "discipline":
            parts.append(f"discipline {', '.join(inp['measures'])} → {out}")
        elif rule == "cap":
            if out == GOOD:
                parts.append(f"cap: rank {inp['rank']} of {inp['candidates']}, k = {inp['k']} → moved down to good")
            else:
                parts.append(f"cap: rank {inp['rank']} of {inp['candidates']}, k = {inp['k']} → kept")
        elif rule == "leader_unit":
            parts.append(f"leader's unit → {out}")
        elif rule == "excellent_exceeded":
            parts.append(f"exceeded {inp['exceeded_pct']}% (needs {inp['required']}%) → {out}")
    return "; ".join(parts) + f". Level: {level}."
