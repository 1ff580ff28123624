"""A malformed or out-of-range id in a placement URL is a 404, never a server error."""

import pytest
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999999"


@pytest.mark.parametrize("method, url", [
    ("post", "/api/placement-candidates/null,null/pin/"),
    ("post", f"/api/placement-candidates/{HUGE}/exclude/"),
    ("post", f"/api/placement-posts/{HUGE}/set-count/"),
    ("post", "/api/placement-rounds/1e3/solve/"),
    ("get", f"/api/placement-rounds/{HUGE}/report/"),
    ("get", "/api/placement-rounds/null/surplus/"),
    ("get", "/api/placement-units/-1/"),
    ("get", "/api/placement-events/x/"),
])
def test_bad_ids_are_not_found(db, method, url):
    client = APIClient()
    client.force_authenticate(make_user("placement-admin", role="administrator"))
    response = getattr(client, method)(url, {}, format="json")
    assert response.status_code == 404, (url, response.status_code)
