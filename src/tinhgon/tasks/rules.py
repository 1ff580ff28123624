"""Pure rules of tasks: the six clears, periods, and how a task counts in a period.

No ORM, no I/O: plain values in, plain values out (tested table by table).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The six clears, in the order the resolution names them (key, label).
CLEARS = [
    ("person", _("clear person (assignee)")),
    ("work", _("clear work (title and content)")),
    ("time", _("clear time (start and deadline)")),
    ("responsibility", _("clear responsibility (lead unit and leader in charge)")),
    ("product", _("clear product (type and description)")),
    ("authority", _("clear authority (accepting unit and its power)")),
]
CLEAR_LABELS = dict(CLEARS)


def missing_clears(*, assignee: bool, title: str, content: str, start: dt.date | None, deadline: dt.date | None,
                   lead_unit: bool, leader: bool, product_type: str, product_description: str,
                   authority_unit: bool, authority_power: bool) -> list[str]:
    """The keys of the clears a task still misses (empty: it may be issued)."""
    missing = []
    if not assignee:
        missing.append("person")
    if not (title or "").strip() or not (content or "").strip():
        missing.append("work")
    if start is None or deadline is None:
        missing.append("time")
    if not lead_unit or not leader:
        missing.append("responsibility")
    if not product_type or not (product_description or "").strip():
        missing.append("product")
    if not authority_unit or not authority_power:
        missing.append("authority")
    return missing


# Periods ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    key: str      # "2026", "2026-Q1", "2026-03"
    start: dt.date
    end: dt.date  # inclusive
    kind: str     # year | quarter | month

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (negative: earlier) of the same kind."""
        if self.kind == "year":
            return period_of(str(self.start.year + n))
        months = 3 if self.kind == "quarter" else 1
        index = self.start.year * 12 + self.start.month - 1 + n * months
        year, month = divmod(index, 12)
        if self.kind == "quarter":
            return period_of(f"{year}-Q{month // 3 + 1}")
        return period_of(f"{year}-{month + 1:02d}")


_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2}))?$")


def period_of(text: str) -> Period:
    """``2026`` (a year), ``2026-Q1`` (a quarter) or ``2026-03`` (a month); ValueError otherwise."""
    m = _PERIOD.match((text or "").strip().upper())
    if not m:
        raise ValueError(text)
    year = int(m.group(1))
    if year < 1945 or year > 9998:
        raise ValueError(text)
    if m.group(2):
        q = int(m.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end_month = 3 * q
        end = dt.date(year, end_month, calendar.monthrange(year, end_month)[1])
        return Period(f"{year}-Q{q}", start, end, "quarter")
    if m.group(3):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise ValueError(text)
        return Period(f"{year}-{month:02d}", dt.date(year, month, 1),
                      dt.date(year, month, calendar.monthrange(year, month)[1]), "month")
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def current_quarter(day: dt.date) -> Period:
    return period_of(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


# Counting ------------------------------------------------------------------------------------

ON_TIME, LATE, OVERDUE, IN_PROGRESS, CANCELLED = "on_time", "late", "overdue", "in_progress", "cancelled"
CLASSES = (ON_TIME, LATE, OVERDUE, IN_PROGRESS, CANCELLED)


@dataclass(frozen=True)
class DatedFacts:
    """What the events of one task say, as dates (None: has not happened)."""

    issued_on: dt.date | None
    deadline: dt.date | None       # the original deadline
    due: dt.date | None            # the deadline in force after the last approved extension
    due_since: dt.date | None      # when that extension was approved (None: no extension)
    due_before: dt.date | None     # the deadline in force before it
    submitted_on: dt.date | None   # the submission that was accepted (the latest one)
    accepted_on: dt.date | None
    cancelled_on: dt.date | None


def deadline_in_force(f: DatedFacts, on: dt.date) -> dt.date | None:
    """The deadline in force on the reading date: an extension approved after it does not count yet."""
    if f.due_since is not None and f.due_since > on:
        return f.due_before
    return f.due


def counts_in(f: DatedFacts, start: dt.date, end: dt.date, on: dt.date) -> bool:
    """Whether a task counts in [start, end] read on ``on``: issued by the reading date, and its
    deadline in force falls in the period, or it was issued by the end and is still open at the start."""
    if f.issued_on is None or f.issued_on > on:
        return False
    d = deadline_in_force(f, on)
    if d is not None and start <= d <= end:
        return True
    if f.issued_on > end:
        return False
    closed_before = ((f.accepted_on is not None and f.accepted_on < start and f.accepted_on <= on)
                     or (f.cancelled_on is not None and f.cancelled_on < start and f.cancelled_on <= on))
    return not closed_before


def classify(f: DatedFacts, on: dt.date) -> str:
    """on time / late / overdue / in progress / cancelled, from the dates alone (never the status)."""
    if f.cancelled_on is not None and f.cancelled_on <= on:
        return CANCELLED
    d = deadline_in_force(f, on)
    if f.accepted_on is not None and f.accepted_on <= on:
        return ON_TIME if (d is None or (f.submitted_on is not None and f.submitted_on <= d)) else LATE
    if d is not None and d < on:
        return OVERDUE
    return IN_PROGRESS


def completion_rate(on_time: int, counted: int, cancelled: int) -> float | None:
    """on time ÷ (counted − cancelled); None when nothing is left to count."""
    base = counted - cancelled
    return round(on_time / base, 4) if base > 0 else None
