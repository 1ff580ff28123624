"""Background job of the assessment: computing a cycle's results (started from the cycle page or
``POST /api/assessment/cycles/{id}/compute/``), with its progress."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tinhgon.core import jobs

KIND = "assessment.compute"


def run_compute(ctx) -> dict:
    from . import services
    from .models import Cycle

    cycle = Cycle.objects.get(pk=ctx.params["cycle"])
    labels = {"cadres": _("Reading the people of the scope"), "tasks": _("Counting the tasks of the period"),
              "units": _("Ranking the units"), "discipline": _("Reading disciplines"),
              "points": _("Computing the points"), "classify": _("Classifying with the cap"), "done": _("Writing")}

    def progress(done, total, message):
        ctx.check_cancelled()
        ctx.progress(done, total, str(labels.get(message, message)))

    out = services.cycle_compute(user=ctx.user, cycle=cycle, progress=progress, publish=ctx.publishing)
    ctx.progress(1, 1, str(_("Done")))
    return out


jobs.register(KIND, run_compute, label=_("Assessment: compute a cycle"))
