"""Pure rules about cadres: statutory retirement and citizen ID structure. No ORM, no I/O."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MALE, FEMALE = "M", "F"


@dataclass(frozen=True)
class RetirementRule:
    """Retirement ages of a rule set (RULES.md §1), in months."""

    code: str
    base_months: dict[str, int]        # age before the roadmap starts
    step_months: dict[str, int]        # added each calendar year from start_year
    cap_months: dict[str, int]         # final age
    start_year: int                    # first year of the roadmap (2021)

    @classmethod
    def from_parameters(cls, code: str, p: dict) -> RetirementRule:
        return cls(code=code, base_months={k: int(v) for k, v in p["base_months"].items()},
                   step_months={k: int(v) for k, v in p["step_months"].items()},
                   cap_months={k: int(v) for k, v in p["cap_months"].items()}, start_year=int(p["start_year"]))

    def age_in_year(self, sex: str, year: int) -> int:
        """The normal retirement age (months) that applies in ``year``."""
        if year < self.start_year:
            return self.base_months[sex]
        steps = year - self.start_year + 1
        return min(self.base_months[sex] + steps * self.step_months[sex], self.cap_months[sex])


@dataclass(frozen=True)
class Retirement:
    retirement_date: dt.date   # last day of the month in which the age is reached
    pension_start: dt.date     # first day of the next month
    age_months: int            # the age reached then
    rule_set: str


def _month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def _from_index(i: int) -> tuple[int, int]:
    return i // 12, i % 12 + 1


def retirement(*, sex: str, rule: RetirementRule, birth_date: dt.date | None = None,
               birth_year: int | None = None, adjust_months: int = 0) -> Retirement:
    """The statutory retirement month of a person.

    A person retires in the first calendar year Y in which they reach the age that
    applies in year Y (plus ``adjust_months``: negative for reduced ages, positive for
    extended ones); the moment is the last day of that month and the pension starts on
    the first day of the next. With only the birth year, 1 January is taken.
    """
    if sex not in (MALE, FEMALE):
        raise ValueError(f"unknown sex {sex!r}")
    if birth_date is None:
        if birth_year is None:
            raise ValueError("a birth date or a birth year is needed")
        birth_date = dt.date(birth_year, 1, 1)
    born = _month_index(birth_date.year, birth_date.month)
    year = birth_date.year + (rule.base_months[sex] + adjust_months) // 12 - 1
    while True:
        age = rule.age_in_year(sex, year) + adjust_months
        reached = born + age
        reached_year, _m = _from_index(reached)
        if reached_year <= year:
            moment = max(reached, _month_index(year, 1))
            break
        year += 1
    y, m = _from_index(moment)
    last = dt.date(y, m, calendar.monthrange(y, m)[1])
    return Retirement(last, last + dt.timedelta(days=1), moment - born, rule.code)


# Citizen ID (căn cước công dân, 12 digits) -------------------------------------------------

def citizen_id_problems(value: str, *, sex: str | None = None, birth_year: int | None = None) -> list[str]:
    """What is wrong with a citizen ID, given the recorded sex and birth year (English messages).

    Structure: 3 digits of the province of birth registration (001–096), one digit for
    century and sex (0/1: 1900s man/woman, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 1800s),
    two digits of the birth year, six digits.
    """
    if not isinstance(value, str) or len(value) != 12 or not value.isdigit():
        return ["a citizen ID has exactly 12 digits"]
    problems = []
    province = int(value[:3])
    if not 1 <= province <= 96:
        problems.append("the first three digits must be a province code from 001 to 096")
    digit = int(value[3])
    century = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}[digit]
    id_sex = MALE if digit % 2 == 0 else FEMALE
    year = century + int(value[4:6])
    if sex in (MALE, FEMALE) and sex != id_sex:
        problems.append("the fourth digit does not match the recorded sex")
    if birth_year is not None and birth_year != year:
        problems.append(f"digits 4–6 give birth year {year}, not {birth_year}")
    return problems


def mask_citizen_id(value: str) -> str:
    return value[:3] + "*" * 6 + value[-3:] if value and len(value) >= 6 else "*" * len(value or "")
