"""The task the worker runs for every background job (Django's task framework)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    """Run the job ``job_id`` (see :func:`tinhgon.core.jobs.job_run`)."""
    from .jobs import job_run

    job_run(job_id)
