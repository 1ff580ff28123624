"""The dated rule-set registry.

Apps declare the rule sets they ship with :func:`register_default`; after each
``migrate`` the missing ones are written to the :class:`RuleSet` table, where an
administrator may add newer ones.  Computations ask :func:`rule_set_for` for the
rule set of a kind in force on a date and show its ``code`` with the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RuleSetData:
    kind: str
    code: str
    name: str
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    parameters: dict[str, Any] = field(default_factory=dict)

    def covers(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date < self.valid_to)


_DEFAULTS: dict[str, RuleSetData] = {}


class NoRuleSet(LookupError):
    pass


def register_default(rule_set: RuleSetData) -> RuleSetData:
    _DEFAULTS[rule_set.code] = rule_set
    return rule_set


def registered_defaults(kind: str | None = None) -> list[RuleSetData]:
    return [r for r in _DEFAULTS.values() if kind is None or r.kind == kind]


def _from_row(row) -> RuleSetData:
    return RuleSetData(
        kind=row.kind, code=row.code, name=row.name, legal_basis=row.legal_basis,
        valid_from=row.valid_from, valid_to=row.valid_to, parameters=dict(row.parameters),
    )


def rule_set_for(kind: str, date: dt.date, code: str | None = None) -> RuleSetData:
    """The rule set of ``kind`` in force on ``date`` (or the one named ``code``).

    Rows in the database win over the shipped defaults; among several in force the
    one that started last wins.
    """
    from .models import RuleSet

    try:
        qs = RuleSet.objects.filter(kind=kind)
        row = qs.filter(code=code).first() if code else qs.as_of(date).order_by("-valid_from", "-id").first()
    except DatabaseError:  # table not there yet (before migrate)
        row = None
    if row is not None:
        return _from_row(row)
    candidates = [r for r in registered_defaults(kind) if (r.code == code if code else r.covers(date))]
    if not candidates:
        raise NoRuleSet(_("No rule set of kind %(kind)s is in force on %(date)s.") % {"kind": kind, "date": date})
    return max(candidates, key=lambda r: r.valid_from)


def sync_defaults(using: str = "default") -> int:
    """Write the shipped rule sets that the database does not hold yet."""
    from .changelog import acting_as
    from .models import RuleSet

    existing = set(RuleSet.objects.using(using).values_list("code", flat=True))
    missing = [
        RuleSet(
            kind=r.kind, code=r.code, name=r.name, legal_basis=r.legal_basis,
            valid_from=r.valid_from, valid_to=r.valid_to, parameters=r.parameters, shipped=True,
        )
        for r in _DEFAULTS.values()
        if r.code not in existing
    ]
    if missing:
        with acting_as(None, source="migrate"):
            RuleSet.objects.using(using).bulk_create(missing)
    return len(missing)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) != "core":
        return
    sync_defaults(using=using)
