"""The authorization tests build their world once per module and roll it back at the end."""

from __future__ import annotations

import tempfile

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two provinces with every kind of object (see ``world.py``), built once per module.

    The module runs inside one transaction that is rolled back at the end; each
    request or call of the tests runs in a savepoint of its own, rolled back too.
    """
    from .world import build_world

    with tempfile.TemporaryDirectory() as media, override_settings(
        MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ), django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter):
    from .report import lines

    for line in lines():
        terminalreporter.write_line(line)
