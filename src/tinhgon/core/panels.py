"""Core's panel on the scope dashboard: the user's latest background jobs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import dashboard
from .models import Job


def jobs_panel(request) -> dict | None:
    recent = list(Job.objects.filter(user=request.user).order_by("-created_at", "-id")[:5])
    if not recent:
        return None
    return {"jobs": recent}


def register() -> None:
    dashboard.register(dashboard.Panel(key="core.jobs", title=_("My jobs"), template="core/panels/jobs.html",
                                       context=jobs_panel, order=90))
