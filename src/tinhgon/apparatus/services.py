"""Writes on the apparatus registry. Units are immutable versions: a change ends
one version and starts another; nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event
from tinhgon.core.bulk import build
from tinhgon.core.dated import valid_on
from tinhgon.core.tabular import RowError
from tinhgon.core.text import fold

from .models import PATH_SEP, Level, PayrollQuota, Position, Unit, UnitKind, code_validator


@dataclass
class UnitInput:
    """One unit version to create, as it comes from a form, a file or the API."""

    code: str
    name: str
    kind: str
    valid_from: dt.date
    parent_code: str = ""
    level: str = ""
    valid_to: dt.date | None = None
    short_name: str = ""
    latitude: float | None = None
    longitude: float | None = None
    area_km2: float | None = None
    population: int | None = None
    source: str = ""
    note: str = ""
    row: int | None = None  # row number in the source file, for error reports


class UnitRowsInvalid(ValidationError):
    """Every problem found in a batch of unit rows; nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors_list = list(errors)
        super().__init__([str(e) for e in self.errors_list])


@dataclass
class _Version:
    code: str
    path: str
    depth: int
    valid_from: dt.date
    valid_to: dt.date | None
    level_rank: int = 0


@dataclass
class _Plan:
    units: list[Unit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _chunks(items: list, size: int = 900):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def search_text_for(code: str, name: str, short_name: str = "") -> str:
    parts = [fold(name)]
    if short_name:
        parts.append(fold(short_name))
    parts.append(code.lower())
    return " | ".join(parts)[:600]


def _covering_path(versions: list[_Version], start: dt.date, end: dt.date | None) -> tuple[str, int] | None:
    """The path of ``versions`` if, chained, they cover ``[start, end)`` on one path."""
    cursor, path, depth = start, None, 0
    for v in sorted(versions, key=lambda v: v.valid_from):
        if v.valid_to is not None and v.valid_to <= cursor:
            continue
        if v.valid_from > cursor:
            return None
        if path is not None and v.path != path:
            return None
        path, depth = v.path, v.depth
        if v.valid_to is None or (end is not None and v.valid_to >= end):
            return path, depth
        cursor = v.valid_to
    return None


def plan_unit_rows(rows: Sequence[UnitInput]) -> _Plan:
    """Check a batch of unit rows against the registry and each other.

    Returns the unsaved :class:`Unit` objects (parents first) and every error
    found: unknown kind or level, bad code, ``valid_to`` not after ``valid_from``,
    versions of one code that overlap, a parent not valid over the child's whole
    period, a cycle.
    """
    plan = _Plan()
    kinds = {k.code: k for k in UnitKind.objects.select_related("level")}
    levels = {lv.code: lv for lv in Level.objects.all()}
    codes = sorted({r.code for r in rows} | {r.parent_code for r in rows if r.parent_code})

    existing: dict[str, list[_Version]] = defaultdict(list)
    for chunk in _chunks(codes):
        for code, path, depth, vf, vt in Unit.objects.filter(code__in=chunk).values_list(
            "code", "path", "depth", "valid_from", "valid_to"
        ):
            existing[code].append(_Version(code, path, depth, vf, vt))

    by_code: dict[str, list[UnitInput]] = defaultdict(list)
    valid_rows: list[tuple[UnitInput, Level, UnitKind]] = []
    for r in rows:
        errs = _check_row_fields(r, kinds, levels)
        if errs:
            plan.errors.extend(errs)
            continue
        kind = kinds[r.kind]
        level = levels[r.level] if r.level else kind.level
        valid_rows.append((r, level, kind))
        by_code[r.code].append(r)

    # Overlapping versions of one code, in the file and against the registry.
    for code, group in by_code.items():
        group_sorted = sorted(group, key=lambda r: r.valid_from)
        for a, b in zip(group_sorted, group_sorted[1:], strict=False):
            if a.valid_to is None or b.valid_from < a.valid_to:
                plan.errors.append(RowError(b.row, "valid_from", _(
                    "Versions of code %(code)s overlap (rows %(a)s and %(b)s).") % {"code": code, "a": a.row, "b": b.row}))
        for r in group:
            for v in existing.get(code, []):
                if (v.valid_to is None or r.valid_from < v.valid_to) and (r.valid_to is None or v.valid_from < r.valid_to):
                    plan.errors.append(RowError(r.row, "valid_from", _(
                        "Code %(code)s already has a version valid %(vf)s–%(vt)s that overlaps this one.")
                        % {"code": code, "vf": v.valid_from, "vt": v.valid_to or "…"}))

    # Resolve parents in dependency order; detect cycles among the rows.
    pending = {id(r): (r, lv, k) for r, lv, k in valid_rows}
    parents_of = {r.code: r.parent_code for r, _lv, _k in valid_rows}
    for r, _lv, _k in valid_rows:
        seen, cur = {r.code}, r.parent_code
        while cur:
            if cur in seen:
                plan.errors.append(RowError(r.row, "parent_code", _(
                    "Unit %(code)s would be its own ancestor (a cycle through %(parent)s).")
                    % {"code": r.code, "parent": cur}))
                pending.pop(id(r), None)
                break
            seen.add(cur)
            cur = parents_of.get(cur, "")
    planned: dict[str, list[_Version]] = defaultdict(list)
    file_depth: dict[str, int] = {}

    def depth_in_file(code: str, trail: frozenset = frozenset()) -> int:
        if code not in file_depth:
            parent = parents_of.get(code, "")
            file_depth[code] = 0 if not parent or parent not in parents_of or parent in trail else (
                1 + depth_in_file(parent, trail | {code}))
        return file_depth[code]

    ordered = sorted(pending.values(), key=lambda t: (depth_in_file(t[0].code), t[0].valid_from))
    for r, level, kind in ordered:
        if r.parent_code:
            versions = existing.get(r.parent_code, []) + planned.get(r.parent_code, [])
            if not versions:
                plan.errors.append(RowError(r.row, "parent_code", _(
                    "Parent %(parent)s does not exist.") % {"parent": r.parent_code}))
                continue
            covered = _covering_path(versions, r.valid_from, r.valid_to)
            if covered is None:
                plan.errors.append(RowError(r.row, "parent_code", _(
                    "Parent %(parent)s is not valid over the whole period %(vf)s–%(vt)s of this unit.")
                    % {"parent": r.parent_code, "vf": r.valid_from, "vt": r.valid_to or "…"}))
                continue
            parent_path, parent_depth = covered
            if r.code in parent_path.split(PATH_SEP):
                plan.errors.append(RowError(r.row, "parent_code", _(
                    "Unit %(code)s would be its own ancestor (a cycle through %(parent)s).")
                    % {"code": r.code, "parent": r.parent_code}))
                continue
            path, depth = f"{parent_path}{r.code}{PATH_SEP}", parent_depth + 1
        else:
            path, depth = f"{r.code}{PATH_SEP}", 0
        if len(path) > 400:
            plan.errors.append(RowError(r.row, "parent_code", _("The unit is nested too deep.")))
            continue
        planned[r.code].append(_Version(r.code, path, depth, r.valid_from, r.valid_to))
        plan.units.append(build(
            Unit, code=r.code, name=r.name.strip(), short_name=r.short_name.strip(), level_id=level.pk, kind_id=kind.pk,
            parent_code=r.parent_code, path=path, depth=depth, valid_from=r.valid_from,
            valid_to=r.valid_to, latitude=r.latitude, longitude=r.longitude, area_km2=r.area_km2,
            population=r.population, source=r.source, note=r.note,
            search_text=search_text_for(r.code, r.name, r.short_name),
        ))
    plan.errors.sort(key=lambda e: (e.row is None, e.row or 0, e.field))
    return plan


def _check_row_fields(r: UnitInput, kinds: dict, levels: dict) -> list[RowError]:
    errs: list[RowError] = []
    try:
        code_validator(r.code or "")
    except ValidationError:
        errs.append(RowError(r.row, "code", _("Invalid code %(code)r: letters, digits, '.', '-', '_' only.") % {"code": r.code}))
    if not (r.name or "").strip():
        errs.append(RowError(r.row, "name", _("The name is required.")))
    if r.parent_code:
        try:
            code_validator(r.parent_code)
        except ValidationError:
            errs.append(RowError(r.row, "parent_code", _("Invalid parent code %(code)r.") % {"code": r.parent_code}))
        if r.parent_code == r.code:
            errs.append(RowError(r.row, "parent_code", _("A unit cannot be its own parent.")))
    if not isinstance(r.valid_from, dt.date):
        errs.append(RowError(r.row, "valid_from", _("A valid start date (YYYY-MM-DD) is required.")))
    elif r.valid_to is not None and r.valid_to <= r.valid_from:
        errs.append(RowError(r.row, "valid_to", _("The end date %(to)s must be after the start date %(start)s.")
                             % {"to": r.valid_to, "start": r.valid_from}))
    kind = kinds.get(r.kind)
    if kind is None:
        errs.append(RowError(r.row, "kind", _("Unknown unit kind %(kind)r.") % {"kind": r.kind}))
    if r.level and r.level not in levels:
        errs.append(RowError(r.row, "level", _("Unknown level %(level)r.") % {"level": r.level}))
    elif kind is not None:
        if r.level and kind.level_id and kind.level.code != r.level:
            errs.append(RowError(r.row, "level", _("Units of kind %(kind)s sit at level %(expected)s, not %(level)s.")
                                 % {"kind": kind.code, "expected": kind.level.code, "level": r.level}))
        if not r.level and not kind.level_id:
            errs.append(RowError(r.row, "level", _("The level is required for units of kind %(kind)s.") % {"kind": kind.code}))
    if r.population is not None and r.population < 0:
        errs.append(RowError(r.row, "population", _("The population cannot be negative.")))
    if r.area_km2 is not None and r.area_km2 < 0:
        errs.append(RowError(r.row, "area_km2", _("The area cannot be negative.")))
    return errs


def _already_there(rows: Sequence[UnitInput]) -> set[tuple[str, dt.date]]:
    keys = [(r.code, r.valid_from) for r in rows]
    found: set[tuple[str, dt.date]] = set()
    codes = sorted({c for c, _d in keys})
    for chunk in _chunks(codes):
        found.update(Unit.objects.filter(code__in=chunk).values_list("code", "valid_from"))
    return found


@transaction.atomic
def units_create(*, rows: Sequence[UnitInput], skip_existing: bool = True, event_kind: str | None = "units.created",
                 event_message: str = "") -> list[Unit]:
    """Create unit versions all or nothing. Raises :class:`UnitRowsInvalid` with every error.

    With ``skip_existing`` a row whose (code, valid_from) version is already in
    the registry is left alone, so re-running an import changes nothing.
    """
    if skip_existing:
        present = _already_there(rows)
        rows = [r for r in rows if (r.code, r.valid_from) not in present]
    if not rows:
        return []
    plan = plan_unit_rows(rows)
    if plan.errors:
        raise UnitRowsInvalid(plan.errors)
    created = Unit.objects.bulk_create(plan.units, batch_size=1000)
    if event_kind is None:  # the caller writes its own event (e.g. a plan applied)
        return created
    audit_event(
        kind=event_kind, message=event_message or _("%(n)s unit versions created") % {"n": len(created)},
        data={"count": len(created)},
    )
    return created


def unit_create(**fields) -> Unit:
    """Create one unit version (the form and the API)."""
    try:
        return units_create(rows=[UnitInput(**fields)], skip_existing=False, event_kind="unit.created")[0]
    except UnitRowsInvalid as exc:
        raise ValidationError({e.field: [e.message] for e in exc.errors_list}) from None


@transaction.atomic
def unit_change(*, unit: Unit, on: dt.date, name: str | None = None, short_name: str | None = None,
                kind: str | None = None, parent_code: str | None = None, note: str = "") -> Unit:
    """End ``unit`` on ``on`` and start a new version with the changes.

    A change of parent (a move) gives every descendant valid on that day a new
    version with its new path too.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.is_valid_on(on) or on == unit.valid_from:
        raise ValidationError({"on": _("The change date must fall inside the version's period, after its start.")})
    new_parent = unit.parent_code if parent_code is None else parent_code
    moving = new_parent != unit.parent_code
    descendants = list(Unit.objects.filter(valid_on(on), path__startswith=unit.path).exclude(pk=unit.pk)) if moving else []
    if moving and new_parent:
        target = Unit.objects.filter(valid_on(on), code=new_parent).first()
        if target is not None and target.path.startswith(unit.path):
            raise ValidationError({"parent_code": _("A unit cannot move below itself (a cycle).")})
    base = UnitInput(
        code=unit.code, name=unit.name if name is None else name,
        short_name=unit.short_name if short_name is None else short_name,
        kind=unit.kind.code if kind is None else kind, level="", valid_from=on, valid_to=unit.valid_to,
        parent_code=new_parent, latitude=unit.latitude, longitude=unit.longitude, area_km2=unit.area_km2,
        population=unit.population, source=unit.source, note=note or unit.note,
    )
    ends = [unit, *descendants]
    for u in ends:
        u.valid_to = on
    Unit.objects.bulk_update(ends, ["valid_to"])
    rows = [base] + [
        UnitInput(code=d.code, name=d.name, short_name=d.short_name, kind=d.kind.code, valid_from=on,
                  valid_to=d.valid_to if d.valid_to != on else None, parent_code=d.parent_code,
                  latitude=d.latitude, longitude=d.longitude, area_km2=d.area_km2,
                  population=d.population, source=d.source, note=d.note)
        for d in sorted(descendants, key=lambda d: d.depth)
    ]
    plan = plan_unit_rows(rows)
    if plan.errors:
        transaction.set_rollback(True)
        raise ValidationError([e.message for e in plan.errors])
    created = Unit.objects.bulk_create(plan.units)
    audit_event(kind="unit.changed", message=f"{unit.code} {unit.name}",
                              data={"ended": [u.pk for u in ends], "created": [u.pk for u in created]})
    return created[0]


@transaction.atomic
def unit_end(*, unit: Unit, on: dt.date, note: str = "") -> Unit:
    """End a unit version on ``on``; refused while it still has children on that day."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if on <= unit.valid_from or (unit.valid_to is not None and on > unit.valid_to):
        raise ValidationError({"on": _("The end date must fall after the start of the version and not after its end.")})
    if Unit.objects.filter(valid_on(on), parent_code=unit.code, path__startswith=unit.path).exists():
        raise ValidationError({"on": _("The unit still has units below it on that day; end or move them first.")})
    unit.valid_to = on
    if note:
        unit.note = note
    unit.full_clean()
    unit.save()
    audit_event(kind="unit.ended", message=f"{unit.code} {unit.name}", data={"on": on.isoformat()})
    return unit


@transaction.atomic
def position_create(*, unit: Unit, title: str, count: int = 1, is_leadership: bool = False, order: int = 100) -> Position:
    position = Position(unit=unit, title=title.strip(), count=count, is_leadership=is_leadership, order=order)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def payroll_quota_set(*, unit: Unit, year: int, quota: int, category: str = PayrollQuota.CIVIL_SERVANT,
                      decision: str = "") -> PayrollQuota:
    """Set (create or change) a unit's quota for a year."""
    if quota is None or quota < 0:
        raise ValidationError({"quota": _("The quota must be zero or more.")})
    obj = PayrollQuota.objects.select_for_update().filter(unit=unit, year=year, category=category).first()
    if obj is None:
        obj = PayrollQuota(unit=unit, year=year, category=category)
    obj.quota, obj.decision = quota, decision
    obj.full_clean()
    obj.save()
    return obj


__all__ = [
    "RowError", "UnitInput", "UnitRowsInvalid", "payroll_quota_set", "plan_unit_rows", "position_create",
    "search_text_for", "unit_change", "unit_create", "unit_end", "units_create"
]


# Functions, powers and who holds them (used by the web forms) ---------------------------


def _holding_period_check(unit: Unit, valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    from tinhgon.core.dated import interval_within

    if not isinstance(valid_from, dt.date):
        raise ValidationError({"valid_from": _("A valid start date (YYYY-MM-DD) is required.")})
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError({"valid_to": _("The end date %(to)s must be after the start date %(start)s.")
                               % {"to": valid_to, "start": valid_from}})
    if not interval_within(valid_from, valid_to, unit.valid_from, unit.valid_to):
        raise ValidationError({"valid_from": _(
            "The period must lie inside the unit version's period (%(vf)s–%(vt)s).")
            % {"vf": unit.valid_from, "vt": unit.valid_to or "…"}})


@transaction.atomic
def function_holding_create(*, unit: Unit, function, role: str = "lead", valid_from: dt.date,
                            valid_to: dt.date | None = None, note: str = ""):
    """Record that ``unit`` leads or coordinates ``function`` over ``[valid_from, valid_to)``."""
    from tinhgon.core.dated import overlapping

    from .models import FunctionHolding

    _holding_period_check(unit, valid_from, valid_to)
    if FunctionHolding.objects.filter(overlapping(valid_from, valid_to), unit__code=unit.code,
                                      function=function, role=role).exists():
        raise ValidationError({"function": _("This unit already holds this function in this role over part of that period.")})
    holding = FunctionHolding(unit=unit, function=function, role=role, valid_from=valid_from,
                              valid_to=valid_to, note=(note or "").strip())
    holding.full_clean()
    holding.save()
    audit_event(kind="function_holding.created", message=f"{unit.code} {function.code} {role}",
                              data={"id": holding.pk})
    return holding


@transaction.atomic
def power_holding_create(*, unit: Unit, power, valid_from: dt.date, valid_to: dt.date | None = None,
                         legal_basis: str = ""):
    """Record that ``unit`` holds ``power`` over ``[valid_from, valid_to)``."""
    from tinhgon.core.dated import overlapping

    from .models import PowerHolding

    _holding_period_check(unit, valid_from, valid_to)
    if PowerHolding.objects.filter(overlapping(valid_from, valid_to), unit__code=unit.code, power=power).exists():
        raise ValidationError({"power": _("This unit already holds this power over part of that period.")})
    holding = PowerHolding(unit=unit, power=power, valid_from=valid_from, valid_to=valid_to,
                           legal_basis=(legal_basis or "").strip())
    holding.full_clean()
    holding.save()
    audit_event(kind="power_holding.created", message=f"{unit.code} {power.code}",
                              data={"id": holding.pk})
    return holding


def _check_kind_codes(codes) -> list[str]:
    codes = sorted({str(c) for c in (codes or [])})
    unknown = set(codes) - set(UnitKind.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        raise ValidationError({"required_in_kinds": _("Unknown unit kinds: %(kinds)s.")
                               % {"kinds": ", ".join(sorted(unknown))}})
    return codes


@transaction.atomic
def function_create(*, code: str, name: str, name_en: str = "", description: str = "",
                    required_in_kinds=()):
    """Create a function (field of work)."""
    from .models import Function

    function = Function(code=(code or "").strip(), name=(name or "").strip(), name_en=(name_en or "").strip(),
                        description=description or "", required_in_kinds=_check_kind_codes(required_in_kinds))
    function.full_clean()
    function.save()
    return function


@transaction.atomic
def power_create(*, code: str, name: str, legal_basis: str, name_en: str = "", function=None,
                 required_in_kinds=()):
    """Create a power (competence) with its legal basis."""
    from .models import Power

    power = Power(code=(code or "").strip(), name=(name or "").strip(), name_en=(name_en or "").strip(),
                  legal_basis=(legal_basis or "").strip(), function=function,
                  required_in_kinds=_check_kind_codes(required_in_kinds))
    power.full_clean()
    power.save()
    return power


__all__ += ["function_create", "function_holding_create", "power_create", "power_holding_create"]


# Positions and payroll quotas: update and delete (the API and the pages) ---------------------

from django.db.models import ProtectedError  # noqa: E402


def _protected(exc: ProtectedError, what: str) -> ValidationError:
    return ValidationError(_("The %(what)s is still referenced by %(n)s other records and cannot be deleted.")
                           % {"what": what, "n": len(exc.protected_objects)})


def _set_given(obj, **values) -> None:
    """Set the attributes whose new value is given (``None`` = leave as it is)."""
    for name, value in values.items():
        if value is not None:
            setattr(obj, name, value)


@transaction.atomic
def position_update(*, position: Position, unit: Unit | None = None, title: str | None = None,
                    count: int | None = None, is_leadership: bool | None = None,
                    order: int | None = None) -> Position:
    """Change a position; arguments left ``None`` stay as they are."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    _set_given(position, unit=unit, title=title.strip() if title is not None else None, count=count,
               is_leadership=is_leadership, order=order)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_delete(*, position: Position, on: dt.date | None = None) -> None:
    """Delete a position nobody holds on ``on`` (today); past holders keep their title."""
    holders = getattr(position, "assignments", None)  # the cadres' careers, when that app is installed
    if holders is not None:
        n = holders.filter(valid_on(on or dt.date.today())).count()
        if n:
            raise ValidationError(_("%(n)s people hold this position now: end their assignments (or move them "
                                    "to another position) before deleting it.") % {"n": n})
    try:
        position.delete()
    except ProtectedError as exc:
        raise _protected(exc, _("position")) from None


@transaction.atomic
def payroll_quota_update(*, payroll_quota: PayrollQuota, unit: Unit | None = None, year: int | None = None,
                         category: str | None = None, quota: int | None = None,
                         decision: str | None = None) -> PayrollQuota:
    """Change a quota row by id; arguments left ``None`` stay as they are."""
    if quota is not None and quota < 0:
        raise ValidationError({"quota": _("The quota must be zero or more.")})
    obj = PayrollQuota.objects.select_for_update().get(pk=payroll_quota.pk)
    _set_given(obj, unit=unit, year=year, category=category, quota=quota, decision=decision)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def payroll_quota_delete(*, payroll_quota: PayrollQuota) -> None:
    try:
        payroll_quota.delete()
    except ProtectedError as exc:
        raise _protected(exc, _("payroll quota")) from None


__all__ += ["payroll_quota_delete", "payroll_quota_update", "position_delete", "position_update"]


# Functions and powers: update and delete ------------------------------------------------------
# The code identifies a definition in imports, holdings and the API: it does not change.

_KEEP = object()


@transaction.atomic
def function_update(*, function, name: str | None = None, name_en: str | None = None,
                    description: str | None = None, required_in_kinds=None):
    """Change a function's names, description or required unit kinds (``None`` = as it is)."""
    from .models import Function

    obj = Function.objects.select_for_update().get(pk=function.pk)
    _set_given(obj, name=name.strip() if name is not None else None,
               name_en=name_en.strip() if name_en is not None else None, description=description,
               required_in_kinds=_check_kind_codes(required_in_kinds) if required_in_kinds is not None else None)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def function_delete(*, function) -> None:
    """Delete a function no unit holds and no power belongs to (else a clear refusal)."""
    holdings, powers = function.holdings.count(), function.powers.count()
    if holdings or powers:
        raise ValidationError(_(
            "The function cannot be deleted: %(h)s holdings by units and %(p)s powers refer to it. End or "
            "remove them first; a function that no longer applies can keep its history.") % {"h": holdings, "p": powers})
    function.delete()


@transaction.atomic
def power_update(*, power, name: str | None = None, name_en: str | None = None, legal_basis: str | None = None,
                 function=_KEEP, required_in_kinds=None):
    """Change a power; ``function`` may be set to another function or to ``None`` (none)."""
    from .models import Power

    obj = Power.objects.select_for_update().get(pk=power.pk)
    _set_given(obj, name=name.strip() if name is not None else None,
               name_en=name_en.strip() if name_en is not None else None,
               legal_basis=legal_basis.strip() if legal_basis is not None else None,
               required_in_kinds=_check_kind_codes(required_in_kinds) if required_in_kinds is not None else None)
    if function is not _KEEP:
        obj.function = function
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def power_delete(*, power) -> None:
    """Delete a power no unit holds (else a clear refusal)."""
    holdings = power.holdings.count()
    if holdings:
        raise ValidationError(_("The power cannot be deleted: %(h)s holdings by units refer to it.")
                              % {"h": holdings})
    power.delete()


__all__ += ["function_delete", "function_update", "power_delete", "power_update"]


# Terms of office -------------------------------------------------------------------------------


@transaction.atomic
def term_create(*, body: Unit, label: str, valid_from: dt.date | None = None, valid_to: dt.date | None = None,
                kind: str = "party_committee", number: str = "", note: str = ""):
    """A term of a body; refused when it overlaps another term of the same body and kind."""
    from .models import Term
    from .rules import term_dates, term_label

    label = term_label(label)
    if valid_from is None:
        dates = term_dates(label)
        if dates is None:
            raise ValidationError({"label": [_("Write the term as two years (2026-2031) or give its dates.")]})
        valid_from, valid_to = dates
    term = Term(body=body, body_code=body.code, kind=kind, label=label, valid_from=valid_from, valid_to=valid_to,
                number=number.strip(), note=note.strip())
    term.full_clean()
    clash = Term.objects.filter(body_code=body.code, kind=kind).overlapping(valid_from, valid_to).first()
    if clash is not None:
        raise ValidationError({"valid_from": [_("The term overlaps the term %(label)s of the same body.")
                                              % {"label": clash.label}]})
    term.save()
    audit_event(kind="term.created", message=f"{body.name}: {label}", data={"term": term.pk, "body": body.code})
    return term


def term_for_label(*, body: Unit, label: str, kind: str = "party_committee"):
    """The term ``label`` of ``body`` (by code), created with its default dates when missing."""
    from .models import Term
    from .rules import term_label

    label = term_label(label)
    found = Term.objects.filter(body_code=body.code, kind=kind, label=label).first()
    return found or term_create(body=body, label=label, kind=kind)


@transaction.atomic
def term_delete(*, term) -> None:
    """Delete a term recorded by mistake; refused while planning pools (or other records) name it."""
    from django.db.models import ProtectedError

    try:
        term.delete()
    except ProtectedError:
        raise ValidationError(_("The term %(label)s is in use (planning pools name it) and cannot be deleted.")
                              % {"label": term.label}) from None
    audit_event(kind="term.deleted", message=f"{term.body_code}: {term.label}", data={"body": term.body_code})
