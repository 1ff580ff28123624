"""Roles and what each may do. Pure data: no ORM."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

VIEWER, CLERK, ORGANIZER, LEADER, INSPECTOR, ADMINISTRATOR = (
    "viewer", "clerk", "organizer", "leader", "inspector", "administrator",
)

ROLE_CHOICES = [
    (VIEWER, _("Viewer")),
    (CLERK, _("Clerk")),
    (ORGANIZER, _("Organizer")),
    (LEADER, _("Leader")),
    (INSPECTOR, _("Inspector")),
    (ADMINISTRATOR, _("Administrator")),
]

# Actions each role may take inside its scopes.  "view" reads, "change" edits
# records, "personal_data" unmasks citizen IDs and birth dates, "plan" drafts
# restructuring plans, "approve" approves them, "inspect" runs inspections,
# "administer" manages users and rule sets.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    VIEWER: frozenset({"view"}),
    CLERK: frozenset({"view", "change"}),
    ORGANIZER: frozenset({"view", "change", "personal_data", "plan"}),
    LEADER: frozenset({"view", "change", "personal_data", "approve"}),
    INSPECTOR: frozenset({"view", "personal_data", "inspect"}),
    ADMINISTRATOR: frozenset(
        {"view", "change", "personal_data", "plan", "approve", "inspect", "administer"}
    ),
}


def role_allows(role: str, action: str) -> bool:
    return action in ROLE_ACTIONS.get(role, frozenset())

ALL_ACTIONS: tuple[str, ...] = tuple(sorted(set().union(*ROLE_ACTIONS.values())))


def allowed_actions(user) -> list[str]:
    """The actions ``user`` may take (a superuser may take them all), sorted."""
    return [a for a in ALL_ACTIONS if user.may(a)]

ACTION_LABELS = {
    "view": _("view"), "change": _("change records"), "personal_data": _("see personal data"),
    "plan": _("draft plans"), "approve": _("approve"), "inspect": _("inspect"), "administer": _("administer users"),
}


def allowed_action_labels(user) -> list[tuple[str, str]]:
    return [(a, ACTION_LABELS.get(a, a)) for a in allowed_actions(user)]
