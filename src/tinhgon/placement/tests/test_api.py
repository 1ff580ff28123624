"""The API: a round created and solved, the proposal read, a pin refused then made, approve before
apply, the surplus with its estimates and missing inputs, the report."""

import pytest
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.placement.models import Candidate, Slot

from .factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(tree):
    c = APIClient()
    c.force_authenticate(make_user("hn-leader", role="leader", scopes=[tree["01"]]))
    return c


def test_round_workflow_over_the_api(api, tree):
    w = world(tree)
    r = api.post("/api/placement-rounds/", {"plan": w["plan"].pk, "scope": "01", "leave_date": "2025-09-01"},
                 format="json")
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["status"] == "proposed" and r.json()["progress"]["total"] == 6
    cands = api.get("/api/placement-candidates/", {"round": rid, "outcome": "placed"}).json()
    assert cands["count"] >= 4 if isinstance(cands, dict) else len(cands) >= 4
    nam = Candidate.objects.get(round=rid, cadre=w["nam"])
    chair = Slot.objects.get(round_unit__round=rid, round_unit__code="00001", title="Chủ tịch UBND")
    assert api.post(f"/api/placement-candidates/{nam.pk}/pin/", {"slot": chair.pk, "reason": ""},
                    format="json").status_code == 400
    r = api.post(f"/api/placement-candidates/{nam.pk}/pin/", {"slot": chair.pk, "reason": "Chỉ đạo"}, format="json")
    assert r.status_code == 200 and r.json()["pinned"]
    assert api.post(f"/api/placement-rounds/{rid}/apply/").status_code == 400  # not approved
    assert api.post(f"/api/placement-rounds/{rid}/solve/").status_code == 200
    son = Candidate.objects.get(round=rid, cadre=w["son"])
    api.post(f"/api/placement-candidates/{son.pk}/exclude/", {"reason": "Xin nghỉ"}, format="json")
    mai = Candidate.objects.get(round=rid, cadre=w["mai"])
    api.post(f"/api/placement-candidates/{mai.pk}/exclude/", {"reason": "Xin nghỉ"}, format="json")
    surplus = api.get(f"/api/placement-rounds/{rid}/surplus/").json()
    by_name = {row["candidate"]["full_name"]: row for row in surplus}
    assert by_name["Phạm Văn Sơn"]["estimates"][0]["amount"] > 0
    assert by_name["Hoàng Thị Mai"]["estimates"][0]["missing"] == ["salary", "insured_months"]
    assert by_name["Hoàng Thị Mai"]["estimates"][0]["amount"] is None
    r = api.post(f"/api/placement-rounds/{rid}/approve/", {"decision_number": "", "decision_date": None},
                 format="json")
    assert r.status_code == 400
    r = api.post(f"/api/placement-rounds/{rid}/approve/", {"decision_number": "15/QĐ-UBND",
                                                           "decision_date": "2025-08-01"}, format="json")
    assert r.json()["status"] == "approved"
    assert api.post(f"/api/placement-rounds/{rid}/apply/").json()["status"] == "applied"
    r = api.post(f"/api/placement-rounds/{rid}/close/")
    assert r.status_code == 400 and "Nobody may be lost" in str(r.json()) or "Không" in str(r.json())
    rep = api.get(f"/api/placement-rounds/{rid}/report/").json()
    assert rep["progress"]["undecided"] == 2
    assert api.get("/api/placement-events/", {"round": rid}).status_code == 200
