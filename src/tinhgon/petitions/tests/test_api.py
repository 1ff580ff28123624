"""The REST API: intake, actions, contacts, similar matters, the deadline calculator, hot spots."""

import datetime as dt

import pytest

from tinhgon.core.models import ObjectChange
from tinhgon.petitions.models import HotSpot, Petition

from .factories import people, receive

pytestmark = pytest.mark.django_db


def test_deadline_calculator_stores_nothing(api_client, hn_clerk):
    api_client.force_authenticate(hn_clerk)
    before = ObjectChange.objects.count()
    r = api_client.get("/api/petitions/deadline/", {"kind": "complaint", "round": 1, "accepted": "2026-01-15",
                                                    "complexity": "normal", "remote": "false", "extensions": 0})
    assert r.status_code == 200, r.content
    assert r.json()["deadline"] == "2026-02-23" and r.json()["raw_last_day"] == "2026-02-14"
    assert r.json()["rule_set"] == "petitions-2011-2018"
    r = api_client.get("/api/petitions/deadline/", {"kind": "denunciation", "accepted": "2026-09-01",
                                                    "complexity": "especially_complex", "extensions": 2})
    assert r.json()["deadline"] == "2026-11-30" and r.json()["rule_set"] == "petitions-2026"
    for bad in ({"kind": "complaint", "accepted": "2026-09-01", "extensions": 1},
                {"kind": "denunciation", "accepted": "2026-09-01", "extensions": 1},
                {"kind": "complaint", "accepted": "2026-13-01"},
                {"kind": "petition", "accepted": "2026-09-01"},
                {"kind": "complaint"},
                {"kind": "complaint", "accepted": "2010-01-01"}):
        r = api_client.get("/api/petitions/deadline/", bad)
        assert r.status_code == 400, (bad, r.content)
    assert ObjectChange.objects.count() == before


def test_intake_actions_contacts_and_similar(api_client, tree, hn_clerk):
    api_client.force_authenticate(hn_clerk)
    body = {"kind": "complaint", "subject": "land", "title": "Khiếu nại thu hồi đất",
            "content": "Thu hồi đất nông nghiệp không đúng quy định", "place_text": "Phúc Xá, Ba Đình, Hà Nội",
            "received_on": "2026-03-02", "petitioners_in": [{"full_name": "Nguyễn Văn An"}]}
    r = api_client.post("/api/petitions/", body, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["code"] == "KN-2026-000001" and r.json()["place"]["code"] == "00001"
    bad = api_client.post("/api/petitions/", {**body, "place_text": "Xã Không Tồn Tại, Tỉnh Chẳng Có"}, format="json")
    assert bad.status_code == 400 and "place_text" in bad.json()
    bad = api_client.post("/api/petitions/", {**body, "round": 2}, format="json")
    assert bad.status_code == 400 and "first_round" in bad.json()
    assert Petition.objects.count() == 1
    r = api_client.post(f"/api/petitions/{pk}/accept/", {"on": "2026-03-03"}, format="json")
    assert r.status_code == 200 and r.json()["deadline"] == "2026-04-02"
    r = api_client.post(f"/api/petitions/{pk}/extend/", {"reason": "x"}, format="json")
    assert r.status_code == 400
    r = api_client.post(f"/api/petitions/{pk}/contacts/", {"on": "2026-03-10", "people": 4}, format="json")
    assert r.status_code == 201 and r.json()["is_repeat"]
    assert len(api_client.get(f"/api/petitions/{pk}/contacts/").json()) == 2
    r = api_client.get("/api/petitions/similar/", {"text": "thu hoi dat nong nghiep", "unit": "00001"})
    assert r.status_code == 200 and r.json()[0]["code"] == "KN-2026-000001"
    assert api_client.get("/api/petitions/similar/", {"text": "x", "unit": "zzz"}).status_code == 400
    r = api_client.post(f"/api/petitions/{pk}/conclude/", {"conclusion": ""}, format="json")
    assert r.status_code == 400
    r = api_client.post(f"/api/petitions/{pk}/close/", {}, format="json")
    assert r.status_code == 400
    r = api_client.post(f"/api/petitions/{pk}/conclude/", {"conclusion": "Đúng một phần", "on": "2026-03-20"},
                        format="json")
    assert r.status_code == 200 and r.json()["status"] == "concluded"


def test_foreign_matters_are_404(api_client, tree, hn_clerk, hcm_clerk):
    p = receive(user=hn_clerk)
    api_client.force_authenticate(hcm_clerk)
    assert api_client.get(f"/api/petitions/{p.pk}/").status_code == 404
    assert api_client.post(f"/api/petitions/{p.pk}/accept/", {}, format="json").status_code == 404
    assert api_client.get(f"/api/petitions/{p.pk}/contacts/").status_code == 404


def test_hotspots_api(api_client, tree, hn_clerk):
    receive(user=hn_clerk, received_on=dt.date.today(), petitioners=people("A Một", "B Hai", reps=2), people=25)
    api_client.force_authenticate(hn_clerk)
    r = api_client.get("/api/hotspots/")
    assert r.status_code == 200 and r.json()["results"][0]["evidence"]["people"] == 25
    pk = r.json()["results"][0]["id"]
    r = api_client.post(f"/api/hotspots/{pk}/resolve/", {"resolution": "xong"}, format="json")
    assert r.status_code == 400  # no owner and plan yet
    assert HotSpot.objects.get(pk=pk).status == HotSpot.CANDIDATE
