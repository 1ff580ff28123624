"""Reads of party membership: members in a user's scope, the membership history, and the
development rate (new members ÷ members at the start of the year) per organization and rolled
up the tree — one GROUP BY over the memberships by organization path, summed into every
ancestor in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tinhgon.apparatus.models import Unit
from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import restrict, scope_q

from . import rules
from .models import ORGANIZATION_KINDS, Membership, PartyMember


def members_for(user, action: str = "view") -> QuerySet[PartyMember]:
    return restrict(PartyMember.objects.select_related("organization", "cadre"), user, action)


def scope_prefixes(user, root: Unit | None = None) -> list[str] | None:
    """The path prefixes the user's counts run under: their scopes, narrowed to ``root`` when
    given (None: the whole country, for an unrestricted user without ``root``; [] reaches nothing)."""
    if not user.may("view"):
        return []
    if root is not None:
        if user.is_unrestricted or any(root.path.startswith(p) for p in user.scope_paths()):
            return [root.path]
        return [p for p in user.scope_paths() if p.startswith(root.path)]
    return None if user.is_unrestricted else list(user.scope_paths())


def organizations_under(prefixes: list[str] | None, *, on: dt.date | None = None) -> QuerySet[Unit]:
    """Party organizations (units of the party kinds) under ``prefixes`` (None: everywhere);
    with ``on``, those existing that day."""
    qs = Unit.objects.filter(kind__code__in=ORGANIZATION_KINDS).select_related("kind")
    if on is not None:
        qs = qs.filter(valid_on(on))
    if prefixes is None:
        return qs
    return qs.filter(scope_q("path", prefixes)) if prefixes else qs.none()


def memberships_of(user, member: PartyMember) -> QuerySet[Membership]:
    """A member's whole history (every organization they belonged to), for a user who reaches the member."""
    if not restrict(PartyMember.objects.filter(pk=member.pk), user).exists():
        return Membership.objects.none()
    return member.memberships.select_related("organization").order_by("valid_from", "id")


@dataclass
class RateRow:
    path: str
    code: str
    name: str
    depth: int
    new: int
    at_start: int
    is_organization: bool

    @property
    def rate(self) -> float | None:
        return rules.development_rate(self.new, self.at_start)

    @property
    def rate_percent(self) -> float | None:
        r = self.rate
        return None if r is None else round(r * 100, 2)


def counts_by_path(*, year: int, prefixes: list[str] | None) -> dict[str, tuple[int, int]]:
    """``{organization path: (new members admitted in year, members on 1 January)}`` for the
    organizations under ``prefixes`` (None: the whole country). One aggregate query."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    qs = Membership.objects.filter(valid_from__lt=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    if prefixes is not None:
        if not prefixes:
            return {}
        qs = qs.filter(scope_q("path", prefixes))
    new_q = Q(start_reason="admission", valid_from__gte=start)
    at_start_q = Q(valid_from__lte=start)
    rows = (qs.values("path").order_by()
            .annotate(new=Count("id", filter=new_q), at_start=Count("id", filter=at_start_q)))
    return {r["path"]: (r["new"], r["at_start"]) for r in rows}


def development_rate(*, year: int, prefixes: list[str] | None, floor: str = "",
                     depth: int | None = None) -> list[RateRow]:
    """The development rate of every organization under ``prefixes`` (from :func:`scope_prefixes`)
    and of every unit above them down from ``floor`` (a path), rolled up; ``depth`` keeps only rows
    that many levels below the shallowest one (None: all)."""
    counts = counts_by_path(year=year, prefixes=prefixes)
    if not counts:
        return []
    paths: set[str] = set()
    for path in counts:
        parts = path.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i]) + "/"
            if prefix.startswith(floor) and (prefixes is None or any(prefix.startswith(p) for p in prefixes)):
                paths.add(prefix)
    if depth is not None:
        top = min(p.count("/") for p in paths)
        paths = {p for p in paths if p.count("/") <= top + depth}
    rolled = rules.roll_up(counts, paths)
    names = _names(paths, dt.date(year, 12, 31))
    out = []
    for path in sorted(paths):
        code = path.rstrip("/").rsplit("/", 1)[-1]
        name, is_org = names.get(path, (code, False))
        new, at_start = rolled[path]
        out.append(RateRow(path=path, code=code, name=name, depth=path.count("/") - 1, new=new, at_start=at_start,
                           is_organization=is_org))
    return out


def _names(paths: set[str], on: dt.date) -> dict[str, tuple[str, bool]]:
    """Names of the units at ``paths`` (the version valid on ``on``, else the latest)."""
    out: dict[str, tuple[str, bool]] = {}
    codes = {p.rstrip("/").rsplit("/", 1)[-1] for p in paths}
    from tinhgon.core.successors import chunks

    for part in chunks(sorted(codes)):
        for path, name, kind, vf in (Unit.objects.filter(code__in=part).order_by("valid_from")
                                     .values_list("path", "name", "kind__code", "valid_from")):
            if path in paths and (path not in out or vf <= on):
                out[path] = (name, kind in ORGANIZATION_KINDS)
    return out


def admissions_by_year(*, years: list[int], prefixes: list[str] | None) -> list[tuple[int, int, int]]:
    """``[(year, new members, members on 1 January)]`` under ``prefixes`` (from :func:`scope_prefixes`)."""
    out = []
    for y in years:
        counts = counts_by_path(year=y, prefixes=prefixes)
        out.append((y, sum(v[0] for v in counts.values()), sum(v[1] for v in counts.values())))
    return out
