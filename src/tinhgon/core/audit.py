"""One business action, one audit event: :func:`audit_event` is the only way to write one.

The event always carries who (the given user, else the actor of the request, command
or job), through what (web, api, cli, job, system) and the request id — the same id
the change-log rows of that request carry and the log lines print (``[req …]``), so an
event, the rows it changed and the log lines of the request can be read together.
"""

from __future__ import annotations

from .changelog import current_actor

_UNSET = object()


def audit_event(*, kind: str, message: str = "", data: dict | None = None, user=_UNSET):
    """Record one business action (``plan.applied``, ``cadres.imported``) for the acting user."""
    from .models import AuditEvent

    actor = current_actor()
    if user is _UNSET:
        user_id = actor.user_id
    else:
        user_id = getattr(user, "pk", None)
    return AuditEvent.objects.create(kind=kind[:60], message=str(message), data=data or {}, user_id=user_id,
                                     source=actor.source[:20], request_id=actor.request_id)
