"""Lineage ("what did this unit become / come from"), address resolution and plan reports."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from tinhgon.apparatus.models import PATH_SEP, PayrollQuota, Unit
from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import in_scope, restrict

from .models import Plan, Succession

UNIT_VALUES = ("id", "code", "name", "kind__name", "level__code", "path", "valid_from", "valid_to")


@dataclass
class LineageEdge:
    predecessor: dict
    successor: dict
    kind: str
    share: float | None
    plan_id: int
    plan_name: str
    effective_date: dt.date


@dataclass
class Lineage:
    unit: dict
    became: list[LineageEdge] = field(default_factory=list)      # forward edges, breadth-first
    came_from: list[LineageEdge] = field(default_factory=list)   # backward edges, breadth-first
    current: list[dict] = field(default_factory=list)            # what the unit is today (leaves)
    origins: list[dict] = field(default_factory=list)            # the oldest versions it comes from


def _units(ids) -> dict[int, dict]:
    return {u["id"]: u for u in chunked_in(Unit.objects.values(*UNIT_VALUES), "pk", ids)}


def _walk(start_ids: set[int], forward: bool, max_depth: int = 50) -> list[tuple]:
    """Edges reachable from ``start_ids`` (forward: successors; backward: predecessors)."""
    edges, frontier, seen = [], set(start_ids), set(start_ids)
    key, other = ("predecessor_id", "successor_id") if forward else ("successor_id", "predecessor_id")
    for _ in range(max_depth):
        if not frontier:
            break
        rows = list(Succession.objects.filter(**{f"{key}__in": list(frontier)}).values_list(
            "predecessor_id", "successor_id", "kind", "share", "plan_id", "plan__name", "plan__effective_date"))
        edges.extend(rows)
        nxt = {r[1] if forward else r[0] for r in rows} - seen
        seen |= nxt
        frontier = nxt
    return edges


def unit_lineage(unit: Unit, *, as_of: dt.date | None = None) -> Lineage:
    """The succession graph around one unit version, both ways, across any number of plans."""
    fwd, back = _walk({unit.pk}, True), _walk({unit.pk}, False)
    ids = {unit.pk} | {e[0] for e in fwd + back} | {e[1] for e in fwd + back}
    units = _units(ids)

    def edge(r) -> LineageEdge:
        return LineageEdge(units[r[0]], units[r[1]], r[2], r[3], r[4], r[5], r[6])

    lin = Lineage(unit=units[unit.pk], became=[edge(r) for r in fwd], came_from=[edge(r) for r in back])
    # Leaves forward, taking shares along the way (a share multiplies down a path).
    out = defaultdict(list)
    for r in fwd:
        out[r[0]].append(r)
    weight: dict[int, float] = defaultdict(float)
    stack = [(unit.pk, 1.0)]
    while stack:
        uid, w = stack.pop()
        if not out.get(uid):
            weight[uid] += w
            continue
        for r in out[uid]:
            stack.append((r[1], w * (r[3] if r[3] is not None else 1.0)))
    day = as_of or dt.date.today()
    lin.current = [
        {**units[uid], "share": round(w, 6)} for uid, w in weight.items()
        if _valid(units[uid], day) or uid != unit.pk
    ]
    inn = defaultdict(list)
    for r in back:
        inn[r[1]].append(r)
    roots, stack, seen = [], [unit.pk], set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        if not inn.get(uid):
            if uid != unit.pk:
                roots.append(units[uid])
            continue
        stack.extend(r[0] for r in inn[uid])
    lin.origins = sorted(roots, key=lambda u: u["code"])
    return lin


def _valid(u: dict, day: dt.date) -> bool:
    return u["valid_from"] <= day and (u["valid_to"] is None or day < u["valid_to"])


# Address resolution ------------------------------------------------------------------------

@dataclass
class Resolution:
    matched: dict                       # the unit version the input names
    path_names: list[str]               # its ancestors' names, top first
    current: list[dict]                 # what it is on the date asked (with shares)
    status: str = ""                    # the converter's status (exact, divided, ambiguous, corrected, …)
    street: str = ""                    # the part of the text that names no unit


def resolve_address(q: str, *, as_of: dt.date | None = None, limit: int = 20) -> list[Resolution]:
    """An address as written ("P.15, Q.Tân Bình, TP.HCM", "phuc xa ba dinh ha noi") or a code to
    the unit(s) it names and what each is on ``as_of`` — one per unit the text fits.

    The reading is the address converter's (``tinhgon.addresses``, which walks this lineage);
    imported here, on use, because that app sits above restructuring.
    """
    from tinhgon.addresses.selectors import convert_address

    r = convert_address(q or "", as_of=as_of or dt.date.today())
    out = []
    for m in r.matched[:limit]:
        current = [{"id": c["id"], "code": c["code"], "name": c["name"], "share": c["share"]}
                   for c in r.candidates if c["from_code"] == m["code"]]
        out.append(Resolution(
            matched={k: m[k] for k in ("id", "code", "name", "valid_from", "valid_to")},
            path_names=m["path_names"], current=current, status=r.status, street=r.street))
    return out


def unit_now(unit: Unit, *, as_of: dt.date | None = None) -> list[dict]:
    """What ``unit`` (any version, past ones included) is on ``as_of`` (today): itself while it
    is valid, else its successors through the lineage, with their shares."""
    return _current_of(unit, as_of or dt.date.today())


def _current_of(u: Unit, day: dt.date, _depth: int = 0) -> list[dict]:
    """What ``u`` is on ``day``: itself, its successors (with shares), or — for a unit dissolved
    with a whole level — what the units below it became."""
    if u.is_valid_on(day):
        return [{"id": u.pk, "code": u.code, "name": u.name, "share": 1.0}]
    lin = unit_lineage(u, as_of=day)
    current = [{"id": c["id"], "code": c["code"], "name": c["name"], "share": c["share"]}
               for c in lin.current if _valid(c, day)]
    if current or u.valid_to is None or _depth > 3:
        return current
    last = u.valid_to - dt.timedelta(days=1)
    children = {c.pk: c for c in Unit.objects.filter(valid_on(last), parent_code=u.code, path__startswith=u.path)}
    edges = _walk(set(children), True)
    out = defaultdict(list)
    for r in edges:
        out[r[0]].append(r[1])
    leaves, stack, seen = set(), list(children), set()
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        if out.get(uid):
            stack.extend(out[uid])
        else:
            leaves.add(uid)
    merged = {
        uid: {"id": uid, "code": x["code"], "name": x["name"], "share": None}
        for uid, x in _units(leaves).items() if _valid(x, day)
    }
    return sorted(merged.values(), key=lambda c: c["code"])


def _version_at(versions: list[Unit], day: dt.date) -> Unit | None:
    for v in versions:
        if v.is_valid_on(day):
            return v
    return versions[-1] if versions else None


# Before / after report ----------------------------------------------------------------------


@dataclass
class PlanReport:
    plan: Plan
    before: list[dict]          # per level and kind: {"level", "kind", "count"}
    after: list[dict]
    quota_before: int | None    # None: no ending unit (inside the reader's scopes) has a quota
    quota_after: int | None     # None: no new unit (inside the reader's scopes) has a quota yet
    reduction: float | None     # only when both sides are known
    new_units: list[dict]       # each new unit with its predecessors
    scoped: bool = False        # the quotas are limited to the reader's scopes


def plan_report(plan: Plan, *, user, year: int | None = None) -> PlanReport:
    """Counts by level and kind on the eve of and on the effective date, quota, and every new unit.

    The structure (counts, new units) is public like the registry; payroll quotas are not:
    they go through :func:`tinhgon.core.scoping.restrict` for ``user``, so a reader sees
    the quotas of their own scopes only (``scoped`` says so).
    """
    d = plan.effective_date
    eve = d - dt.timedelta(days=1)
    scope = plan.scope_path or None

    def counts(day):
        qs = restrict(Unit.objects.filter(valid_on(day)), user)
        if scope:
            qs = qs.filter(path__startswith=scope)
        c = Counter(qs.values_list("level__code", "kind__name"))
        return [{"level": lv, "kind": k, "count": n} for (lv, k), n in sorted(c.items())]

    year = year or d.year
    succ = list(Succession.objects.filter(plan=plan).values_list(
        "predecessor_id", "predecessor__code", "predecessor__name", "successor_id", "kind", "share"))
    pred_ids = {s[0] for s in succ}
    new_ids = {s[3] for s in succ if s[4] != "move"}
    # Before: each ending unit's latest quota of a year before ``year`` (the effective year's
    # quotas move to the successors when the plan applies); after: the new units' quotas of ``year``.
    quotas = restrict(PayrollQuota.objects.filter(category="civil_servant"), user)
    before_quota: dict[int, tuple[int, int]] = {}
    for unit_id, y, q in chunked_in(quotas.filter(year__lt=year).values_list("unit_id", "year", "quota"),
                                    "unit_id", pred_ids):
        if unit_id not in before_quota or y > before_quota[unit_id][0]:
            before_quota[unit_id] = (y, q)
    after_quota = dict(chunked_in(quotas.filter(year=year).values_list("unit_id", "quota"), "unit_id", new_ids))
    qb = sum(q for _y, q in before_quota.values()) if before_quota else None
    qa = sum(after_quota.values()) if after_quota else None
    by_new: dict[int, list[dict]] = defaultdict(list)
    for _pid, pcode, pname, sid, kind, share in succ:
        if kind == "move":
            continue
        by_new[sid].append({"code": pcode, "name": pname, "kind": kind, "share": share})
    units = _units(by_new)
    new_units = [
        {**units[uid], "predecessors": sorted(preds, key=lambda p: p["code"])}
        for uid, preds in by_new.items()
    ]
    new_units.sort(key=lambda u: u["path"])
    reduction = (qb - qa) / qb if qb and qa is not None else None
    scoped = not getattr(user, "is_unrestricted", False)
    return PlanReport(plan, counts(eve), counts(d), qb, qa, reduction, new_units, scoped)


def plan_findings(plan: Plan, *, user) -> tuple[list[dict], int]:
    """The plan's stored findings ``user`` may read, and how many were left out.

    Findings carry figures of the units they name (the cadres handler counts the cadres
    of each ending unit): a reader bound to scopes sees a finding when one of its units
    lies in those scopes (the unit versions valid on the eve or on the effective date),
    or when it names no existing unit at all (an unknown code).
    """
    found = list(plan.violations or [])
    if getattr(user, "is_unrestricted", False) or not found:
        return found, 0
    codes = {c for v in found for c in v.get("units") or ()}
    eve = plan.effective_date - dt.timedelta(days=1)
    visible: set[str] = set()
    known: set[str] = set()
    rows = chunked_in(Unit.objects.filter(valid_on(eve) | valid_on(plan.effective_date))
                      .values_list("code", "path"), "code", sorted(codes))
    for code, path in rows:
        known.add(code)
        if in_scope(user, path):
            visible.add(code)

    def readable(v: dict) -> bool:
        units = [c for c in v.get("units") or () if c in known]
        # Codes no unit holds (a typo, a unit the plan creates) tell nothing about anyone's scope.
        return not units or any(c in visible for c in units)

    kept = [v for v in found if readable(v)]
    return kept, len(found) - len(kept)


def ancestors_label(path: str, names: dict[str, str]) -> str:
    return " / ".join(names.get(c, c) for c in path.split(PATH_SEP) if c)


# A unit and its predecessors (period figures) ---------------------------------------------------


@dataclass(frozen=True)
class Antecedent:
    """A unit version whose figures belong to a later unit: itself, its earlier versions, what merged in."""

    id: int
    code: str
    name: str
    path: str
    valid_from: dt.date
    valid_to: dt.date | None
    share: float  # the part that went on to the unit (1 unless a split divided it)


def unit_predecessors(unit: Unit, *, max_depth: int = 50) -> list[Antecedent]:
    """``unit``, every version of its code, and everything that became it, across plans.

    Period figures (tasks done in 2025, petitions settled, inspections held) count what
    the unit *and its predecessors* did: Phú Thọ's 2025 totals include what Vĩnh Phúc did
    before it merged in on 1 July.  Each antecedent carries its validity, so a figure
    counts a predecessor's records only while that version existed (``valid_to``), and
    its path, so that subtree figures can follow it.  A divided commune contributes the
    share the split gave (a product along the path); records cannot be divided, so
    callers count them whole and may show the share.
    """
    found: dict[int, float] = {}
    frontier: dict[int, float] = {pk: 1.0 for pk in Unit.objects.filter(code=unit.code).values_list("pk", flat=True)}
    for _ in range(max_depth):
        if not frontier:
            break
        for pk, share in frontier.items():
            found[pk] = max(found.get(pk, 0.0), share)
        rows = list(Succession.objects.filter(successor_id__in=list(frontier))
                    .exclude(predecessor_id__in=list(found)).values_list("predecessor_id", "successor_id", "share"))
        nxt: dict[int, float] = {}
        for pred, succ, share in rows:
            w = frontier[succ] * (share if share is not None else 1.0)
            nxt[pred] = max(nxt.get(pred, 0.0), w)
        # Earlier versions of a predecessor's code count too (a rename before the merger).
        codes = dict(Unit.objects.filter(pk__in=list(nxt)).values_list("pk", "code"))
        for pk, code in Unit.objects.filter(code__in=set(codes.values())).values_list("pk", "code"):
            if pk not in found and pk not in nxt:
                src = [w for p, w in nxt.items() if codes.get(p) == code]
                nxt[pk] = max(src) if src else 1.0
        frontier = {pk: w for pk, w in nxt.items() if pk not in found}
    rows = Unit.objects.filter(pk__in=list(found)).values_list("pk", "code", "name", "path", "valid_from", "valid_to")
    out = [Antecedent(pk, code, name, path, vf, vt, round(found[pk], 6)) for pk, code, name, path, vf, vt in rows]
    return sorted(out, key=lambda a: (a.code != unit.code, a.valid_from, a.code))


def predecessors_q(unit: Unit, *, unit_lookup: str = "unit", date_lookup: str | None = None) -> Q:
    """Rows of ``unit`` or its predecessors (``unit_lookup`` is the row's unit foreign key).

    With ``date_lookup`` (the row's date, e.g. ``"deadline"``), a predecessor's rows count
    only while that version was valid; the unit's own versions count whatever the date.
    """
    q = Q()
    for a in unit_predecessors(unit):
        cond = Q(**{f"{unit_lookup}_id": a.id})
        if date_lookup and a.code != unit.code:
            cond &= Q(**{f"{date_lookup}__gte": a.valid_from})
            if a.valid_to is not None:
                cond &= Q(**{f"{date_lookup}__lt": a.valid_to})
        q |= cond
    return q if q else Q(pk__in=[])
