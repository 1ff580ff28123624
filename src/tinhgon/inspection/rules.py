"""Party discipline (RULES.md §8): which measures a subject may receive, and the limitation
period of each. Pure functions over plain values and a rule set; no ORM.

The rule set (``inspection.discipline``, shipped in :mod:`.rulesets`) holds, per subject
kind, the measures allowed and, per measure, the limitation period in years (``None``: no
limitation). The period runs from the violation to the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ORGANIZATION, FULL_MEMBER, PROBATIONARY_MEMBER = "organization", "full_member", "probationary_member"
SUBJECT_KINDS = (ORGANIZATION, FULL_MEMBER, PROBATIONARY_MEMBER)
KHIEN_TRACH, CANH_CAO, CACH_CHUC, KHAI_TRU, GIAI_TAN = "khien_trach", "canh_cao", "cach_chuc", "khai_tru", "giai_tan"
MEASURES = (KHIEN_TRACH, CANH_CAO, CACH_CHUC, KHAI_TRU, GIAI_TAN)
# How heavy a measure is (for ordering and "at least" questions).
WEIGHT = {KHIEN_TRACH: 1, CANH_CAO: 2, CACH_CHUC: 3, KHAI_TRU: 4, GIAI_TAN: 4}


@dataclass(frozen=True)
class Limitation:
    years: int | None        # None: no limitation period
    expires: dt.date | None  # the last day a decision may still be taken (None: never expires)
    expired: bool


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def allowed_measures(subject_kind: str, parameters: dict) -> tuple[str, ...]:
    """The measures a subject of ``subject_kind`` may receive."""
    return tuple(parameters["allowed"].get(subject_kind, ()))


def measure_problem(*, subject_kind: str, measure: str, holds_post: bool, parameters: dict) -> str | None:
    """Why ``measure`` cannot be given to the subject (a code), None when it can.

    ``not_allowed``: the measure is not one of the subject kind's; ``no_post``: removal from
    post (cách chức) of someone who holds no post.
    """
    if subject_kind not in SUBJECT_KINDS or measure not in allowed_measures(subject_kind, parameters):
        return "not_allowed"
    if measure == CACH_CHUC and not holds_post:
        return "no_post"
    return None


def limitation(*, measure: str, act_date: dt.date, decision_date: dt.date, parameters: dict) -> Limitation:
    """The limitation period of ``measure`` for a violation on ``act_date``, decided on
    ``decision_date``: expired when the decision comes on or after the period's end."""
    years = parameters["limitation_years"].get(measure)
    if years is None:
        return Limitation(None, None, False)
    end = add_years(act_date, int(years))  # first day the violation may no longer be disciplined
    return Limitation(int(years), end - dt.timedelta(days=1), decision_date >= end)
