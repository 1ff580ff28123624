"""Log filters configured by settings (no model imports at module level: settings load first)."""

from __future__ import annotations

import logging


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (the id audit events and change-log rows carry) and ``actor`` to records."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            from .changelog import current_actor

            actor = current_actor()
            record.request_id = str(actor.request_id)[:8]
            record.actor = actor.username or actor.source
        except Exception:  # during start-up, before the apps are ready
            record.request_id, record.actor = "-", "-"
        return True
