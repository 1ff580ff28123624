"""Reads on the apparatus that pages, the API, exports and other apps share."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from tinhgon.core.bulk import chunked_in
from tinhgon.core.dated import valid_on
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import restrict
from tinhgon.core.text import search_terms

from .models import PATH_SEP, FunctionHolding, Level, PayrollQuota, PowerHolding, Unit
from .rulesets import PAYROLL_ROADMAP

TREE_FIELDS = (
    "id", "code", "name", "short_name", "parent_code", "path", "depth",
    "level__code", "level__name", "kind__code", "kind__name", "valid_from", "valid_to",
)


def units_as_of(date: dt.date) -> QuerySet[Unit]:
    return Unit.objects.filter(valid_on(date))


def unit_tree_as_of(date: dt.date, *, root_path: str | None = None, max_depth: int | None = None) -> list[dict]:
    """The apparatus (or the subtree under ``root_path``) as of ``date``, in tree order.

    Plain rows (dicts of :data:`TREE_FIELDS`), ready for the tree page, the API
    and exports: no model instances are built.
    """
    qs = Unit.objects.filter(valid_on(date))
    if root_path:
        qs = qs.filter(path__startswith=root_path)
    if max_depth is not None:
        qs = qs.filter(depth__lte=max_depth)
    return list(qs.order_by("path").values(*TREE_FIELDS))


def unit_search(
    *, date: dt.date | None = None, q: str = "", level: str = "", kind: str = "", parent: str = "",
    queryset: QuerySet[Unit] | None = None,
) -> QuerySet[Unit]:
    """Units matching every folded term of ``q`` (accents optional), by level, kind and parent code."""
    qs = (queryset if queryset is not None else Unit.objects.all()).select_related("level", "kind")
    if date is not None:
        qs = qs.filter(valid_on(date))
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    if level:
        qs = qs.filter(level__code=level)
    if kind:
        qs = qs.filter(kind__code=kind)
    if parent:
        qs = qs.filter(parent_code=parent)
    return qs


def unit_children(unit: Unit, date: dt.date) -> QuerySet[Unit]:
    """Units directly below ``unit`` on ``date``."""
    return Unit.objects.filter(valid_on(date), parent_code=unit.code, path__startswith=unit.path).select_related(
        "level", "kind"
    )


def unit_ancestors(unit: Unit, date: dt.date | None = None) -> list[Unit]:
    """The versions of ``unit``'s ancestors valid on ``date`` (default: the unit's start), top first."""
    date = date or unit.valid_from
    codes = unit.ancestor_codes
    if not codes:
        return []
    found = {
        u.code: u for u in Unit.objects.filter(valid_on(date), code__in=codes).select_related("level", "kind")
    }
    if len(found) < len(codes):  # an ancestor changed later: fall back to the version at the unit's start
        for u in Unit.objects.filter(valid_on(unit.valid_from), code__in=[c for c in codes if c not in found]):
            found[u.code] = u
    return [found[c] for c in codes if c in found]


def unit_versions(code: str) -> QuerySet[Unit]:
    return Unit.objects.filter(code=code).select_related("level", "kind").order_by("valid_from")


def unit_version_on(code: str, date: dt.date) -> Unit | None:
    return Unit.objects.filter(valid_on(date), code=code).select_related("level", "kind").first()


def unit_for_code(code: str, on: dt.date | None = None, *, queryset: QuerySet[Unit] | None = None) -> Unit | None:
    """The version of unit ``code`` valid on ``on``, else its latest version (an old code still
    names the unit it was); with ``on`` None, the latest version. ``queryset`` narrows the
    versions looked at (a user's scope)."""
    versions = (Unit.objects.all() if queryset is None else queryset).filter(code=code)
    return (on and versions.filter(valid_on(on)).first()) or versions.order_by("-valid_from").first()


def level_counts_as_of(date: dt.date, *, root_path: str | None = None) -> list[dict]:
    """Units per level as of ``date`` (every level listed, zero included)."""
    qs = Unit.objects.filter(valid_on(date))
    if root_path:
        qs = qs.filter(path__startswith=root_path)
    counts = Counter(dict(qs.order_by().values("level__code").annotate(n=Count("id")).values_list("level__code", "n")))
    return [
        {"code": lv.code, "name": lv.name, "rank": lv.rank, "count": counts.get(lv.code, 0)}
        for lv in Level.objects.order_by("rank")
    ]


def descendant_counts(date: dt.date, units: list[dict]) -> dict[str, dict[str, int]]:
    """For tree rows, how many units of each level lie below each (by path)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, level in Unit.objects.filter(valid_on(date)).values_list("path", "level__code").iterator(chunk_size=5000):
        parts = path.split(PATH_SEP)[:-2]
        for i in range(len(parts)):
            out[PATH_SEP.join(parts[: i + 1]) + PATH_SEP][level] += 1
    wanted = {u["path"] for u in units}
    return {p: dict(v) for p, v in out.items() if p in wanted}


# Functions and powers -------------------------------------------------------------------


def _territory_of(unit_path: str, admin_paths: set[str]) -> str:
    """The nearest administrative unit (territory) at or above a unit path."""
    parts = [p for p in unit_path.split(PATH_SEP) if p]
    for i in range(len(parts), 0, -1):
        candidate = PATH_SEP.join(parts[:i]) + PATH_SEP
        if candidate in admin_paths:
            return candidate
    return ""


@dataclass(frozen=True)
class Overlap:
    function_code: str
    function_name: str
    territory_path: str
    units: tuple[tuple[int, str, str], ...]  # (id, code, name)


@dataclass(frozen=True)
class Gap:
    kind: str  # "function" or "power"
    item_code: str
    item_name: str
    unit_id: int
    unit_code: str
    unit_name: str


def function_overlaps(date: dt.date, *, root_path: str | None = None) -> list[Overlap]:
    """Two or more units leading the same function in the same territory on ``date``."""
    holdings = FunctionHolding.objects.filter(valid_on(date), valid_on(date, "unit__"), role=FunctionHolding.LEAD)
    if root_path:
        holdings = holdings.filter(unit__path__startswith=root_path)
    rows = list(holdings.values_list("function__code", "function__name", "unit_id", "unit__code", "unit__name", "unit__path"))
    if not rows:
        return []
    admin_paths = set(
        Unit.objects.filter(valid_on(date), kind__category="administrative").values_list("path", flat=True)
    )
    groups: dict[tuple[str, str, str], set] = defaultdict(set)
    for fcode, fname, uid, ucode, uname, upath in rows:
        groups[(fcode, fname, _territory_of(upath, admin_paths))].add((uid, ucode, uname))
    return [
        Overlap(fcode, fname, territory, tuple(sorted(units, key=lambda u: u[1])))
        for (fcode, fname, territory), units in sorted(groups.items())
        if len(units) > 1
    ]


def coverage_gaps(date: dt.date, *, root_path: str | None = None) -> list[Gap]:
    """Required functions (led) and powers (held) that no unit in a territory has on ``date``.

    A function or power lists the unit kinds it is required in; inside each unit of
    such a kind, the unit itself or one below it must lead the function / hold the power.
    """
    from .models import Function, Power

    units = Unit.objects.filter(valid_on(date))
    if root_path:
        units = units.filter(path__startswith=root_path)
    gaps: list[Gap] = []
    for kind_name, items, holdings, key in (
        ("function", Function.objects.exclude(required_in_kinds=[]),
         FunctionHolding.objects.filter(valid_on(date), role=FunctionHolding.LEAD), "function_id"),
        ("power", Power.objects.exclude(required_in_kinds=[]), PowerHolding.objects.filter(valid_on(date)), "power_id"),
    ):
        for item in items:
            if not item.required_in_kinds:
                continue
            held_paths = list(holdings.filter(**{key: item.pk}).values_list("unit__path", flat=True))
            for u in units.filter(kind__code__in=item.required_in_kinds).only("id", "code", "name", "path"):
                if not any(p.startswith(u.path) for p in held_paths):
                    gaps.append(Gap(kind_name, item.code, item.name, u.pk, u.code, u.name))
    return gaps


# Payroll roadmap ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoadmapRow:
    code: str
    name: str
    path: str
    baseline: int | None
    target: int | None
    reduction: float | None  # share, 0.05 = 5 %
    meets: bool | None       # None when a figure is missing
    merged_from: tuple[str, ...] = ()  # codes of the units merged into this one (their baseline counted here)


@dataclass(frozen=True)
class Roadmap:
    rule_set_code: str
    rule_set_name: str
    legal_basis: str
    baseline_year: int
    target_year: int
    min_reduction: float
    category: str
    rows: list[RoadmapRow]
    total_baseline: int
    total_target: int
    total_reduction: float | None
    total_meets: bool | None


def payroll_roadmap(
    user, *, category: str = PayrollQuota.CIVIL_SERVANT, on: dt.date | None = None,
    root_path: str | None = None, baseline_year: int | None = None, target_year: int | None = None,
) -> Roadmap:
    """The ≥5 % reduction roadmap per unit (by code, across versions) and in total."""
    rs = rule_set_for(PAYROLL_ROADMAP, on or dt.date.today())
    by = baseline_year or rs.parameters["baseline_year"]
    ty = target_year or rs.parameters["target_year"]
    minimum = float(rs.parameters["min_reduction"])
    qs = restrict(PayrollQuota.objects.all(), user).filter(category=category, year__in=[by, ty])
    if root_path:
        qs = qs.filter(unit__path__startswith=root_path)
    figures: dict[str, dict[int, int]] = defaultdict(dict)
    names: dict[str, tuple[str, str]] = {}
    for code, name, path, year, total in (
        qs.values("unit__code", "year").annotate(total=Sum("quota"))
        .values_list("unit__code", "unit__name", "unit__path", "year", "total")
    ):
        figures[code][year] = figures[code].get(year, 0) + total
        names[code] = (name, path)
    merged = _merged_into(list(figures), by, ty)
    outside = [p for p in merged if p not in figures]  # outside the scope or the root: their baseline still counts
    base = PayrollQuota.objects.filter(category=category, year=by)
    for pred, total in (chunked_in(base.values("unit__code").annotate(total=Sum("quota"))
                                   .values_list("unit__code", "total"), "unit__code", outside) if outside else []):
        figures[pred][by] = figures[pred].get(by, 0) + total
    for pred, succ in merged.items():  # the predecessor's baseline counts on the merged unit
        if by in figures.get(pred, {}):
            figures[succ][by] = figures[succ].get(by, 0) + figures[pred][by]
    rows = []
    for code in sorted((c for c in figures if c in names), key=lambda c: names[c][1]):
        if code in merged:
            continue
        b, t = figures[code].get(by), figures[code].get(ty)
        red = (b - t) / b if b and t is not None else None
        rows.append(RoadmapRow(code, names[code][0], names[code][1], b, t, red,
                               None if red is None else red + 1e-12 >= minimum,
                               tuple(sorted(p for p, s in merged.items() if s == code))))
    both = [r for r in rows if r.baseline is not None and r.target is not None]
    tb, tt = sum(r.baseline for r in both), sum(r.target for r in both)
    tred = (tb - tt) / tb if tb else None
    return Roadmap(rs.code, rs.name, rs.legal_basis, by, ty, minimum, category, rows, tb, tt, tred,
                   None if tred is None else tred + 1e-12 >= minimum)


def _merged_into(codes: list[str], by: int, ty: int) -> dict[str, str]:
    """Predecessor code -> the code among ``codes`` it was merged into (merge, absorb, transform, followed
    to the last successor) by a restructuring effective after the baseline year and by the target
    year: the merged unit is compared with its predecessors' summed baseline, as the plan validation
    does, not with its own."""
    from django.apps import apps

    if not codes or not apps.is_installed("tinhgon.restructuring"):
        return {}
    Succession = apps.get_model("restructuring", "Succession")
    rows = (Succession.objects.filter(kind__in=("merge", "absorb", "transform"),
                                      successor__valid_from__gt=dt.date(by, 12, 31),
                                      successor__valid_from__lte=dt.date(ty, 12, 31))
            .values_list("predecessor__code", "successor__code"))
    edges: dict[str, str] = {}
    frontier = list(codes)
    while frontier:  # the successors' predecessors, then theirs (a unit merged twice)
        found = [(p, s) for p, s in chunked_in(rows, "successor__code", frontier) if p != s and p not in edges]
        edges.update(found)
        frontier = sorted({p for p, _s in found})
    out = {}
    for pred in edges:
        succ, seen = edges[pred], {pred}
        while succ in edges and succ not in seen:
            seen.add(succ)
            succ = edges[succ]
        if succ != pred:
            out[pred] = succ
    return out


def search_q(q: str) -> Q:
    cond = Q()
    for term in search_terms(q):
        cond &= Q(search_text__contains=term)
    return cond


def term_on(unit: Unit, on: dt.date | None = None, *, kind: str = "party_committee"):
    """The term of ``unit``'s body (by code) running on ``on`` (None when none is recorded)."""
    from .models import Term

    return Term.objects.filter(valid_on(on or dt.date.today()), body_code=unit.code, kind=kind).first()


def terms_of(unit: Unit):
    """Every term recorded for ``unit``'s body (by code), oldest first."""
    from .models import Term

    return Term.objects.filter(body_code=unit.code).order_by("kind", "valid_from")
