"""What a round starts from: the new units of a plan inside a scope, their posts, and their
candidates — the cadres of their predecessors.

An applied plan leaves its cadres *pending placement* at the primary successor of their unit
(``cadres.successors``); each is a candidate in every successor of the unit they held before
(a divided commune's cadres in each commune it became).  A plan not applied yet (a what-if)
is read from its change set: the cadres holding a primary post in a unit the plan ends.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from tinhgon.core.bulk import chunked_in
from tinhgon.core.scoping import path_within

from . import rules

CONTINUE_KINDS = ("rename", "move")


@dataclass
class NewUnit:
    code: str
    name: str
    path: str
    level: str
    unit_id: int | None = None
    predecessors: list[list] = field(default_factory=list)  # [code, name, path]


@dataclass
class Seed:
    cadre_id: int
    assignment_id: int | None
    from_unit_id: int
    from_title: str
    waiting_path: str
    options: list[str]  # codes of new units


@dataclass
class RoundData:
    units: dict[str, NewUnit]
    seeds: list[Seed]
    cadres: object = None  # a query of cadre ids covering the seeds' (None: only their list)


BULK = 2000  # cadres above which their rows are read through one query of their ids, not in chunks


def _open_on(date: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=date)


def from_applied_plan(plan, scope_path: str) -> RoundData:
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Assignment
    from tinhgon.restructuring.models import Succession

    date = plan.effective_date
    edges = list(Succession.objects.filter(plan=plan).exclude(kind__in=CONTINUE_KINDS)
                 .values_list("predecessor_id", "successor_id"))
    succ_of: dict[int, list[int]] = defaultdict(list)
    for p, s in edges:
        succ_of[p].append(s)
    unit_ids = {x for e in edges for x in e}
    info = {u["id"]: u for u in chunked_in(Unit.objects.values("id", "code", "name", "path", "level__code"),
                                           "pk", list(unit_ids))}
    waiting = Assignment.objects.filter(_open_on(date), status=Assignment.PENDING, valid_from=date, is_primary=True)
    pending = list(waiting.values_list("id", "cadre_id", "unit__path"))
    pending = [p for p in pending if path_within(p[2], scope_path)]
    cadre_ids = [p[1] for p in pending]
    # every cadre waiting in the scope (a superset of ``cadre_ids`` when paths compare loosely)
    among = (waiting.filter(unit__path__startswith=scope_path) if scope_path else waiting).values("cadre_id")
    ended = Assignment.objects.filter(valid_to=date, is_primary=True).values_list("cadre_id", "unit_id", "title")
    before: dict[int, tuple[int, str]] = {}
    if len(cadre_ids) > BULK:
        wanted = set(cadre_ids)
        for cid, uid, title in ended.filter(cadre_id__in=among):
            if cid in wanted:
                before[cid] = (uid, title)
    else:
        for cid, uid, title in chunked_in(ended, "cadre_id", cadre_ids):
            before[cid] = (uid, title)
    missing = {uid for uid, _t in before.values()} - set(info)
    info.update({u["id"]: u for u in chunked_in(Unit.objects.values("id", "code", "name", "path", "level__code"),
                                                "pk", list(missing))})
    units: dict[str, NewUnit] = {}
    seeds = []
    codes_of: dict[int, list[str]] = {}  # a unit that ended → its successors' codes (the same for its cadres)
    for aid, cid, wpath in pending:
        if cid not in before:
            continue
        old, title = before[cid]
        codes = codes_of.get(old)
        if codes is None:
            codes = codes_of[old] = []
            for s in succ_of.get(old, []):
                u = info[s]
                nu = units.get(u["code"])
                if nu is None:
                    nu = units[u["code"]] = NewUnit(u["code"], u["name"], u["path"], u["level__code"], u["id"])
                o = info[old]
                if o["code"] not in {p[0] for p in nu.predecessors}:
                    nu.predecessors.append([o["code"], o["name"], o["path"]])
                codes.append(u["code"])
        seeds.append(Seed(cid, aid, old, title, wpath, list(codes)))
    return RoundData(units, seeds, among)


def from_draft_plan(plan, scope_path: str) -> RoundData:
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Assignment
    from tinhgon.restructuring.services import endings_of, plan_changeset

    cs = plan_changeset(plan)
    date = plan.effective_date
    endings = [e for e in endings_of(cs) if path_within(e.path, scope_path)]
    by_id = {e.unit_id: e for e in endings}
    units: dict[str, NewUnit] = {}
    seeds = []
    levels = dict(chunked_in(Unit.objects.values_list("id", "level__code"), "pk", list(by_id)))
    rows = chunked_in(Assignment.objects.filter(_open_on(date), valid_from__lt=date, is_primary=True)
                      .values_list("id", "cadre_id", "unit_id", "title", "unit__path"), "unit_id", list(by_id))
    for aid, cid, uid, title, upath in rows:
        e = by_id[uid]
        codes = []
        for s in e.successors:
            if s.kind in CONTINUE_KINDS:
                continue
            nv = cs.new_versions.get(s.code)
            if nv is None:
                continue
            nu = units.get(s.code)
            if nu is None:
                path = cs.paths_after.get(s.code) or ""
                level = nv.level or levels.get(uid, "")
                nu = units[s.code] = NewUnit(s.code, nv.name, path, level)
            if e.code not in {p[0] for p in nu.predecessors}:
                nu.predecessors.append([e.code, e.name, e.path])
            codes.append(s.code)
        seeds.append(Seed(cid, aid, uid, title, upath, codes))
    return RoundData(units, seeds)


def positions_of(unit_ids: list[int]) -> dict[int, list[tuple]]:
    """Unit id → its positions in the registry (title, count, leadership, id), in order."""
    from tinhgon.apparatus.models import Position

    out: dict[int, list[tuple]] = defaultdict(list)
    rows = chunked_in(Position.objects.values_list("unit_id", "order", "id", "title", "count", "is_leadership"),
                      "unit_id", unit_ids)
    for uid, _order, pid, title, count, lead in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        out[uid].append((title, count, lead, pid))
    return out


def posts_for(unit: NewUnit, seeds: list[Seed], params: dict, positions: dict[int, list[tuple]]
              ) -> list[tuple[str, int, bool, int | None]]:
    """(title, count, leadership, position id) of a new unit: its positions in the registry, else
    the rule set's standard posts for its level, else, per title, the most holders any one
    predecessor had (the largest predecessor's staffing)."""
    if unit.unit_id and positions.get(unit.unit_id):
        return positions[unit.unit_id]
    standard = params.get("standard_posts", {}).get(unit.level)
    if standard:
        return [(t, int(n), bool(lead), None) for t, n, lead in standard]
    per: dict[tuple[int, str], int] = defaultdict(int)
    for s in seeds:
        if unit.code in s.options:
            per[(s.from_unit_id, s.from_title)] += 1
    best: dict[str, int] = {}
    for (_u, t), n in per.items():
        best[t] = max(best.get(t, 0), n)
    return [(t, n, rules.is_leadership_title(t), None) for t, n in sorted(best.items())]

