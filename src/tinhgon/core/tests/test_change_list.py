"""The change log page shows each snapshot as JSON: null, true and false, accents kept."""

import pytest
from django.urls import reverse

from tinhgon.core import jobs

pytestmark = pytest.mark.django_db


def test_snapshots_read_as_json(client, admin_user):
    client.force_login(admin_user)
    jobs.job_start(kind=jobs.kinds()[0].kind, user=admin_user, label="Xuất hồ sơ", params={"a": None, "b": True})
    page = client.get(reverse("core:change_list"), {"model": "job"}).content.decode()
    assert "null" in page and "true" in page and "Xuất hồ sơ" in page
    assert "None" not in page and "True" not in page
