"""Pure rules of citizen petitions: the statutory deadlines, the counting of days, group
representatives, hot-spot thresholds and the leaders' reception duty.

No ORM, no I/O: plain values and a rule set's parameters in, plain values out (tested
table by table).  Vietnamese public holidays come from the ``holidays`` package (country
VN, a pure computation, the lunar New Year included) plus the administrator's list of the
government's yearly day swaps, given here as plain dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import holidays as _holidays

COMPLAINT, DENUNCIATION, RECOMMENDATION = "complaint", "denunciation", "recommendation"
KINDS = (COMPLAINT, DENUNCIATION, RECOMMENDATION)
NORMAL, COMPLEX, ESPECIALLY_COMPLEX = "normal", "complex", "especially_complex"
COMPLEXITIES = (NORMAL, COMPLEX, ESPECIALLY_COMPLEX)
CODE_PREFIX = {COMPLAINT: "KN", DENUNCIATION: "TC", RECOMMENDATION: "KP"}


class RuleError(ValueError):
    """A question the rule set refuses (an extension it does not allow, a complexity it
    does not know): the message says which."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# Calendar --------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def vn_holidays(year: int) -> frozenset[dt.date]:
    """Vietnam's public holidays of ``year`` as the ``holidays`` package knows them."""
    return frozenset(_holidays.country_holidays("VN", years=year).keys())


@dataclass(frozen=True)
class Calendar:
    """Working days: Monday to Friday, less public holidays and the swapped days off, plus the
    swapped working days (a Saturday made a working day)."""

    days_off: frozenset[dt.date] = frozenset()     # from the day swaps
    work_days: frozenset[dt.date] = frozenset()    # from the day swaps

    @classmethod
    def of(cls, swaps: Iterable[tuple[dt.date, dt.date | None]] = ()) -> Calendar:
        """From ``(day off, make-up working day or None)`` pairs."""
        off, work = set(), set()
        for day_off, work_day in swaps:
            off.add(day_off)
            if work_day is not None:
                work.add(work_day)
        return cls(frozenset(off), frozenset(work))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.work_days:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return day not in vn_holidays(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(400):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise RuleError("calendar", "no working day within 400 days")  # pragma: no cover

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (the day of the event does not count)."""
        day = start
        left = n
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day


def period_end(start: dt.date, days: int, calendar: Calendar, counting: str = "calendar") -> tuple[dt.date, dt.date]:
    """The end of a period of ``days`` that starts the day after ``start`` (Civil Code Art. 147–148).

    Returns ``(raw last day, deadline)``: in calendar days the raw last day is ``start + days``
    and, when it is a weekend day or a public holiday, the period ends at the end of the next
    working day; in working days both are the ``days``-th working day after ``start``.
    """
    if counting == "working":
        end = calendar.add_working_days(start, days)
        return end, end
    raw = start + dt.timedelta(days=days)
    return raw, calendar.next_working_day(raw)


# Deadlines -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A computed deadline: the day, the raw last day before the holiday rule, and how."""

    deadline: dt.date | None      # None: the rule set gives no statutory period
    raw: dt.date | None
    days: int | None
    rule_set: str
    counting: str
    explanation: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {"deadline": self.deadline, "raw_last_day": self.raw, "days": self.days, "rule_set": self.rule_set,
                "counting": self.counting, "explanation": self.explanation, "notes": list(self.notes)}


def settlement_days(params: dict, *, kind: str, round: int = 1, complexity: str = NORMAL,
                    remote: bool = False, extensions: int = 0) -> tuple[int | None, list[str]]:
    """The settlement period in days the rule set gives (None: none given), and notes."""
    notes: list[str] = []
    if kind not in KINDS:
        raise RuleError("kind", f"unknown kind {kind!r}")
    if complexity not in COMPLEXITIES:
        raise RuleError("complexity", f"unknown complexity {complexity!r}")
    if extensions < 0:
        raise RuleError("extensions", "extensions cannot be negative")
    if kind == COMPLAINT:
        table = (params.get("complaint") or {}).get(str(round))
        if table is None:
            raise RuleError("round", f"the rule set gives no period for round {round}")
        if complexity == ESPECIALLY_COMPLEX:
            raise RuleError("complexity", "the rule set knows complex complaints, not especially complex ones")
        allowed = int(params.get("complaint_extensions") or 0)
        if extensions > allowed:
            raise RuleError("extensions", f"the rule set allows {allowed} extension(s) of a complaint")
        key = ("remote_" if remote else "") + complexity
        return int(table[key]), notes
    if kind == DENUNCIATION:
        d = params.get("denunciation")
        if not d:
            return None, ["the rule set gives no settlement period for denunciations"]
        allowed = int((d.get("max_extensions") or {}).get(complexity, 0))
        if extensions > allowed:
            raise RuleError("extensions", f"a {complexity.replace('_', ' ')} denunciation may be extended "
                                          f"{allowed} time(s) at most")
        if remote:
            notes.append("the rule set gives no remote-area period for denunciations: not applied")
        return int(d["days"]) + extensions * int(d["extension_days"]), notes
    r = params.get("recommendation")
    if not r:
        return None, ["no statutory settlement period for recommendations and reflections"]
    return int(r["days"]), notes  # pragma: no cover - no shipped rule set gives one


def settlement_deadline(params: dict, rule_set: str, *, kind: str, accepted: dt.date, round: int = 1,
                        complexity: str = NORMAL, remote: bool = False, extensions: int = 0,
                        suspended_days: int = 0, calendar: Calendar = Calendar()) -> Deadline:
    """The settlement deadline of a matter accepted on ``accepted``."""
    days, notes = settlement_days(params, kind=kind, round=round, complexity=complexity, remote=remote,
                                  extensions=extensions)
    counting = params.get("counting", "calendar")
    if days is None:
        return Deadline(None, None, None, rule_set, counting, "; ".join(notes), tuple(notes))
    if suspended_days:
        if params.get("suspension_excluded"):
            days += suspended_days
        else:
            notes.append("suspended time counts toward the limit under this rule set")
    raw, end = period_end(accepted, days, calendar, counting)
    unit = "working days" if counting == "working" else "days"
    explanation = f"{days} {unit} after {accepted.isoformat()}: last day {raw.isoformat()}"
    if end != raw:
        explanation += f", not a working day: {end.isoformat()}"
    return Deadline(end, raw, days, rule_set, counting, explanation, tuple(notes))


def acceptance_deadline(params: dict, rule_set: str, *, kind: str, received: dt.date,
                        calendar: Calendar = Calendar()) -> Deadline:
    """The last day to decide on acceptance (None where the rule set gives no period)."""
    days = (params.get("acceptance_days") or {}).get(kind)
    counting = params.get("counting", "calendar")
    if days is None:
        note = f"the rule set gives no acceptance period for {kind}"
        return Deadline(None, None, None, rule_set, counting, note, (note,))
    raw, end = period_end(received, int(days), calendar, counting)
    return Deadline(end, raw, int(days), rule_set, counting, f"{days} days after {received.isoformat()}")


def second_round_window(params: dict, *, first_decided: dt.date, remote: bool = False,
                        calendar: Calendar = Calendar()) -> dt.date | None:
    """The last day a second complaint may be lodged after the first round ended."""
    window = params.get("second_round_window") or {}
    days = window.get("remote" if remote else "normal")
    if days is None:
        return None
    return period_end(first_decided, int(days), calendar)[1]


# Groups --------------------------------------------------------------------------------------


def representatives_allowed(people: int) -> tuple[int, int] | None:
    """How many representatives a group of ``people`` chooses (RULES.md §7): 5–10 people choose
    1–2, more than 10 choose up to 5; None below 5 (no representative needed)."""
    if people < 5:
        return None
    if people <= 10:
        return (1, 2)
    return (1, 5)


# Hot spots -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gathering:
    """What gathered on one place and subject inside the window."""

    people: int
    contacts: int
    largest_group: int
    overdue: int
    repeats: int


def hotspot_reasons(g: Gathering, thresholds: dict) -> list[str]:
    """The thresholds ``g`` reaches (empty: not a hot spot)."""
    reasons = []
    if g.people >= int(thresholds["min_people"]):
        reasons.append("people")
    if g.contacts >= int(thresholds["min_contacts"]):
        reasons.append("contacts")
    if g.largest_group >= int(thresholds["crowded_group"]):
        reasons.append("crowded_group")
    if g.overdue >= int(thresholds["min_overdue"]):
        reasons.append("overdue")
    if g.repeats >= int(thresholds["min_repeats"]):
        reasons.append("repeats")
    return reasons


# Reception duty ------------------------------------------------------------------------------


def duty_check(duty: dict | None, days: Iterable[dt.date], *, year: int, month: int) -> dict:
    """Whether the reception days of one leader in one month meet the duty.

    ``duty`` is ``{"per": "week"|"month", "days": n}`` (None: the rule set gives none —
    the answer is "unknown", never "met").  Weeks are counted when they start in the month.
    """
    held = sorted({d for d in days if d.year == year and d.month == month})
    if not duty:
        return {"status": "unknown", "held": len(held), "required": None, "missing_weeks": []}
    need = int(duty["days"])
    if duty["per"] == "month":
        return {"status": "met" if len(held) >= need else "not_met", "held": len(held), "required": need,
                "missing_weeks": []}
    first = dt.date(year, month, 1)
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    missing = []
    while monday.month == month:
        week = [d for d in held if monday <= d < monday + dt.timedelta(days=7)]
        if len(week) < need:
            missing.append(monday)
        monday += dt.timedelta(days=7)
    return {"status": "met" if not missing else "not_met", "held": len(held), "required": need,
            "missing_weeks": missing}


# Days the holiday rule skipped -------------------------------------------------------------------


def holiday_name(day: dt.date, language: str = "vi") -> str | None:
    """The name of the public holiday on ``day`` (the ``holidays`` package, VN), or None."""
    if day not in vn_holidays(day.year):
        return None
    lang = "vi" if language.startswith("vi") else "en_US"
    return _holidays.country_holidays("VN", years=day.year, language=lang).get(day)


def skipped_days(d: Deadline, accepted: dt.date, calendar: Calendar) -> list[tuple[dt.date, str]]:
    """The days off a deadline stepped over, each with why (``weekend``, ``holiday`` or ``swap``):
    counting in calendar days, those from the raw last day to the deadline; in working days, every
    day off of the period."""
    if d.deadline is None or d.raw is None:
        return []
    start, end = (accepted + dt.timedelta(days=1), d.deadline) if d.counting == "working" else (d.raw, d.deadline)
    out = []
    day = start
    while day < end:
        if not calendar.is_working_day(day):
            why = "swap" if day in calendar.days_off else "holiday" if day in vn_holidays(day.year) else "weekend"
            out.append((day, why))
        day += dt.timedelta(days=1)
    return out
