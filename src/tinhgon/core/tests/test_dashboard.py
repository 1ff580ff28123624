"""The scope dashboard: panels registered by the apps, each counting inside the user's scopes."""

import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.services import payroll_quota_set
from tinhgon.cadres.services import assignment_create, cadre_create
from tinhgon.core import dashboard
from tinhgon.core.testing import D0

pytestmark = pytest.mark.django_db


def test_home_shows_the_panels_of_the_users_scope(tree, client, admin_user):
    c = cadre_create(full_name="Nguyễn Văn Sài Gòn", sex="M", birth_date=dt.date(1970, 1, 1),
                     citizen_id="079070000001")
    assignment_create(cadre=c, unit=tree["26734"], title="Chuyên viên", valid_from=D0)
    payroll_quota_set(unit=tree["26734"], year=2024, quota=40)
    hn = make_user("hn-viewer", scopes=[tree["01"]])
    client.force_login(hn)
    page = client.get("/").content.decode()
    assert 'id="panel-apparatus.units"' in page and "Thành phố Hà Nội" in page
    assert 'id="panel-cadres.summary"' not in page  # no cadre inside Hà Nội: the panel stays out
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert 'id="panel-cadres.summary"' in page


def test_every_panel_is_registered_once_and_in_order():
    keys = [p.key for p in dashboard.panels()]
    assert len(keys) == len(set(keys))
    assert {"apparatus.units", "restructuring.plans", "cadres.summary", "core.jobs"} <= set(keys)
