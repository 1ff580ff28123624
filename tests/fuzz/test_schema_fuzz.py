"""Schemathesis over the whole OpenAPI schema: no operation answers 5xx, whatever it is sent.

Every operation of ``/api/schema/`` (reads, writes, workflow actions and imports) gets
about 20 generated requests — valid ones and deliberately invalid ones — as an
administrator and as an organizer scoped to Hà Nội, against a throw-away database
holding a small apparatus with cadres, positions, quotas, holdings, plans and saved
searches.  Path ids point at those real records two times out of three (the third stays
whatever was generated, mostly a 404), so updates and actions reach the services.  Each
request runs in a transaction rolled back afterwards: every example sees the same data.

The answers must not be server errors, must use a status code and content type the
schema documents, and a JSON body must match the documented schema.

Run: ``.venv/bin/pytest -m fuzz -p no:cacheprovider`` (``.ci/run`` does, on both databases).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("TINHGON_FUZZ_EXAMPLES", "20"))
# The same examples on every run, so that CI fails on a change, not on a draw; set
# TINHGON_FUZZ_RANDOM=1 to explore new ones (a failure prints how to reproduce it).
DERANDOMIZE = os.environ.get("TINHGON_FUZZ_RANDOM") != "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema():
    with translation.override("en"):
        raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(scope="module", autouse=True)
def _one_connection():
    """Requests go through the WSGI handler, which closes the database connection when a request
    ends; the test's transaction lives on that connection, so keep it open (Django's test client
    does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _real_ids(case, ids: dict) -> None:
    """Two times out of three, point the path's ids at real records (chosen by the generated value)."""
    collection = case.operation.path.split("/")[2]
    for name, value in list((case.path_parameters or {}).items()):
        pool = ids.get(collection if name == "id" else name)
        if isinstance(value, int) and pool and value % 3:
            case.path_parameters[name] = pool[value % len(pool)]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_error(case, world, actor):
    from django.core.cache import cache

    _real_ids(case, world["ids"])
    cache.clear()  # the sign-in throttle counts in the cache
    with transaction.atomic():
        response = case.call(headers={"Authorization": f"Token {world['tokens'][actor]}"})
        transaction.set_rollback(True)
    case.validate_response(response, checks=CHECKS)
