"""The API: the workflow as action endpoints, bad input answered 400 in English with nothing
written, and the scope (404 outside, the inspected unit reading once concluded)."""

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres.models import Discipline
from tinhgon.inspection.models import Inspection, Measure, Recommendation

from .factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(tree, api_client):
    w = world(tree)
    w["tree"] = tree
    api_client.force_authenticate(make_user("hn-inspector", role="inspector", scopes=[tree["01"]]))
    w["api"] = api_client
    return w


def _concluded(w, **extra):
    api = w["api"]
    r = api.post("/api/inspections/", {"commission": w["commission"].pk, "subject_unit": w["cell"].pk,
                                       "title": "Kiểm tra qua API", "start": "2026-03-02", "end": "2026-04-30",
                                       "activity": "supervision", "kind": "regular", **extra}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert api.post(f"/api/inspections/{pk}/start/", {"on": "2026-03-02"}, format="json").status_code == 200
    r = api.post(f"/api/inspections/{pk}/findings/", {"topic": "Sinh hoạt chi bộ", "severity": "minor",
                                                      "found_on": "2026-03-05"}, format="json")
    assert r.status_code == 201
    r = api.post(f"/api/inspections/{pk}/conclude/", {"on": "2026-04-01", "conclusion": "Có thiếu sót",
                                                      "violation": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "concluded"
    return pk


def test_workflow_through_the_api(w):
    pk = _concluded(w, subject_cadre=w["full"].pk)
    r = w["api"].post(f"/api/inspections/{pk}/measures/", {"cadre": w["full"].pk, "measure": "canh_cao",
                                                           "act_date": "2025-01-10", "decision_date": "2026-04-15",
                                                           "reason": "Vi phạm"}, format="json")
    assert r.status_code == 201, r.content
    assert Discipline.objects.get(cadre=w["full"]).measure == "canh_cao"
    r = w["api"].post(f"/api/inspections/{pk}/recommendations/", {"text": "Khắc phục", "owner_unit": w["cell"].pk,
                                                                  "due": "2026-05-01"}, format="json")
    assert r.status_code == 201
    rec = Recommendation.objects.get()
    r = w["api"].get("/api/recommendations/?overdue=1")
    assert r.status_code == 200
    w["api"].force_authenticate(make_user("px-clerk", role="clerk", scopes=[w["tree"]["00001"]]))  # the owner
    r = w["api"].post(f"/api/recommendations/{rec.pk}/report/", {"status": "done", "on": "2026-04-20",
                                                                 "result": "Đã khắc phục"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert w["api"].get("/api/inspection/early-warning/").status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    ({"measure": "cach_chuc", "cadre": "no_post"}, "measure"),
    ({"measure": "giai_tan", "cadre": "full"}, "measure"),
    ({"measure": "khien_trach", "cadre": "full", "act_date": "2019-01-01"}, "act_date"),
])
def test_bad_measures_answer_400(w, body, field):
    pk = _concluded(w)
    body = {**body, "cadre": w[body["cadre"]].pk}
    r = w["api"].post(f"/api/inspections/{pk}/measures/", {"act_date": "2025-10-01", "decision_date": "2026-04-15",
                                                           "reason": "x", **body}, format="json")
    assert r.status_code == 400 and field in r.json()
    assert not Measure.objects.exists() and not Discipline.objects.exists()


def test_recommendation_without_owner_answers_400(w):
    pk = _concluded(w)
    r = w["api"].post(f"/api/inspections/{pk}/recommendations/", {"text": "x", "due": "2026-05-01"}, format="json")
    assert r.status_code == 400 and "owner" in str(r.json())
    assert not Recommendation.objects.exists()


def test_other_provinces_do_not_find_it(w, api_client):
    pk = _concluded(w)
    api_client.force_authenticate(make_user("hcm", role="inspector", scopes=[w["tree"]["79"]]))
    assert api_client.get(f"/api/inspections/{pk}/").status_code == 404
    assert api_client.post(f"/api/inspections/{pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert Inspection.objects.get(pk=pk).status == "concluded"
