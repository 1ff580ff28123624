"""Pure computations of the apparatus (no ORM): terms of office as people write them."""

from __future__ import annotations

import datetime as dt
import re

_TERM = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


def term_label(label: str) -> str:
    """``"2026 – 2031"`` → ``"2026-2031"`` (one spelling of a term label)."""
    m = _TERM.match(label or "")
    return f"{m.group(1)}-{m.group(2)}" if m else " ".join((label or "").split())


def term_dates(label: str) -> tuple[dt.date, dt.date] | None:
    """The default period of a term written ``YYYY-YYYY``: from 1 January of the first year
    to 1 January of the last (when the next term begins); None when the label is not a
    year range or the years are not in order.  The exact congress dates can be set on the
    term afterwards."""
    m = _TERM.match(label or "")
    if not m:
        return None
    y1, y2 = int(m.group(1)), int(m.group(2))
    if not 1900 <= y1 < y2 <= 2200:
        return None
    return dt.date(y1, 1, 1), dt.date(y2, 1, 1)
