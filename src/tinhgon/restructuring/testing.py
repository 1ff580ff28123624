"""Test helpers shared by the apps that build on restructuring."""

from __future__ import annotations

import datetime as dt

from .models import Plan
from .services import operations_add, plan_apply, plan_approve, plan_create, plan_validate


def applied_plan(on: dt.date, operations: list[tuple[str, dict]], *, name: str | None = None) -> Plan:
    """A plan with these operations, validated without errors, approved and applied."""
    plan = plan_create(name=name or f"plan {on}", effective_date=on)
    operations_add(plan=plan, operations=operations)
    errors = [f for f in plan_validate(plan=plan) if f["severity"] == "error"]
    assert not errors, errors
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    return plan
