"""Overlaps (two units leading one function in one territory) and gaps."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors
from tinhgon.apparatus.models import Function, FunctionHolding, Power, PowerHolding
from tinhgon.apparatus.services import UnitInput, units_create
from tinhgon.core.testing import D0

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments(tree):
    rows = [
        UnitInput(code="01-SNV", name="Sở Nội vụ", kind="so-nganh", level="province", parent_code="01", valid_from=D0),
        UnitInput(code="01-STC", name="Sở Tài chính", kind="so-nganh", level="province", parent_code="01", valid_from=D0),
        UnitInput(code="79-SNV", name="Sở Nội vụ", kind="so-nganh", level="province", parent_code="79", valid_from=D0),
    ]
    return {u.code: u for u in units_create(rows=rows)}


def test_overlap_in_one_territory_only(tree, departments):
    home = Function.objects.create(code="home-affairs", name="Nội vụ")
    FunctionHolding.objects.create(unit=departments["01-SNV"], function=home, valid_from=D0)
    FunctionHolding.objects.create(unit=departments["01-STC"], function=home, valid_from=D0)
    FunctionHolding.objects.create(unit=departments["79-SNV"], function=home, valid_from=D0)
    # Communes leading a function each in their own territory do not overlap.
    land = Function.objects.create(code="land", name="Đất đai")
    FunctionHolding.objects.create(unit=tree["00001"], function=land, valid_from=D0)
    FunctionHolding.objects.create(unit=tree["00004"], function=land, valid_from=D0)
    overlaps = selectors.function_overlaps(dt.date(2024, 1, 1))
    assert len(overlaps) == 1
    assert overlaps[0].function_code == "home-affairs" and overlaps[0].territory_path == "01/"
    assert {u[1] for u in overlaps[0].units} == {"01-SNV", "01-STC"}
    # A holding that ended is not an overlap any more.
    FunctionHolding.objects.filter(unit=departments["01-STC"]).update(valid_to=dt.date(2023, 1, 1))
    assert selectors.function_overlaps(dt.date(2024, 1, 1)) == []


def test_gaps_for_required_functions_and_powers(tree, departments):
    home = Function.objects.create(code="home-affairs", name="Nội vụ", required_in_kinds=["thanh-pho-tw", "tinh"])
    FunctionHolding.objects.create(unit=departments["01-SNV"], function=home, valid_from=D0)
    power = Power.objects.create(code="approve-payroll", name="Giao biên chế", legal_basis="Luật TCCQĐP 2025",
                                 required_in_kinds=["thanh-pho-tw"])
    PowerHolding.objects.create(unit=tree["79"], power=power, valid_from=D0)
    gaps = {(g.kind, g.item_code, g.unit_code) for g in selectors.coverage_gaps(dt.date(2024, 1, 1))}
    assert gaps == {
        ("function", "home-affairs", "79"),  # Sở Nội vụ of 79 holds nothing yet
        ("function", "home-affairs", "26"),
        ("power", "approve-payroll", "01"),
    }
