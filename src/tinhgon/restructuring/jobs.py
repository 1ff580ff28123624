"""Validating and applying large plans in the background (the national plan has thousands of
operations): the plan page starts a job and shows its progress; the services do the work,
with the same checks of role and scope as when called directly."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core import jobs as core_jobs

from .models import Plan

BACKGROUND = ("validate", "apply")
KINDS = {"validate": "restructuring.validate", "apply": "restructuring.apply"}


def in_background(plan: Plan) -> bool:
    """Plans with at least ``TINHGON_PLAN_JOB_MIN_OPERATIONS`` operations (default 100) run as jobs;
    smaller ones answer at once."""
    threshold = int(getattr(settings, "TINHGON_PLAN_JOB_MIN_OPERATIONS", 100))
    return plan.operations.count() >= threshold


def doing(action: str) -> str:
    return {"validate": _("validated"), "apply": _("applied")}[action]


def start(*, plan: Plan, action: str, user):
    label = {"validate": _("Validate the plan “%(name)s”"), "apply": _("Apply the plan “%(name)s”")}[action]
    return core_jobs.job_start(kind=KINDS[action], user=user, label=label % {"name": plan.name},
                               params={"plan": plan.pk}, scope_path=plan.scope_path)


def run_validate(ctx) -> dict:
    from . import services

    plan = Plan.objects.get(pk=ctx.params["plan"])
    n = plan.operations.count()
    ctx.progress(0, n, _("Validating %(n)s operations…") % {"n": f"{n:,}"})
    found = services.plan_validate(plan=plan, user=ctx.user)
    errors = sum(1 for f in found if f["severity"] == "error")
    message = (_("%(e)s errors among %(n)s findings; the plan stays a draft.") if errors
               else _("Valid: %(n)s findings, no error."))
    return {"plan": plan.pk, "findings": len(found), "errors": errors, "message": message % {"e": errors, "n": len(found)}}


def run_apply(ctx) -> dict:
    from . import services

    plan = Plan.objects.get(pk=ctx.params["plan"])
    n = plan.operations.count()
    ctx.progress(0, n, _("Applying %(n)s operations…") % {"n": f"{n:,}"})
    app = services.plan_apply(plan=plan, user=ctx.user)
    return {"plan": plan.pk, "ended": len(app.ended), "created": len(app.created),
            "message": _("%(ended)s versions ended, %(created)s created.")
            % {"ended": len(app.ended), "created": len(app.created)}}


def register() -> None:
    core_jobs.register(KINDS["validate"], run_validate, label=gettext_lazy("Validate a plan"))
    core_jobs.register(KINDS["apply"], run_apply, label=gettext_lazy("Apply a plan"))
