"""Party membership computations (the Party Charter): probation and the development rate.
Pure functions over plain values; no ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

PROBATION_MONTHS = 12  # Party Charter, Art. 5: twelve months of probation


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st → the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def probation_end(admission: dt.date, months: int = PROBATION_MONTHS) -> dt.date:
    """The first day a probationary member admitted on ``admission`` may be made official."""
    return add_months(admission, months)


def official_problem(admission: dt.date, official: dt.date) -> str | None:
    """Why ``official`` cannot end the probation begun on ``admission`` (a code), or None.

    ``before_start``: the probation would end before (or the day) it starts; ``too_early``:
    before the twelve months of probation are over.
    """
    if official <= admission:
        return "before_start"
    if official < probation_end(admission):
        return "too_early"
    return None


def development_rate(new_members: int, members_at_start: int) -> float | None:
    """New members ÷ members at the start of the year (None when there were none)."""
    if members_at_start <= 0:
        return None
    return new_members / members_at_start


def roll_up(rows: dict[str, tuple[int, int]], paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Sum ``(new, at_start)`` counts kept per organization path into every path of ``paths``
    that is that path or one of its ancestors (a materialized path: ``"01/001/CB1/"``)."""
    wanted = set(paths)
    out = {p: [0, 0] for p in wanted}
    for path, (new, start) in rows.items():
        parts = path.split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i]) + "/"
            acc = out.get(prefix)
            if acc is not None:
                acc[0] += new
                acc[1] += start
    return {p: (v[0], v[1]) for p, v in out.items()}
