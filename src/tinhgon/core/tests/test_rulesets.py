import datetime as dt

import pytest

from tinhgon.core.models import RuleSet
from tinhgon.core.rulesets import NoRuleSet, rule_set_for

pytestmark = pytest.mark.django_db


def test_shipped_rule_sets_are_written_after_migrate():
    row = RuleSet.objects.get(code="payroll-roadmap-2022-2026")
    assert row.shipped and row.parameters["min_reduction"] == 0.05
    assert "40-KL/TW" in row.legal_basis


def test_rule_set_chosen_by_date_and_newer_one_wins():
    assert rule_set_for("payroll_roadmap", dt.date(2024, 5, 1)).code == "payroll-roadmap-2022-2026"
    RuleSet.objects.create(
        kind="payroll_roadmap", code="payroll-roadmap-2026-2030", name="Lộ trình 2026–2030",
        legal_basis="(giả định)", valid_from=dt.date(2026, 1, 1),
        parameters={"baseline_year": 2026, "target_year": 2030, "min_reduction": 0.1},
    )
    assert rule_set_for("payroll_roadmap", dt.date(2025, 12, 31)).code == "payroll-roadmap-2022-2026"
    chosen = rule_set_for("payroll_roadmap", dt.date(2027, 1, 1))
    assert chosen.code == "payroll-roadmap-2026-2030" and chosen.parameters["min_reduction"] == 0.1
    assert rule_set_for("payroll_roadmap", dt.date(2027, 1, 1), code="payroll-roadmap-2022-2026").parameters[
        "target_year"] == 2026


def test_no_rule_set_is_a_clear_error():
    with pytest.raises(NoRuleSet):
        rule_set_for("payroll_roadmap", dt.date(2000, 1, 1))
