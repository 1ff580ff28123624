"""The one scoping function every user-facing queryset goes through.

A model declares a :class:`ScopePolicy`: the lookup to the materialized path of
the unit it belongs to, and which actions are public to every signed-in user
(the apparatus structure is; positions and payroll quotas are not).  A user
offers ``scope_paths()`` (path prefixes of the subtrees they may reach),
``is_unrestricted`` and ``may(action)``, as :class:`tinhgon.accounts.models.User`
does.  Objects outside the result simply do not exist for that user: views and
API endpoints answer 404.

A record that names several units (a task's lead, coordinating and accepting
units; a petition's place and handling unit; an inspection's inspector and the
inspected) declares which of its units grants which action::

    scope_policy = ScopePolicy(
        path_lookup="lead_unit__path",                       # the default for any other action
        action_lookups={
            "view": ("lead_unit__path", "coordinating_units__path", "authority__path"),
            "approve": ("authority__path",),
        },
    )

``restrict`` then lets a user reach the record for an action when *any* of the
lookups of that action lies in their scopes.  Lookups through a many-valued
relation are answered by a subquery, so a record never appears twice.

Services that write go further than the object a request names:
:func:`require_scope` checks the acting user's scope over *every* unit path the
write touches (read, ended, moved, renamed, created, the new parent included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

VIEW, CHANGE = "view", "change"


@dataclass(frozen=True)
class ScopePolicy:
    """How a model's rows map to units, per action.

    ``path_lookup`` is the lookup to the path of the unit that grants every action
    (None: no unit — the rows are reachable only through ``public_actions`` or by
    unrestricted users).  ``action_lookups`` names, per action, the lookups of the
    units that grant it instead (any of them suffices).
    """

    path_lookup: str | None
    public_actions: frozenset[str] = field(default_factory=frozenset)
    action_lookups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lookups_for(self, action: str) -> tuple[str, ...]:
        if action in self.action_lookups:
            return tuple(self.action_lookups[action])
        return (self.path_lookup,) if self.path_lookup else ()

    def __hash__(self) -> int:  # dict fields are not hashable; policies are compared by identity
        return id(self)


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


def _many_valued(model, lookup: str) -> bool:
    """Whether ``lookup`` crosses a relation that may yield several rows per object."""
    opts = model._meta
    for part in lookup.split("__")[:-1]:
        try:
            f = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if f.related_model is None:
            return False
        opts = f.related_model._meta
    return False


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
    lookups = policy.lookups_for(action)
    paths = user.scope_paths()
    if not lookups or not paths:
        return queryset.none()
    direct = Q()
    many = Q()
    for lookup in lookups:
        if _many_valued(model, lookup):
            many |= scope_q(lookup, paths)
        else:
            direct |= scope_q(lookup, paths)
    cond = direct
    if many:
        cond |= Q(pk__in=model._base_manager.filter(many).values("pk"))
    return queryset.filter(cond)


def may_reach(user, obj, action: str = VIEW) -> bool:
    """Whether ``user`` may reach the saved object ``obj`` for ``action`` (one query)."""
    if obj is None or obj.pk is None:
        return False
    return restrict(type(obj)._base_manager.filter(pk=obj.pk), user, action).exists()


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


def path_within(path: str | None, scope_path: str | None) -> bool:
    """Whether ``path`` lies in the subtree of ``scope_path`` (an empty scope is the whole country)."""
    if not scope_path:
        return True
    return bool(path) and path.startswith(scope_path)


def outside_scope(user, paths: Iterable[str | None]) -> list[str]:
    """The paths among ``paths`` that ``user`` may not reach (sorted, each once)."""
    if user is not None and getattr(user, "is_authenticated", False) and user.is_unrestricted:
        return []
    return sorted({p or "" for p in paths if not in_scope(user, p)})


def require_scope(user, paths: Iterable[str | None], action: str = CHANGE, *,
                  message: str | None = None) -> None:
    """Refuse (``PermissionDenied``) unless ``user`` may take ``action`` on every unit in ``paths``.

    ``user=None`` is the system itself (commands, imports run by an operator) and passes.
    A service calls this with every unit its write touches, not only the one the request
    names: the units an operation reads, ends, moves, renames or creates, the new parent
    included.
    """
    if user is None:
        return
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.may(action):
        raise PermissionDenied(message or _("You may not do this."))
    bad = outside_scope(user, paths)
    if bad:
        raise PermissionDenied(message or _("Units outside your scope: %(units)s.")
                               % {"units": ", ".join(p.rstrip("/").rsplit("/", 1)[-1] or _("(the whole country)")
                                                     for p in bad[:10])})
