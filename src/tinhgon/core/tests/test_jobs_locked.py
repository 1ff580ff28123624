"""A progress tick or a cancellation check that meets a busy SQLite table is skipped, never
fatal to the job; any other database error still is."""

import pytest
from django.db import OperationalError
from django.db.models import QuerySet

from tinhgon.core import jobs
from tinhgon.core.models import Job

pytestmark = pytest.mark.django_db


def _ctx(admin_user):
    job = jobs.job_start(kind=jobs.kinds()[0].kind, user=admin_user, label="x")
    return jobs.DbContext(Job.objects.get(pk=job.pk))


def test_a_locked_table_skips_the_tick(admin_user, monkeypatch):
    ctx = _ctx(admin_user)

    def locked(self, **kw):
        raise OperationalError("database table is locked: core_job")

    monkeypatch.setattr(QuerySet, "update", locked)
    ctx.progress(5, 10, "half")  # no error
    monkeypatch.setattr(QuerySet, "exists", lambda self: (_ for _ in ()).throw(
        OperationalError("database is locked")))
    ctx.check_cancelled()  # no error: asked again at the next check
    monkeypatch.undo()
    ctx.progress(6, 10, "again")  # the skipped tick did not hold the next one back
    assert Job.objects.get(pk=ctx.job.pk).done == 6


def test_other_errors_still_fail(admin_user, monkeypatch):
    ctx = _ctx(admin_user)

    def broken(self, **kw):
        raise OperationalError("no such column: done")

    monkeypatch.setattr(QuerySet, "update", broken)
    with pytest.raises(OperationalError):
        ctx.progress(5, 10)
