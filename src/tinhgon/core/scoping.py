"""The one scoping function every user-facing queryset goes through.

A model declares a :class:`ScopePolicy`: the lookup to the materialized path of
the unit it belongs to, and which actions are public to every signed-in user
(the apparatus structure is; positions and payroll quotas are not).  A user
offers ``scope_paths()`` (path prefixes of the subtrees they may reach),
``is_unrestricted`` and ``may(action)``, as :class:`tinhgon.accounts.models.User`
does.  Objects outside the result simply do not exist for that user: views and
API endpoints answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

VIEW, CHANGE = "view", "change"


@dataclass(frozen=True)
class ScopePolicy:
    path_lookup: str | None
    public_actions: frozenset[str] = field(default_factory=frozenset)


def scope_q(path_lookup: str, paths: list[str]) -> Q:
    """Rows whose path lies under any of ``paths`` (each ends with the separator).

    On SQLite the prefix is written as a range (``'01/' <= path < '010'``): SQLite's
    case-insensitive LIKE cannot seek in the index, a range can, and SQLite compares
    strings byte by byte.  PostgreSQL keeps ``LIKE 'p%'``, which its pattern-ops index
    answers whatever the collation (a range would follow the collation's order).
    """
    from django.db import connection

    q = Q()
    for p in paths:
        if connection.vendor == "sqlite" and p:
            q |= Q(**{f"{path_lookup}__gte": p, f"{path_lookup}__lt": p[:-1] + chr(ord(p[-1]) + 1)})
        else:
            q |= Q(**{f"{path_lookup}__startswith": p})
    return q


def restrict(queryset: QuerySet, user, action: str = VIEW) -> QuerySet:
    """Restrict ``queryset`` to what ``user`` may reach for ``action``."""
    model = queryset.model
    policy: ScopePolicy | None = getattr(model, "scope_policy", None)
    if policy is None:
        raise ImproperlyConfigured(f"{model.__name__} declares no scope_policy")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if not user.may(action):
        return queryset.none()
    if user.is_unrestricted or action in policy.public_actions:
        return queryset
    if policy.path_lookup is None:
        return queryset.none()
    paths = user.scope_paths()
    if not paths:
        return queryset.none()
    return queryset.filter(scope_q(policy.path_lookup, paths))


def may_change_everywhere(user) -> bool:
    """Whether ``user`` may change records and is bound to no scope (national reference data)."""
    return bool(user and user.is_authenticated and user.is_unrestricted and user.may(CHANGE))


def in_scope(user, path: str | None) -> bool:
    """Whether a unit path lies inside the user's scopes."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_unrestricted:
        return True
    return bool(path) and any(path.startswith(p) for p in user.scope_paths())
