"""The pages under hostile query strings: no server error, whatever the address bar holds.

Every page that answers GET — lists, reports, exports, detail pages of real records — is
requested about 20 times as an administrator and as an organizer scoped to Hà Nội, with a
few query parameters the app reads (its filter sets' fields and the parameters views read
themselves) set to generated values: numbers beyond 64 bits, dates of year 1 or 9999, NUL
bytes, text, empty strings.  Each request runs in a transaction rolled back afterwards.

Run: ``.venv/bin/pytest -m fuzz -p no:cacheprovider`` (``.ci/run`` does, on both databases).
"""

from __future__ import annotations

import os

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("TINHGON_FUZZ_EXAMPLES", "20"))
# The same examples on every run, so that CI fails on a change, not on a draw; set
# TINHGON_FUZZ_RANDOM=1 to explore new ones (a failure prints how to reproduce it).
DERANDOMIZE = os.environ.get("TINHGON_FUZZ_RANDOM") != "1"

# (URL name, which record of the world its id is, or a fixed argument)
PAGES = [
    ("home", None), ("accounts:me", None), ("accounts:user_list", None), ("accounts:unit_picker", None),
    ("accounts:unit_chip", None), ("accounts:user", "users"),
    ("apparatus:tree", None), ("apparatus:tree_children", {"code": "01"}), ("apparatus:unit_list", None),
    ("apparatus:unit_export", None), ("apparatus:unit", "units"), ("apparatus:unit_tree", "units"),
    ("apparatus:unit_create", None), ("apparatus:position_list", None), ("apparatus:position", "positions"),
    ("apparatus:quota_list", None), ("apparatus:quota", "payroll-quotas"), ("apparatus:roadmap", None),
    ("apparatus:coverage", None), ("apparatus:import_units", None),
    ("restructuring:plan_list", None), ("restructuring:plan", "plans"), ("restructuring:plan_report", "plans"),
    ("restructuring:violations_export", "plans"), ("restructuring:operation_form", "plans"),
    ("restructuring:resolve", None), ("restructuring:unit_lineage", "units"),
    ("cadres:cadre_list", None), ("cadres:retiring", None), ("cadres:cadre", "cadres"),
    ("cadres:cadre_edit", "cadres"), ("cadres:cadre_import", None),
    ("core:change_list", None), ("core:job_list", None),
]
PARAMS = sorted({
    # filter sets
    "as_of", "level", "kind", "q", "parent", "code", "within", "unit", "unit_code", "is_leadership", "year",
    "category", "sex", "age_from", "age_under", "education_min", "political_theory_min", "state_management_min",
    "pool_title", "pool_term", "party_member", "retiring_within_months", "on", "status", "effective_from",
    "effective_to", "role", "is_active", "scope", "plan", "predecessor", "successor",
    # read by views themselves
    "page", "count", "export", "months", "all", "job", "model", "user", "state", "vcode", "vq", "vseverity",
    "baseline_year", "target_year", "section",
})
HUGE = "99999999999999999999"
VALUES = st.one_of(
    st.sampled_from([HUGE, f"-{HUGE}", "9223372036854775808", "0", "-1", "1", "1.5", "1e999", "NaN", "",
                     "0001-01-01", "9999-12-31", "1899-12-31", "2000-01-01", "2025-02-30", "31/12/2024",
                     "\x00", "a\x00b", "%", "_", "'", "true", "xlsx", "exact", "01", "00001", "79"]),
    st.integers().map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=12),
)
QUERIES = st.dictionaries(st.sampled_from(PARAMS), VALUES, min_size=1, max_size=4)


def _url(world, name, arg, pick: int) -> str:
    if arg is None:
        return reverse(name)
    if isinstance(arg, dict):
        return reverse(name, kwargs=arg)
    pool = world["ids"][arg]
    key = "unit_id" if name == "restructuring:unit_lineage" else "pk"
    return reverse(name, kwargs={key: pool[pick % len(pool)]})


@pytest.fixture
def page_client(world, actor):
    client = Client(raise_request_exception=False)
    client.force_login(world["users"][actor])
    return client


@pytest.mark.parametrize(("name", "arg"), PAGES, ids=[p[0] for p in PAGES])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=QUERIES, pick=st.integers(min_value=0, max_value=50))
def test_no_server_error(page_client, world, name, arg, query, pick):
    url = _url(world, name, arg, pick)
    with transaction.atomic():
        response = page_client.get(url, query)
        transaction.set_rollback(True)
    assert response.status_code < 500, f"{response.status_code} on GET {url} {query!r}"
