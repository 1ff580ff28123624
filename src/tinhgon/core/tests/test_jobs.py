"""Background jobs: progress, staging and one publication, failure and cancel leave nothing."""

import threading

import pytest
from django.db import connection

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.services import unit_create
from tinhgon.core import jobs
from tinhgon.core.models import AuditEvent, Job, JobStage
from tinhgon.core.testing import D0

pytestmark = pytest.mark.django_db


def _create_units(ctx: jobs.Context) -> dict:
    """A small real job: checks N codes (progress, staged), then creates the units at once."""
    n = int(ctx.params["n"])
    for i in range(n):
        ctx.check_cancelled()
        ctx.stage([{"code": f"9{i:04d}", "name": f"Xã Thử {i}"}])
        ctx.progress(i + 1, n, f"checked {i + 1}")
        hook = ctx.params.get("hook")
        if hook:
            HOOKS[hook](ctx, i)
    with ctx.publishing():
        made = 0
        for p in ctx.staged():
            unit_create(code=p["code"], name=p["name"], kind="xa", parent_code="001", valid_from=D0)
            made += 1
            if ctx.params.get("fail_at") == made:
                raise RuntimeError("disk full")
    return {"created": made}


HOOKS: dict = {}


@pytest.fixture(autouse=True)
def _handler():
    jobs.register("test.create_units", _create_units, label="Create test units")
    yield
    jobs._HANDLERS.pop("test.create_units", None)


def start(user, **params):
    job = jobs.job_start(kind="test.create_units", user=user, params=params)
    jobs.job_run(job.pk)  # what the worker does
    job.refresh_from_db()
    return job


def test_a_job_reports_progress_and_publishes_once(tree, admin_user):
    job = start(admin_user, n=5)
    assert job.state == Job.SUCCEEDED and job.result == {"created": 5}
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert Unit.objects.filter(code__startswith="9").count() == 5
    assert not JobStage.objects.exists()
    kinds = list(AuditEvent.objects.filter(data__job=job.pk).values_list("kind", flat=True))
    assert sorted(kinds) == ["job.started", "job.succeeded"]
    ev = AuditEvent.objects.get(kind="job.succeeded")
    assert ev.user_id == admin_user.pk and ev.source == "job" and ev.request_id


def test_a_failure_while_publishing_leaves_nothing_written(tree, admin_user):
    job = start(admin_user, n=4, fail_at=3)
    assert job.state == Job.FAILED and "RuntimeError" in job.error
    assert not Unit.objects.filter(code__startswith="9").exists()
    assert not JobStage.objects.exists()


def test_a_refusal_carries_its_row_report(tree, admin_user):
    def refuse(ctx):
        raise jobs.JobFailed("The file has 1 error.", [{"row": 3, "column": "code", "message": "Unknown."}])

    jobs.register("test.refuse", refuse, label="Refuse")
    try:
        job = jobs.job_start(kind="test.refuse", user=admin_user)
        jobs.job_run(job.pk)
        job.refresh_from_db()
    finally:
        jobs._HANDLERS.pop("test.refuse")
    assert job.state == Job.FAILED and job.errors[0]["row"] == 3 and job.error == "The file has 1 error."


def test_cancel_a_queued_job_and_a_running_one(tree, admin_user):
    queued = jobs.job_start(kind="test.create_units", user=admin_user, params={"n": 3})
    jobs.job_cancel(job=queued, user=admin_user)
    jobs.job_run(queued.pk)  # the worker finds it cancelled: nothing runs
    queued.refresh_from_db()
    assert queued.state == Job.CANCELLED

    HOOKS["cancel"] = lambda ctx, i: Job.objects.filter(pk=ctx.job.pk).update(cancel_requested=True) if i == 1 else None
    job = start(admin_user, n=5, hook="cancel")
    assert job.state == Job.CANCELLED and not Unit.objects.filter(code__startswith="9").exists()
    assert not JobStage.objects.exists()


def test_others_cannot_cancel_and_outside_the_scope_cannot_see(tree, client):
    hn = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    hn2 = make_user("hn-viewer2", role="viewer", scopes=[tree["001"]])
    hcm = make_user("hcm-clerk", role="clerk", scopes=[tree["79"]])
    job = jobs.job_start(kind="test.create_units", user=hn, params={"n": 1})
    assert job.scope_path == tree["01"].path
    assert list(jobs.jobs_visible(hcm)) == [] and list(jobs.jobs_visible(hn)) == [job]
    assert list(jobs.jobs_visible(hn2)) == []  # a narrower scope does not hold the whole job
    client.force_login(hcm)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/cancel/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}/").status_code == 404
    client.force_login(hn)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "Create test units" in page.content.decode()
    r = client.get(f"/api/jobs/{job.pk}/")
    assert r.status_code == 200 and r.json()["state"] == "queued"
    assert client.post(f"/api/jobs/{job.pk}/cancel/").json()["state"] == "cancelled"


def test_progress_fragment_polls_until_the_end(tree, admin_user, client):
    job = jobs.job_start(kind="test.create_units", user=admin_user, params={"n": 2})
    client.force_login(admin_user)
    frag = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in frag
    jobs.job_run(job.pk)
    frag = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in frag and "100%" in frag
    assert "Create test units" in client.get("/jobs/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_progress_is_readable_and_others_write_while_a_job_runs(tree, admin_user):
    """The job stages in short transactions: mid-run, another connection reads its progress and writes."""
    reached, release = threading.Event(), threading.Event()

    def pause(ctx, i):
        if i == 2:
            reached.set()
            assert release.wait(30)

    HOOKS["pause"] = pause
    job = jobs.job_start(kind="test.create_units", user=admin_user, params={"n": 5, "hook": "pause"})
    errors = []

    def work():
        try:
            jobs.job_run(job.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    t = threading.Thread(target=work)
    t.start()
    try:
        assert reached.wait(30)
        mid = Job.objects.get(pk=job.pk)
        assert mid.state == Job.RUNNING and mid.done >= 1 and mid.total == 5
        assert JobStage.objects.filter(job=job).count() == 3
        unit_create(code="88888", name="Xã Viết Song Song", kind="xa", parent_code="001", valid_from=D0)
        assert not Unit.objects.filter(code__startswith="9").exists()  # nothing published yet
    finally:
        release.set()
        t.join(60)
    assert not errors
    job.refresh_from_db()
    assert job.state == Job.SUCCEEDED and Unit.objects.filter(code__startswith="9").count() == 5
    assert Unit.objects.filter(code="88888").exists()
