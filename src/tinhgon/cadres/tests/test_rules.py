import datetime as dt

import pytest

from tinhgon.cadres.rules import RetirementRule, citizen_id_problems, mask_citizen_id, retirement
from tinhgon.cadres.rulesets import RETIREMENT
from tinhgon.core.rulesets import registered_defaults

RULE = RetirementRule.from_parameters(
    "retirement-labor-code-2019", next(r for r in registered_defaults(RETIREMENT)).parameters)


@pytest.mark.parametrize(
    ("sex", "born", "retires", "pension"),
    [
        ("M", (1962, 3), dt.date(2022, 9, 30), dt.date(2022, 10, 1)),
        ("M", (1961, 10), dt.date(2022, 4, 30), dt.date(2022, 5, 1)),
        ("M", (1961, 1), dt.date(2021, 4, 30), dt.date(2021, 5, 1)),
        ("F", (1966, 9), dt.date(2022, 5, 31), dt.date(2022, 6, 1)),
        ("F", (1966, 8), dt.date(2021, 12, 31), dt.date(2022, 1, 1)),
        ("F", (1970, 9), dt.date(2028, 5, 31), dt.date(2028, 6, 1)),
        ("M", (1966, 4), dt.date(2028, 4, 30), dt.date(2028, 5, 1)),
        ("M", (1955, 6), dt.date(2015, 6, 30), dt.date(2015, 7, 1)),   # before the roadmap: 60
        ("F", (1985, 2), dt.date(2045, 2, 28), dt.date(2045, 3, 1)),   # after it: 60
        ("M", (1980, 12), dt.date(2042, 12, 31), dt.date(2043, 1, 1)),  # after it: 62
    ],
)
def test_retirement_table(sex, born, retires, pension):
    r = retirement(sex=sex, rule=RULE, birth_date=dt.date(*born, 15))
    assert (r.retirement_date, r.pension_start) == (retires, pension)
    assert r.rule_set == "retirement-labor-code-2019"


def test_birth_year_only_takes_first_january():
    assert retirement(sex="M", rule=RULE, birth_year=1961).retirement_date == dt.date(2021, 4, 30)


def test_adjustments_move_the_age():
    normal = retirement(sex="M", rule=RULE, birth_date=dt.date(1970, 5, 1))
    reduced = retirement(sex="M", rule=RULE, birth_date=dt.date(1970, 5, 1), adjust_months=-60)
    extended = retirement(sex="M", rule=RULE, birth_date=dt.date(1970, 5, 1), adjust_months=60)
    assert normal.retirement_date == dt.date(2032, 5, 31)
    assert reduced.retirement_date == dt.date(2026, 11, 30)  # 2026 demands 61y6m − 5y = 56y6m
    assert extended.retirement_date == dt.date(2037, 5, 31)


@pytest.mark.parametrize(
    ("value", "sex", "year", "ok"),
    [
        ("001085012345", "M", 1985, True),
        ("001185012345", "F", 1985, True),
        ("079203012345", "M", 2003, True),
        ("001085012345", "F", 1985, False),   # sex digit
        ("001085012345", "M", 1986, False),   # birth year
        ("097085012345", "M", 1985, False),   # no such province
        ("00108501234", "M", 1985, False),    # 11 digits
        ("00108501234X", "M", 1985, False),
    ],
)
def test_citizen_id(value, sex, year, ok):
    assert (citizen_id_problems(value, sex=sex, birth_year=year) == []) is ok


def test_mask():
    assert mask_citizen_id("001085012345") == "001******345"
