"""The computation of a cycle as first written (one object per person and step), kept to check
that :mod:`tinhgon.assessment.compute` gives exactly the same results and explanations.

Computing a cycle: the tasks of the period → each person's points or criteria → levels.

Reads the scope in a handful of queries (the cadres under the cycle's scope path, the tasks
the scope's units lead counted in the period with their class, the returns and approved
extensions of those tasks, the disciplines of the period, the heads of the units), then
classifies per body and group with :mod:`rules` and hands back the rows to write.  Nothing
here writes: :func:`services.cycle_compute` writes what it returns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from tinhgon.assessment import rules
from tinhgon.assessment.compute import rule_set_of
from tinhgon.assessment.models import Cycle, Result
from tinhgon.core.rulesets import RuleSetData

ProgressFn = Callable[[int, int, str], None]


@dataclass
class Tally:
    products: int = 0
    accepted: int = 0
    on_time: int = 0
    exceeded: int = 0
    in_progress: int = 0
    cancelled: int = 0
    returns: list = field(default_factory=list)
    delays: list = field(default_factory=list)
    tasks: list = field(default_factory=list)

    def frozen(self) -> rules.TaskTally:
        # accepted products first (their returns and delays), then those never delivered
        return rules.TaskTally(products=self.products, accepted=self.accepted, on_time=self.on_time,
                               exceeded=self.exceeded, returns=tuple(self.returns), delays=tuple(self.delays),
                               in_progress=self.in_progress, cancelled=self.cancelled)


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
    qs = counted_tasks(Task.objects.filter(lead_path__startswith=scope_path), period, on)
    from tinhgon.tasks.selectors import _class_case  # the accounting's own classification

    rows = list(qs.annotate(cls=_class_case(on)).order_by()
                .values_list("id", "assignee_id", "lead_path", "cls", "grade").iterator(chunk_size=20000))
    # Returns and approved extensions of the counted tasks only, through the (task, date) index.
    returns, extensions = defaultdict(int), defaultdict(int)
    ids = [r[0] for r in rows if r[1] is not None]
    for i in range(0, len(ids), 5000):
        events = (TaskEvent.objects.filter(task_id__in=ids[i:i + 5000], on__lte=on,
                                           kind__in=[TaskEvent.RETURNED, TaskEvent.EXTENSION_APPROVED])
                  .order_by().values("task_id", "kind").annotate(n=Count("id")))
        for e in events:
            (returns if e["kind"] == TaskEvent.RETURNED else extensions)[e["task_id"]] += e["n"]
    return rows, returns, extensions


def _heads(scope_path: str, day: dt.date) -> dict[int, int]:
    """unit id → the cadre id of its head on ``day`` (the rule of ``cadres.selectors.unit_head``,
    read for every unit of the scope at once)."""
    from tinhgon.apparatus.models import Position
    from tinhgon.cadres.models import Assignment
    from tinhgon.core.dated import valid_on

    positions = list(Position.objects.filter(unit__path__startswith=scope_path, is_leadership=True)
                     .order_by("unit_id", "order", "title", "id").values_list("id", "unit_id"))
    holders: dict[int, int] = {}
    ids = [p for p, _u in positions]
    for i in range(0, len(ids), 5000):
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


def compute(cycle: Cycle, *, progress: ProgressFn | None = None) -> Computed:
    """Everything a cycle's results are, computed from the records (nothing written)."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Cadre, Discipline

    tick = progress or (lambda d, t, m: None)
    rs = rule_set_of(cycle)
    params = rs.parameters
    method = params.get("method", rules.POINTS)
    scope, start, end = cycle.scope_path, cycle.period_start, cycle.period_end
    on = end
    tick(0, 6, "cadres")
    people = list(Cadre.objects.filter(unit_path__startswith=scope).exclude(unit_id=None)
                  .order_by().values_list("id", "unit_id", "unit_path"))
    tick(1, 6, "tasks")
    rows, returns, extensions = _tasks(scope, start, end, on)
    tallies: dict[int, Tally] = defaultdict(Tally)
    by_path: dict[str, UnitTally] = defaultdict(UnitTally)
    for task_id, assignee, lead_path, cls, grade in rows:
        u = by_path[lead_path]
        u.counted += 1
        if cls == "cancelled":
            u.cancelled += 1
        elif cls in ("on_time", "late", "overdue"):
            setattr(u, cls, getattr(u, cls) + 1)
        if assignee is None:
            continue
        t = tallies[assignee]
        if cls == "cancelled":
            t.cancelled += 1
            continue
        if cls == "in_progress":
            t.in_progress += 1
            continue
        t.products += 1
        delay = extensions.get(task_id, 0) + (0 if cls == "on_time" else 1)
        if cls in ("on_time", "late"):
            t.accepted += 1
            t.on_time += cls == "on_time"
            t.exceeded += grade == "exceeded"
            t.returns.insert(t.accepted - 1, returns.get(task_id, 0))
            t.delays.insert(t.accepted - 1, delay)
        else:
            t.delays.append(delay)
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
    for uid, path, valid_from in (Unit.objects.filter(path__startswith=scope).order_by("valid_from", "id")
                                  .values_list("id", "path", "valid_from")):
        if valid_from <= on or uid in unit_ids:
            unit_rows.setdefault(path, uid)
    heads = _heads(scope, on)
    unit_of_path = {p: uid for p, uid in unit_rows.items()}
    units = []
    for path, tally in rolled.items():
        uid = unit_of_path.get(path)
        if uid is None:
            continue
        units.append({"unit_id": uid, "unit_path": path, "depth": path.count("/"), "counted": tally.counted,
                      "cancelled": tally.cancelled, "on_time": tally.on_time, "late": tally.late,
                      "overdue": tally.overdue, "completion": tally.completion, "head_id": heads.get(uid)})
    units.sort(key=lambda u: (-(u["completion"] if u["completion"] is not None else Decimal(-1)), u["unit_path"]))
    for i, u in enumerate(units, start=1):
        u["rank"] = i if u["completion"] is not None else None
    completion_of = {u["unit_path"]: u["completion"] for u in units}

    tick(3, 6, "discipline")
    measures: dict[int, list[str]] = defaultdict(list)
    for cadre_id, measure in (Discipline.objects.filter(cadre__unit_path__startswith=scope,
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
                cycle__period_end__lte=end, cadre__unit_path__startswith=scope, score__isnull=False)
                .values_list("cadre_id", "score")):
            values[cadre_id].append(score)
        period_means = {c: rules.mean(v) for c, v in values.items()}

    tick(4, 6, "points")
    heads_of = {c: uid for uid, c in heads.items()}
    base: dict[int, dict] = {}
    for cadre_id, unit_id, unit_path in people:
        tally = tallies.get(cadre_id, Tally())
        frozen = tally.frozen()
        ex = existing.get(cadre_id, {})
        steps: list[rules.Step] = [rules.Step("tasks_counted", {**frozen.as_dict(), "period_start": str(start),
                                                                 "period_end": str(end)}, frozen.products)]
        row = {"cadre_id": cadre_id, "body_id": unit_id, "unit_path": unit_path,
               "group": ex.get("group", "") or "", "is_leader": heads_of.get(cadre_id) == unit_id,
               "discipline": ",".join(sorted(set(measures.get(cadre_id, [])))), "general_points": ex.get("general_points"),
               "task_points": None, "score": None, "criteria": {}, "steps": steps, "tally": frozen,
               "exceeded_pct": (rules.two(Decimal(frozen.exceeded) * 100 / frozen.products)
                                if frozen.products else Decimal(0))}
        if method == rules.CRITERIA:
            crit = {"on_time_pct": _pct(frozen.on_time, frozen.products),
                    "done_pct": _pct(frozen.accepted, frozen.products),
                    "exceeded_pct": _pct(frozen.exceeded, frozen.products) if frozen.products else "0"}
            if not frozen.products and "no_tasks" in params:
                value, source, assumed = rules.param(params, "no_tasks")
                steps.append(rules.Step("no_tasks", {"reading": value}, "criteria_met", source, assumed))
            if row["is_leader"]:
                own = completion_of.get(unit_path)
                children = [c for p, c in completion_of.items()
                            if p.startswith(unit_path) and p.count("/") == unit_path.count("/") + 1 and c is not None]
                scale = children or ([own] if own is not None else [])
                crit.update({"leader": True, "unit_completion_pct": str(own if own is not None else 100),
                             "units_completed_pct": str(_share(scale, 50)), "units_good_pct": str(_share(scale, 70))})
            row["criteria"] = crit
        else:
            points, s = rules.task_points(frozen, params)
            steps.extend(s)
            row["task_points"] = points
        base[cadre_id] = row

    if method != rules.CRITERIA:
        _scores(base, params, cycle, period_means, annual_source, annual_assumed)

    tick(5, 6, "classify")
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in base.values():
        if method == rules.CRITERIA or row["score"] is not None:
            groups[(row["body_id"], row["group"])].append(row)
    override = cycle.cap_override_ratio
    rs_dict = {"code": rs.code, "parameters": params}
    for (_body, _group), members in groups.items():
        persons = [rules.Person(r["cadre_id"], score=r["score"], criteria=r["criteria"] or None,
                                discipline=tuple(m for m in r["discipline"].split(",") if m),
                                exceeded_pct=r["exceeded_pct"]) for r in members]
        outcomes = rules.classify_group(persons, rs_dict, override_ratio=override,
                                        override_decision=cycle.cap_override_decision)
        for r, o in zip(members, outcomes, strict=True):
            r["level"], r["level_before_cap"], r["moved_down"] = o.level, o.level_before_cap, o.moved_down
            r["steps"].extend(o.steps)

    assumed_names = sorted(k for k in params if isinstance(params[k], dict) and params[k].get("assumed"))
    results = []
    for row in base.values():
        steps = [s.as_dict() for s in row.pop("steps")]
        row.pop("tally")
        level = row.get("level", "")
        used_assumed = sorted({s["rule"] for s in steps if s["assumed"]})
        explanation = {
            "rule_set": {"code": rs.code, "name": rs.name, "legal_basis": rs.legal_basis},
            "steps": steps,
            "assumed": used_assumed,
            "summary": rules.summary(level, steps) if level else "awaiting the reviewer's general points",
        }
        row.update({"level": level, "level_before_cap": row.get("level_before_cap", ""),
                    "moved_down": row.get("moved_down", False), "assumed": bool(used_assumed),
                    "explanation": explanation, "rule_set": rs.code})
        row.pop("exceeded_pct")
        results.append(row)
    tick(6, 6, "done")
    return Computed(results=results, units=units, rule_set=rs, assumed=assumed_names)


def _pct(part: int, whole: int) -> str:
    """A share in percent; with nothing due every criterion is met (100)."""
    return str(rules.two(Decimal(part) * 100 / whole)) if whole else "100"


def _share(values: list[Decimal], threshold: int) -> Decimal:
    if not values:
        return Decimal(100)
    return rules.two(Decimal(sum(1 for v in values if v >= threshold)) * 100 / len(values))


def _scores(base: dict[int, dict], params: dict, cycle: Cycle, period_means: dict, annual_source: str,
            annual_assumed: bool) -> None:
    """Decree 335 / Regulation 366: general + task points; leaders carry their unit (a first pass
    bands the others of the unit)."""
    general_max = Decimal(params.get("general_points", 30))
    no_tasks, nt_source, nt_assumed = rules.param(params, "no_tasks")
    shares = params.get("leader_unit_shares", {"all_completed": 1, "one_not_completed": 0.5})

    def total(row, task_points):
        g = row["general_points"]
        if g is None:
            return None
        if task_points is None:
            if no_tasks == "general_scaled":
                value = rules.two(Decimal(g) * 100 / general_max)
                row["steps"].append(rules.Step("no_tasks", {"general_points": str(g)}, str(value), nt_source,
                                               nt_assumed))
                return value
            return rules.two(Decimal(g))
        return rules.two(Decimal(g) + task_points)

    for row in base.values():
        if row["is_leader"]:
            continue
        row["score"] = total(row, row["task_points"])
    by_body: dict[int, list[dict]] = defaultdict(list)
    for row in base.values():
        if not row["is_leader"]:
            by_body[row["body_id"]].append(row)
    for row in base.values():
        if not row["is_leader"]:
            continue
        under = by_body.get(row["body_id"], [])
        banded = [rules.band(r["score"], params)[0] for r in under if r["score"] is not None]
        forced = [r for r in under if r["discipline"]]
        one_not = any(b == rules.NOT_COMPLETED for b in banded) or bool(forced)
        share = Decimal(str(shares["one_not_completed"] if one_not else shares["all_completed"]))
        points, s = rules.leader_task_points(row["task_points"], share, params)
        s[0].inputs.update({"people_under": len(under), "not_completed_under": one_not})
        row["steps"].extend(s)
        row["task_points"] = points
        row["score"] = total(row, points)
    if period_means:
        for cadre_id, value in period_means.items():
            row = base.get(cadre_id)
            if row is not None and value is not None:
                row["steps"].append(rules.Step("annual_mean", {"recount": str(row["score"])}, str(value),
                                               annual_source, annual_assumed))
                row["score"] = value
    for row in base.values():
        if row["score"] is not None:
            row["steps"].append(rules.Step("score", {"general_points": str(row["general_points"]),
                                                     "task_points": None if row["task_points"] is None
                                                     else str(row["task_points"])}, str(row["score"])))
