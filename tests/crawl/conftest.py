"""The crawler's world: the state ``make run`` leaves, built once for the module, and two users."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.testing import run_state


def pytest_terminal_summary(terminalreporter):
    """The crawl's figures (the tests' ``crawl`` properties), whether they passed or not."""
    lines = [value for key in ("passed", "failed") for report in terminalreporter.stats.get(key, [])
             if report.when == "call" for name, value in report.user_properties if name == "crawl"]
    if lines:
        terminalreporter.write_sep("-", "crawl")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def make_run_world(django_db_setup, django_db_blocker):
    """An administrator and a viewer scoped to Hà Nội (the current version of unit code "01")
    over the ``make run`` state, plus what a new user does first: a draft plan for Hà Nội (so
    the pages of a draft plan are crawled too). Rolled back when the module ends."""
    with run_state(django_db_blocker):
        from tinhgon.apparatus.selectors import unit_for_code
        from tinhgon.restructuring.services import plan_create

        hanoi = unit_for_code("01")
        admin = make_user("crawl-admin", role="administrator", is_superuser=True)
        plan_create(name="Phương án thử", effective_date=dt.date(2026, 1, 1), scope_path=hanoi.path, user=admin)
        yield SimpleNamespace(admin=admin, viewer=make_user("crawl-viewer", role="viewer", scopes=[hanoi]))
