"""Background jobs in the pages: "my jobs", one job with its live progress, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import jobs
from .models import Job


def _job_or_404(user, pk: int) -> Job:
    return get_object_or_404(jobs.jobs_visible(user).select_related("user"), pk=pk)


@login_required
def job_list(request):
    qs = jobs.jobs_visible(request.user).select_related("user")
    mine = request.GET.get("all") != "1"
    if mine:
        qs = qs.filter(user=request.user)
    state = request.GET.get("state", "")
    if state in dict(Job.STATES):
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page, "mine": mine, "state": state, "states": Job.STATES})


@login_required
def job_detail(request, pk: int):
    job = _job_or_404(request.user, pk)
    return render(request, "core/job_detail.html", {"job": job, "may_cancel": jobs.job_may_cancel(request.user, job)})


def job_start_response(request, job: Job):
    """Where a page goes once it started a job: the job's page, which shows the progress and,
    at the end, the file to download."""
    messages.info(request, _("Started in the background: the file is ready to download here when the job ends."))
    return redirect("core:job", job.pk)


@login_required
def job_progress(request, pk: int):
    """The progress fragment a page polls (HTMX) until the job ends."""
    job = _job_or_404(request.user, pk)
    response = render(request, "core/partials/job_progress.html",
                      {"job": job, "may_cancel": jobs.job_may_cancel(request.user, job)})
    htmx = getattr(request, "htmx", None)
    if job.finished and htmx and htmx.current_url_abs_path == reverse("core:job", args=[job.pk]):
        response["HX-Refresh"] = "true"  # the job's own page: its details and buttons change too
    return response


def job_errors_response(job: Job):
    """The row report of a refused job as a workbook (404 when it has none)."""
    from django.http import Http404

    from .exports import xlsx_response
    from .tabular import errors_workbook

    if not job.errors:
        raise Http404
    return xlsx_response(f"loi-{job.kind.replace('.', '-')}-{job.pk}.xlsx", errors_workbook(job.errors, job.input_name))


@login_required
def job_errors(request, pk: int):
    return job_errors_response(_job_or_404(request.user, pk))


def job_output_response(user, job: Job):
    """The file a job wrote, for the user who started it only (404 to anyone else), never cached."""
    from django.http import FileResponse

    from .audit import audit_event

    stored = jobs.job_output_for(user, job)
    response = FileResponse(stored.open("rb"), as_attachment=True, filename=job.output_name or "export")
    response["Cache-Control"] = "no-store, private"
    audit_event(kind="job.output_downloaded", message=job.output_name, user=user, data={"job": job.pk})
    return response


@login_required
@require_GET
def job_output(request, pk: int):
    return job_output_response(request.user, _job_or_404(request.user, pk))


@login_required
@require_POST
def job_cancel(request, pk: int):
    """Cancel a job; someone who may see it but did not start it (nor administers) gets 403."""
    job = _job_or_404(request.user, pk)
    try:
        jobs.job_cancel(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Cancellation requested: the job stops at its next step and writes nothing."))
    return redirect("core:job", job.pk)


# Kit for pages that start a job -----------------------------------------------------------------


def job_in_query(request, *, kind: str | None = None) -> Job | None:
    """The job named by ``?job=<id>`` that the user may see (a page shows its progress)."""
    raw = request.GET.get("job", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    qs = jobs.jobs_visible(request.user).filter(pk=int(raw))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.first()


def recent_jobs(request, kind: str, n: int = 5, *, besides: Job | None = None):
    """The user's latest jobs of ``kind`` but ``besides`` (an import page lists them under the one it shows)."""
    qs = Job.objects.filter(user=request.user, kind=kind)
    if besides is not None:
        qs = qs.exclude(pk=besides.pk)
    return list(qs.order_by("-created_at", "-id")[:n])


def start_upload_job(request, *, kind: str, upload, label: str, params: dict | None = None):
    """Store the upload with a new job of ``kind``; the page then shows its progress."""
    return jobs.job_start(kind=kind, user=request.user, label=label, params=params or {}, fileobj=upload,
                          filename=upload.name)
