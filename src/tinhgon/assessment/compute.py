"""Computing a cycle: the tasks of the period → each person's points or criteria → levels.

Reads the scope in a handful of queries (the cadres under the cycle's scope path, the tasks
the scope's units lead counted in the period with their class, the returns and approved
extensions of those tasks, the disciplines of the period, the heads of the units), then
classifies per body and group with :mod:`rules` and hands back the rows to write.  Nothing
here writes: :func:`services.cycle_compute` writes what it returns.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from tinhgon.core.rulesets import RuleSetData, rule_set_for
from tinhgon.core.scoping import scope_q

from . import rules
from .models import Cycle, Result

ProgressFn = Callable[[int, int, str], None]


def rule_set_of(cycle: Cycle) -> RuleSetData:
    kind = rules.KIND_PARTY if cycle.audience == Cycle.PARTY else rules.KIND
    if cycle.rule_set:
        return rule_set_for(kind, cycle.period_end, code=cycle.rule_set)
    return rule_set_for(kind, cycle.period_end)


@dataclass
class UnitTally:
    counted: int = 0
    cancelled: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0

    @property
    def completion(self) -> Decimal | None:
        base = self.counted - self.cancelled
        return rules.two(Decimal(self.on_time) * 100 / base) if base > 0 else None


def _tasks(scope_path: str, start: dt.date, end: dt.date, on: dt.date):
    from tinhgon.tasks import rules as task_rules
    from tinhgon.tasks.models import Task, TaskEvent
    from tinhgon.tasks.selectors import counted_tasks

    period = task_rules.Period(f"{start}..{end}", start, end, "custom")
    qs = counted_tasks(Task.objects.filter(scope_q("lead_path", [scope_path])), period, on)
    from tinhgon.tasks.selectors import _class_case  # the accounting's own classification

    rows = list(qs.annotate(cls=_class_case(on)).order_by()
                .values_list("id", "assignee_id", "lead_path", "cls", "grade"))  # one province: held at once anyway
    # Returns and approved extensions of the scope's tasks in one aggregate (those of tasks not
    # counted are never looked up), through the lead path's index and the (task, date) index.
    returns, extensions = {}, {}
    events = (TaskEvent.objects.filter(scope_q("task__lead_path", [scope_path]), on__lte=on,
                                       kind__in=[TaskEvent.RETURNED, TaskEvent.EXTENSION_APPROVED])
              .order_by().values_list("task_id", "kind").annotate(n=Count("id")))
    for task_id, kind, n in events:
        (returns if kind == TaskEvent.RETURNED else extensions)[task_id] = n
    return rows, returns, extensions


def _heads(scope_path: str, day: dt.date) -> dict[int, int]:
    """unit id → the cadre id of its head on ``day`` (the rule of ``cadres.selectors.unit_head``,
    read for every unit of the scope at once)."""
    from tinhgon.apparatus.models import Position
    from tinhgon.cadres.models import Assignment
    from tinhgon.core.dated import valid_on

    leading = Position.objects.filter(scope_q("unit__path", [scope_path]), is_leadership=True)
    positions = list(leading.order_by("unit_id", "order", "title", "id").values_list("id", "unit_id"))
    holders: dict[int, int] = {}
    ids = [p for p, _u in positions]
    for i in range(0, len(ids), 5000):  # their holders through the assignments' position index
        for pos, cadre in (Assignment.objects.filter(valid_on(day), position_id__in=ids[i:i + 5000],
                                                     status=Assignment.ACTIVE)
                           .order_by("valid_from", "id").values_list("position_id", "cadre_id")):
            holders.setdefault(pos, cadre)
    heads: dict[int, int] = {}
    for pos, unit in positions:
        if unit not in heads and pos in holders:
            heads[unit] = holders[pos]
    return heads


def _ancestors(path: str, scope_path: str) -> list[str]:
    parts = path.strip("/").split("/")
    out = []
    for i in range(len(parts), 0, -1):
        p = "/".join(parts[:i]) + "/"
        if not p.startswith(scope_path):
            break
        out.append(p)
    return out


@dataclass
class Computed:
    results: list[dict]
    units: list[dict]
    rule_set: RuleSetData
    assumed: list[str]


# The tally of one person as a hashable key, in the order of ``rules.TaskTally``'s fields:
# (products, accepted, on_time, exceeded, returns, delays, in_progress, cancelled).
EMPTY_KEY = (0, 0, 0, 0, (), (), 0, 0)
AWAITING = "awaiting the reviewer's general points"


def _tally_keys(rows, returns: dict, extensions: dict) -> tuple[dict[int, tuple], dict[str, UnitTally]]:
    """Each assignee's tally key and each lead path's unit tally, from the counted tasks.

    The returns and delays of the accepted products come first, then the delays of those never
    delivered (the order ``rules.task_points`` reads them in); inside each part they are sorted,
    which changes no figure (each product's points do not depend on the others) and lets people
    with the same tasks share one key."""
    acc: dict[int, list] = {}
    by_path: dict[str, UnitTally] = defaultdict(UnitTally)
    for task_id, assignee, lead_path, cls, grade in rows:
        u = by_path[lead_path]
        u.counted += 1
        if cls == "cancelled":
            u.cancelled += 1
        elif cls == "on_time":
            u.on_time += 1
        elif cls == "late":
            u.late += 1
        elif cls == "overdue":
            u.overdue += 1
        if assignee is None:
            continue
        t = acc.get(assignee)
        if t is None:  # products, accepted, on_time, exceeded, in_progress, cancelled, returns, delays, undelivered
            t = acc[assignee] = [0, 0, 0, 0, 0, 0, [], [], []]
        if cls == "cancelled":
            t[5] += 1
            continue
        if cls == "in_progress":
            t[4] += 1
            continue
        t[0] += 1
        delay = extensions.get(task_id, 0) + (0 if cls == "on_time" else 1)
        if cls == "on_time" or cls == "late":
            t[1] += 1
            if cls == "on_time":
                t[2] += 1
            if grade == "exceeded":
                t[3] += 1
            t[6].append(returns.get(task_id, 0))
            t[7].append(delay)
        else:
            t[8].append(delay)
    keys = {}
    for assignee, t in acc.items():
        delays = tuple(sorted(t[7])) + tuple(sorted(t[8]))
        keys[assignee] = (t[0], t[1], t[2], t[3], tuple(sorted(t[6])), delays, t[4], t[5])
    return keys, by_path


def compute(cycle: Cycle, *, progress: ProgressFn | None = None) -> Computed:
    """Everything a cycle's results are, computed from the records (nothing written).

    People with the same tally, the same inputs to their level and no cap step share the
    computation of their steps and explanation (the step dictionaries themselves are shared
    between results; nothing changes them once computed).  The cyclic garbage collector is
    held while the rows are built: they hold no cycles, and it would otherwise rescan every row
    of the province again and again as they accumulate."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute(cycle, progress)
    finally:
        if enabled:
            gc.enable()


def _compute(cycle: Cycle, progress: ProgressFn | None) -> Computed:
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Cadre, Discipline

    tick = progress or (lambda d, t, m: None)
    rs = rule_set_of(cycle)
    params = rs.parameters
    method = params.get("method", rules.POINTS)
    criteria_method = method == rules.CRITERIA
    scope, start, end = cycle.scope_path, cycle.period_start, cycle.period_end
    on = end
    tick(0, 6, "cadres")
    people = list(Cadre.objects.filter(scope_q("unit_path", [scope])).exclude(unit_id=None)
                  .order_by().values_list("id", "unit_id", "unit_path"))
    tick(1, 6, "tasks")
    rows, returns, extensions = _tasks(scope, start, end, on)
    keys, by_path = _tally_keys(rows, returns, extensions)
    del rows, returns, extensions
    tick(2, 6, "units")
    # units rolled up the tree: each lead path counts in every ancestor inside the scope
    rolled: dict[str, UnitTally] = defaultdict(UnitTally)
    for path, u in by_path.items():
        for p in _ancestors(path, scope):
            r = rolled[p]
            r.counted += u.counted
            r.cancelled += u.cancelled
            r.on_time += u.on_time
            r.late += u.late
            r.overdue += u.overdue
    unit_ids = {uid for _c, uid, _p in people}
    unit_rows = {}
    for uid, path, valid_from in (Unit.objects.filter(scope_q("path", [scope])).order_by("valid_from", "id")
                                  .values_list("id", "path", "valid_from")):
        if valid_from <= on or uid in unit_ids:
            unit_rows.setdefault(path, uid)
    heads = _heads(scope, on)
    units = []
    for path, tally in rolled.items():
        uid = unit_rows.get(path)
        if uid is None:
            continue
        units.append({"unit_id": uid, "unit_path": path, "depth": path.count("/"), "counted": tally.counted,
                      "cancelled": tally.cancelled, "on_time": tally.on_time, "late": tally.late,
                      "overdue": tally.overdue, "completion": tally.completion, "head_id": heads.get(uid)})
    units.sort(key=lambda u: (-(u["completion"] if u["completion"] is not None else Decimal(-1)), u["unit_path"]))
    for i, u in enumerate(units, start=1):
        u["rank"] = i if u["completion"] is not None else None
    completion_of = {u["unit_path"]: u["completion"] for u in units}
    children_of: dict[str, list[Decimal]] = defaultdict(list)  # the completions of the units just below
    for p, c in completion_of.items():
        if c is not None:
            children_of[p[:p.rstrip("/").rfind("/") + 1]].append(c)

    tick(3, 6, "discipline")
    measures: dict[int, list[str]] = defaultdict(list)
    for cadre_id, measure in (Discipline.objects.filter(scope_q("cadre__unit_path", [scope]),
                                                        effective_date__gte=start, effective_date__lte=end)
                              .values_list("cadre_id", "measure")):
        measures[cadre_id].append(measure)
    existing = {r["cadre_id"]: r for r in Result.objects.filter(cycle=cycle).values(
        "id", "cadre_id", "general_points", "group")}
    annual, annual_source, annual_assumed = rules.param(params, "annual") if "annual" in params else ("recount", "", False)
    period_means: dict[int, Decimal] = {}
    if cycle.kind == Cycle.ANNUAL and annual == "mean_of_periods":
        values: dict[int, list[Decimal]] = defaultdict(list)
        for cadre_id, score in (Result.objects.filter(
                cycle__kind=Cycle.QUARTERLY, cycle__status=Cycle.APPROVED, cycle__period_start__gte=start,
                cycle__period_end__lte=end, score__isnull=False).filter(scope_q("cadre__unit_path", [scope]))
                .values_list("cadre_id", "score")):
            values[cadre_id].append(score)
        period_means = {c: rules.mean(v) for c, v in values.items()}

    tick(4, 6, "points")
    heads_of = {c: uid for uid, c in heads.items()}
    per_tally = _PerTally(params, criteria_method, str(start), str(end))
    code = rs.code
    base: list[dict] = []  # the rows handed back, in the order of the people
    aux: list[list] = []  # beside each: [tally key, tally's outcome, steps between, own steps, level, cap step]
    for cadre_id, unit_id, unit_path in people:
        key = keys.get(cadre_id, EMPTY_KEY)
        tally = per_tally[key]
        ex = existing.get(cadre_id)
        ms = measures.get(cadre_id)
        is_leader = heads_of.get(cadre_id) == unit_id
        if criteria_method:
            crit = tally.criteria
            if is_leader:
                own = completion_of.get(unit_path)
                scale = children_of.get(unit_path) or ([own] if own is not None else [])
                crit = {**crit, "leader": True, "unit_completion_pct": str(own if own is not None else 100),
                        "units_completed_pct": str(_share(scale, 50)), "units_good_pct": str(_share(scale, 70))}
        else:
            crit = {}
        base.append({"cadre_id": cadre_id, "body_id": unit_id, "unit_path": unit_path,
                     "group": (ex.get("group", "") or "") if ex else "", "is_leader": is_leader,
                     "discipline": ",".join(sorted(set(ms))) if ms else "",
                     "general_points": ex.get("general_points") if ex else None,
                     "task_points": tally.points, "score": None, "criteria": crit, "level": "",
                     "level_before_cap": "", "moved_down": False, "assumed": False, "explanation": None,
                     "rule_set": code})
        aux.append([key, tally, (), False, None, None])

    if not criteria_method:
        _fast_scores(base, aux, params, period_means, annual_source, annual_assumed)

    tick(5, 6, "classify")
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, row in enumerate(base):
        if criteria_method or row["score"] is not None:
            groups[(row["body_id"], row["group"])].append(i)
    override = cycle.cap_override_ratio
    levels: dict[tuple, tuple] = {}  # the inputs of a person's level → (level, score, steps, the inputs)
    for members in groups.values():
        for i in members:
            r, a = base[i], aux[i]
            disc = tuple(m for m in r["discipline"].split(",") if m) if r["discipline"] else ()
            exceeded_pct = a[1].exceeded_pct
            if not criteria_method:
                lkey = (str(r["score"]), str(exceeded_pct), disc)  # 0 and 0.00 read differently
            elif r["is_leader"]:
                lkey = (tuple(r["criteria"].items()), disc)
            else:  # the criteria of the tally
                lkey = (a[0], disc)
            got = levels.get(lkey)
            if got is None:
                person = rules.Person(r["cadre_id"], score=r["score"], criteria=r["criteria"] or None,
                                      discipline=disc, exceeded_pct=exceeded_pct)
                level, score, steps = rules.person_level(person, params, code)
                got = levels[lkey] = (level, score, tuple(s.as_dict() for s in steps), lkey)
            r["level"] = r["level_before_cap"] = got[0]
            a[4] = got
        ratio, source, override_note = rules.cap_ratio(params, override, cycle.cap_override_decision)
        candidates = [i for i in members if base[i]["level"] == rules.EXCELLENT]
        if candidates:
            good = sum(1 for i in members if base[i]["level"] == rules.GOOD)
            if criteria_method:
                ranked = [(base[i]["cadre_id"], rules.criteria_rank_key(base[i]["criteria"] or None))
                          for i in candidates]
            else:
                ranked = [(base[i]["cadre_id"], aux[i][4][1]) for i in candidates]
            decision = rules.apply_cap(ranked, good, ratio)
            moved = set(decision.moved)
            for i in candidates:
                r = base[i]
                aux[i][5] = rules.cap_step(decision, r["cadre_id"], source=source, override=override_note).as_dict()
                if r["cadre_id"] in moved:
                    r["level"], r["moved_down"] = rules.GOOD, True

    assumed_names = sorted(k for k in params if isinstance(params[k], dict) and params[k].get("assumed"))
    name, legal_basis = rs.name, rs.legal_basis
    explained: dict[tuple, tuple] = {}  # (tally, general points, level inputs) → (steps, assumed, summary)
    for row, (key, tally, mid, unique, lv, cap) in zip(base, aux, strict=True):
        level = row["level"]
        if not unique and cap is None:
            g = row["general_points"]
            ekey = (key, None if g is None else str(g), lv[3] if lv is not None else None)
            got = explained.get(ekey)
            if got is None:
                steps = tally.steps + mid + (lv[2] if lv is not None else ())
                got = explained[ekey] = (steps, *_assumed_summary(level, steps))
        else:
            steps = tally.steps + mid + (lv[2] if lv is not None else ())
            if cap is not None:
                steps += (cap,)
            got = (steps, *_assumed_summary(level, steps))
        steps, used_assumed, summary = got
        row["assumed"] = bool(used_assumed)
        row["explanation"] = {"rule_set": {"code": code, "name": name, "legal_basis": legal_basis},
                              "steps": list(steps), "assumed": list(used_assumed), "summary": summary}
    del aux
    tick(6, 6, "done")
    return Computed(results=base, units=units, rule_set=rs, assumed=assumed_names)


def _assumed_summary(level: str, steps) -> tuple[list[str], str]:
    used = sorted({s["rule"] for s in steps if s["assumed"]})
    return used, (rules.summary(level, steps) if level else AWAITING)


class _TallyOut:
    """What one tally gives every person holding it: the tally, its first steps (as dictionaries),
    the task points, the share exceeded and the criteria."""

    __slots__ = ("tally", "steps", "points", "exceeded_pct", "criteria", "score_step")

    def __init__(self, key: tuple, params: dict, criteria_method: bool, start: str, end: str):
        t = rules.TaskTally(*key)
        self.tally = t
        steps = [rules.Step("tasks_counted", {**t.as_dict(), "period_start": start, "period_end": end}, t.products)]
        self.exceeded_pct = rules.two(Decimal(t.exceeded) * 100 / t.products) if t.products else Decimal(0)
        self.points = None
        self.criteria = None
        if criteria_method:
            self.criteria = {"on_time_pct": _pct(t.on_time, t.products), "done_pct": _pct(t.accepted, t.products),
                             "exceeded_pct": _pct(t.exceeded, t.products) if t.products else "0"}
            if not t.products and "no_tasks" in params:
                value, source, assumed = rules.param(params, "no_tasks")
                steps.append(rules.Step("no_tasks", {"reading": value}, "criteria_met", source, assumed))
        else:
            self.points, s = rules.task_points(t, params)
            steps.extend(s)
        self.steps = tuple(s.as_dict() for s in steps)


class _PerTally(dict):
    def __init__(self, params: dict, criteria_method: bool, start: str, end: str):
        super().__init__()
        self.args = (params, criteria_method, start, end)

    def __missing__(self, key: tuple) -> _TallyOut:
        out = self[key] = _TallyOut(key, *self.args)
        return out


def _pct(part: int, whole: int) -> str:
    """A share in percent; with nothing due every criterion is met (100)."""
    return str(rules.two(Decimal(part) * 100 / whole)) if whole else "100"


def _share(values: list[Decimal], threshold: int) -> Decimal:
    if not values:
        return Decimal(100)
    return rules.two(Decimal(sum(1 for v in values if v >= threshold)) * 100 / len(values))


def _fast_scores(base: list[dict], aux: list[list], params: dict, period_means: dict, annual_source: str,
                 annual_assumed: bool) -> None:
    """Decree 335 / Regulation 366: general + task points; leaders carry their unit (a first pass
    bands the others of the unit).  Sets each row's score and, beside it, its steps between the
    tally's and the level's (``aux[i][2]``; ``aux[i][3]`` when they are the person's own: a leader,
    an annual mean)."""
    general_max = Decimal(params.get("general_points", 30))
    no_tasks, nt_source, nt_assumed = rules.param(params, "no_tasks")
    shares = params.get("leader_unit_shares", {"all_completed": 1, "one_not_completed": 0.5})

    def total(g, task_points) -> tuple[Decimal | None, list[dict]]:
        if g is None:
            return None, []
        if task_points is None:
            if no_tasks == "general_scaled":
                value = rules.two(Decimal(g) * 100 / general_max)
                return value, [rules.Step("no_tasks", {"general_points": str(g)}, str(value), nt_source,
                                          nt_assumed).as_dict()]
            return rules.two(Decimal(g)), []
        return rules.two(Decimal(g) + task_points), []

    def score_step(g, task_points, score) -> dict:
        return rules.Step("score", {"general_points": str(g), "task_points": None if task_points is None
                                    else str(task_points)}, str(score)).as_dict()

    mids: dict[tuple, tuple] = {}  # (task points, general points) → (score, steps) of the others
    by_body: dict[int, list[dict]] = defaultdict(list)
    for row, a in zip(base, aux, strict=True):
        if row["is_leader"]:
            continue
        g, tp = row["general_points"], row["task_points"]
        k = (None if tp is None else str(tp), None if g is None else str(g))
        got = mids.get(k)
        if got is None:
            score, steps = total(g, tp)
            if score is not None:
                steps.append(score_step(g, tp, score))
            got = mids[k] = (score, tuple(steps))
        row["score"] = got[0]
        a[2] = got[1]
        by_body[row["body_id"]].append(row)
    bands: dict[Decimal, str] = {}
    for row, a in zip(base, aux, strict=True):
        if not row["is_leader"]:
            continue
        under = by_body.get(row["body_id"], [])
        banded = []
        for r in under:
            if r["score"] is not None:
                b = bands.get(r["score"])
                if b is None:
                    b = bands[r["score"]] = rules.band(r["score"], params)[0]
                banded.append(b)
        forced = [r for r in under if r["discipline"]]
        one_not = any(b == rules.NOT_COMPLETED for b in banded) or bool(forced)
        share = Decimal(str(shares["one_not_completed"] if one_not else shares["all_completed"]))
        points, s = rules.leader_task_points(row["task_points"], share, params)
        s[0].inputs.update({"people_under": len(under), "not_completed_under": one_not})
        row["task_points"] = points
        score, steps = total(row["general_points"], points)
        row["score"] = score
        a[2] = [x.as_dict() for x in s] + steps
        a[3] = True
    if period_means:
        at = {row["cadre_id"]: i for i, row in enumerate(base)}
        for cadre_id, value in period_means.items():
            i = at.get(cadre_id)
            if i is not None and value is not None:
                row, a = base[i], aux[i]
                mid = list(a[2])
                if mid and mid[-1]["rule"] == "score":
                    mid.pop()
                mid.append(rules.Step("annual_mean", {"recount": str(row["score"])}, str(value), annual_source,
                                      annual_assumed).as_dict())
                row["score"] = value
                a[2], a[3] = mid, True
    for row, a in zip(base, aux, strict=True):
        if a[3]:
            mid = list(a[2])
            if row["score"] is not None:
                mid.append(score_step(row["general_points"], row["task_points"], row["score"]))
            a[2] = tuple(mid)
