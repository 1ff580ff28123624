"""Background job of the petitions app: hot-spot detection over a whole scope (started from the
hot-spot page, or in a terminal by ``tinhgon detect-hotspots``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tinhgon.core import jobs

KIND = "petitions.hotspots"


def run_detection(ctx) -> dict:
    from . import services

    roots = ctx.params.get("roots") or None
    window = ctx.params.get("window_days") or None
    ctx.progress(0, 1, str(_("Looking for hot spots")))
    with ctx.publishing():
        found = services.hotspots_detect(user=ctx.user, roots=roots, window_days=window)
    ctx.progress(1, 1, str(_("Done")))
    return {"hotspots": len(found)}


jobs.register(KIND, run_detection, label=_("Hot-spot detection"))
