"""The party API: admission and transfer, bad input 400, the development rate."""

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.party.models import PartyMember

from .factories import member, organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tree, api_client):
    api_client.force_authenticate(make_user("hn-clerk", role="clerk", scopes=[tree["01"]]))
    api_client.orgs = {"a": organization("00001-CB1", tree["00001"]), "b": organization("00004-CB1", tree["00004"]),
                       "c": organization("26734-CB1", tree["26734"])}
    return api_client


def test_admit_transfer_and_history(api):
    o = api.orgs
    r = api.post("/api/party-members/", {"full_name": "Đỗ Văn Mới", "organization": o["a"].pk,
                                         "admission_date": "2026-01-15"}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api.post(f"/api/party-members/{pk}/transfer/", {"organization": o["b"].pk, "on": "2026-04-01"}, format="json")
    assert r.status_code == 200
    assert [m["organization_code"] for m in api.get(f"/api/party-members/{pk}/memberships/").json()] == [
        "00001-CB1", "00004-CB1"]
    r = api.post(f"/api/party-members/{pk}/transfer/", {"organization": o["c"].pk, "on": "2026-06-01"}, format="json")
    assert r.status_code == 403  # the organization it would go to lies outside the scope


def test_probation_ending_before_it_starts_answers_400(api):
    r = api.post("/api/party-members/", {"full_name": "Sai", "organization": api.orgs["a"].pk,
                                         "admission_date": "2026-01-15", "official_date": "2025-12-01"}, format="json")
    assert r.status_code == 400 and "official_date" in r.json()
    assert not PartyMember.objects.exists()


def test_development_rate(api):
    import datetime as dt

    member(api.orgs["a"], name="Cũ", admission=dt.date(2020, 1, 1))
    member(api.orgs["a"], name="Mới", admission=dt.date(2026, 3, 1), official=None)
    rows = {r["code"]: r for r in api.get("/api/party/development-rate/?year=2026").json()}
    assert rows["00001-CB1"]["new_members"] == 1 and rows["00001-CB1"]["rate"] == 1.0
    assert api.get("/api/party/development-rate/?year=abc").status_code == 400
    assert api.get("/api/party/development-rate/?unit=NOPE").status_code == 400
