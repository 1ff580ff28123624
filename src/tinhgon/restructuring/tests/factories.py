"""Restructuring plans for tests, made through the plan services."""

from __future__ import annotations

import datetime as dt

import factory

from tinhgon.restructuring.models import Plan


class PlanFactory(factory.Factory):
    """``PlanFactory(operations=[("rename", {...})], scope_path="01/")``: a draft plan with its operations."""

    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Phương án thử {n}")
    effective_date = dt.date(2025, 7, 1)
    legal_basis = "Nghị quyết thử"
    scope_path = ""
    operations = ()
    user = None

    @classmethod
    def _create(cls, model_class, *, operations, user, **fields):
        from tinhgon.restructuring.services import operations_add, plan_create

        plan = plan_create(user=user, **fields)
        if operations:
            operations_add(plan=plan, operations=list(operations), user=user)
        return plan
