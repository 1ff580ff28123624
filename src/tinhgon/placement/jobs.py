"""A round over many units (the whole country) is created and solved in the background, with
progress; the services do the work with the same checks of role and scope."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core import jobs as core_jobs

KIND = "placement.round"


def in_background(scope_unit) -> bool:
    """A national round (no scope unit) runs as a job; so does any round when
    ``TINHGON_PLACEMENT_ALWAYS_JOB`` is set."""
    return scope_unit is None or bool(getattr(settings, "TINHGON_PLACEMENT_ALWAYS_JOB", False))


def start(*, plan, scope_unit, user, leave_date: dt.date | None = None):
    label = _("Placement after “%(plan)s” — %(scope)s") % {
        "plan": plan.name, "scope": scope_unit.name if scope_unit else _("whole country")}
    return core_jobs.job_start(
        kind=KIND, user=user, label=label,
        params={"plan": plan.pk, "scope_unit": scope_unit.pk if scope_unit else None,
                "leave_date": leave_date.isoformat() if leave_date else None},
        scope_path=scope_unit.path if scope_unit else "")


def run_round(ctx) -> dict:
    from tinhgon.apparatus.models import Unit
    from tinhgon.restructuring.models import Plan

    from . import services

    plan = Plan.objects.get(pk=ctx.params["plan"])
    scope = Unit.objects.get(pk=ctx.params["scope_unit"]) if ctx.params.get("scope_unit") else None
    leave = dt.date.fromisoformat(ctx.params["leave_date"]) if ctx.params.get("leave_date") else None
    ctx.progress(0, None, _("Gathering the units and candidates…"))
    rnd = services.round_create(plan=plan, scope_unit=scope, user=ctx.user, leave_date=leave,
                                progress=ctx.progress)
    s = rnd.stats
    return {"round": rnd.pk, "url": f"/placement/rounds/{rnd.pk}/",
            "message": _("%(placed)s of %(n)s placed in %(groups)s groups (%(sec)s s, solver %(solver)s s).")
            % {"placed": s["placed"], "n": s["candidates"], "groups": s["groups"], "sec": s["seconds"],
               "solver": s["solver_seconds"]}}


def register() -> None:
    core_jobs.register(KIND, run_round, label=gettext_lazy("Placement round"))
