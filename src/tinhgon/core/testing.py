"""Helpers shared by the test suites of every app; this module imports no app.

Records of the apps come from each app's ``tests/factories.py`` (factory-boy, through the
services): ``accounts.tests.factories.make_user``, ``apparatus.tests.factories.make_tree``
and ``SMALL_TREE``, ``cadres.tests.factories.CadreFactory``, ``restructuring.tests.factories.PlanFactory``.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

D0 = dt.date(2020, 1, 1)


class _FailingHandler:
    """A successor handler whose ``apply`` raises: a failure in the middle of a plan's apply."""

    name = "zz-injected-fault"

    def validate(self, **kw):
        return []

    def apply(self, **kw):
        raise RuntimeError("injected failure")

    def revert(self, **kw):
        pass


class failing_successor_handler:  # noqa: N801 - used as a context manager
    """Register a handler that fails during apply, for the duration of the block."""

    def __enter__(self):
        from tinhgon.core import successors

        successors.register(_FailingHandler())
        return self

    def __exit__(self, *exc):
        from tinhgon.core import successors

        successors.unregister(_FailingHandler.name)
        return False


@contextmanager
def run_state(django_db_blocker):
    """The state ``make run`` leaves (``core.run_state``: the real apparatus, the demo data set,
    the 2025 plan applied, synthetic cadres), loaded into the test database by the very commands
    the Makefile runs, inside one transaction rolled back when the block ends.

    Use it from a module-scoped fixture: the state is built once per module that asks for it, so
    keep the tests that share it in one module (the page crawler does: once per database per
    run, about 20 s on SQLite). Each test inside still gets its own savepoint with ``db``.
    """
    from django.db import transaction
    from django.test import override_settings

    from tinhgon.core.run_state import load_run_state

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            django_db_blocker.unblock(), transaction.atomic():
        load_run_state(verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        try:
            yield
        finally:
            transaction.set_rollback(True)


def job_download(client, response):
    """Follow a page's or the API's answer that started a job (a redirect to the job's page, or
    a 202 with the job), run the job as the worker would, and download its file with ``client``.
    Returns ``(job, download response)``."""
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    if response.status_code == 202:
        pk = response.json()["id"]
        url = f"/api/jobs/{pk}/output/"
    else:
        assert response.status_code == 302, response.status_code
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        url = f"/jobs/{pk}/file/"
    jobs.job_run(pk)
    job = Job.objects.get(pk=pk)
    assert job.state == Job.SUCCEEDED, (job.state, job.error)
    return job, client.get(url)


def download_bytes(response) -> bytes:
    """The body of a (possibly streamed) file response."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
