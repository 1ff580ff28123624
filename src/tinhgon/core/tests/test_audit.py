"""One way to record a business event: ``audit_event``, with user, source and request id."""

import pathlib
import re

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.audit import audit_event
from tinhgon.core.changelog import acting_as
from tinhgon.core.models import ObjectChange

SRC = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_event_carries_the_actor_and_the_request_id_of_its_changes():
    user = make_user("clerk-a", role="clerk")
    with acting_as(user, source="web") as actor:
        ev = audit_event(kind="thing.done", message="done", data={"n": 1})
    assert (ev.user_id, ev.source, ev.request_id) == (user.pk, "web", actor.request_id)
    assert ObjectChange.objects.filter(request_id=actor.request_id).exists()  # the event row itself
    other = make_user("admin-b", role="administrator")
    assert audit_event(kind="x", user=other).user_id == other.pk
    assert audit_event(kind="x", user=None).user_id is None


def test_no_module_writes_audit_events_by_hand():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name in ("audit.py", "models.py"):
            continue
        if re.search(r"AuditEvent\.objects\.(create|bulk_create)|AuditEvent\(", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders, f"use core.audit.audit_event in: {offenders}"
