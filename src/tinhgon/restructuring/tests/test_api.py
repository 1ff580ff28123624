"""REST API of restructuring plans: endpoints, roles, refusals with their violations."""

import datetime as dt

import pytest
from django.urls import resolve

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Unit
from tinhgon.restructuring.models import Plan, Succession
from tinhgon.restructuring.services import operations_add, plan_create

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
MERGE = {"kind": "merge", "data": {"sources": ["00001", "00004"],
                                   "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}}}


@pytest.fixture
def users(tree):
    return {
        "viewer": make_user("api-viewer", role="viewer", scopes=[tree["01"]]),
        "organizer": make_user("api-org", role="organizer", scopes=[tree["01"]]),
        "leader": make_user("api-leader", role="leader", scopes=[tree["01"]]),
        "admin": make_user("api-admin", role="administrator"),
    }


@pytest.fixture
def plan(tree, users):
    return plan_create(name="Hà Nội 2025", effective_date=DAY, scope_path=tree["01"].path, user=users["organizer"])


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_list_retrieve_create_update(api_client, users, plan):
    c = as_user(api_client, users["organizer"])
    r = c.get("/api/plans/")
    assert r.status_code == 200 and r.json()["results"][0]["operation_count"] == 0
    r = c.post("/api/plans/", {"name": "Mới", "effective_date": "2025-07-01", "scope_code": "01"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "draft" and r.json()["scope_path"] == "01/"
    r = c.patch(f"/api/plans/{plan.pk}/", {"legal_basis": "NQ 1"}, format="json")
    assert r.status_code == 200 and r.json()["legal_basis"] == "NQ 1" and r.json()["scope_path"] == "01/"
    assert c.get(f"/api/plans/{plan.pk}/").json()["name"] == "Hà Nội 2025"


def test_organizer_may_not_create_a_national_plan(api_client, users):
    r = as_user(api_client, users["organizer"]).post(
        "/api/plans/", {"name": "Toàn quốc", "effective_date": "2025-07-01"}, format="json")
    assert r.status_code == 403


def test_viewer_is_refused_every_write(api_client, users, plan):
    c = as_user(api_client, users["viewer"])
    assert c.get(f"/api/plans/{plan.pk}/").status_code == 200
    assert c.post("/api/plans/", {"name": "X", "effective_date": "2025-07-01"}, format="json").status_code == 403
    assert c.post(f"/api/plans/{plan.pk}/operations/", MERGE, format="json").status_code == 403
    for act in ("validate", "approve", "apply", "revert"):
        assert c.post(f"/api/plans/{plan.pk}/{act}/").status_code == 403, act
    assert c.patch(f"/api/plans/{plan.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert not plan.operations.exists()


def test_operations_one_or_many(api_client, users, plan):
    c = as_user(api_client, users["organizer"])
    r = c.post(f"/api/plans/{plan.pk}/operations/", MERGE, format="json")
    assert r.status_code == 201 and r.json()[0]["seq"] == 1
    r = c.post(f"/api/plans/{plan.pk}/operations/", [
        {"kind": "dissolve", "data": {"code": "08974"}},
        {"kind": "transfer_power", "data": {"power": "p", "from": "08974", "to": "250"}}], format="json")
    assert r.status_code == 201 and [o["seq"] for o in r.json()] == [2, 3]
    r = c.get(f"/api/plans/{plan.pk}/operations/")
    assert r.json()["count"] == 3
    r = c.post(f"/api/plans/{plan.pk}/operations/", {"kind": "explode", "data": {}}, format="json")
    assert r.status_code == 400 and plan.operations.count() == 3


def test_validation_errors_come_back_as_a_list_with_codes(api_client, users, plan):
    operations_add(plan=plan, operations=[("rename", {"code": "99999", "name": "X"})])
    r = as_user(api_client, users["organizer"]).post(f"/api/plans/{plan.pk}/validate/")
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False and body["status"] == "draft"
    assert "unit_not_valid" in {v["code"] for v in body["violations"]}
    assert all({"code", "severity", "units", "message_vi", "message_en"} <= set(v) for v in body["violations"])


def test_applying_a_draft_is_400(api_client, users, plan):
    r = as_user(api_client, users["admin"]).post(f"/api/plans/{plan.pk}/apply/")
    assert r.status_code == 400 and "detail" in r.json() and r.json()["violations"] == []


def test_organizer_drafts_leader_approves_admin_reverts(api_client, users, plan):
    c = as_user(api_client, users["organizer"])
    c.post(f"/api/plans/{plan.pk}/operations/", MERGE, format="json")
    assert c.post(f"/api/plans/{plan.pk}/validate/").json()["valid"] is True
    assert c.post(f"/api/plans/{plan.pk}/approve/").status_code == 403
    c = as_user(api_client, users["leader"])
    r = c.post(f"/api/plans/{plan.pk}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert c.patch(f"/api/plans/{plan.pk}/", {"name": "Z"}, format="json").status_code == 403
    r = c.post(f"/api/plans/{plan.pk}/apply/")
    assert r.status_code == 200 and r.json()["plan"]["status"] == "applied" and r.json()["created"] == 1
    assert c.post(f"/api/plans/{plan.pk}/revert/").status_code == 403
    r = as_user(api_client, users["admin"]).post(f"/api/plans/{plan.pk}/revert/")
    assert r.status_code == 200 and r.json()["status"] == "reverted"
    assert as_user(api_client, users["admin"]).post(f"/api/plans/{plan.pk}/revert/").status_code == 400


def test_update_is_refused_once_approved(api_client, users, plan):
    operations_add(plan=plan, operations=[(MERGE["kind"], MERGE["data"])])
    c = as_user(api_client, users["admin"])
    c.post(f"/api/plans/{plan.pk}/validate/")
    c.post(f"/api/plans/{plan.pk}/approve/")
    r = c.patch(f"/api/plans/{plan.pk}/", {"name": "Z"}, format="json")
    assert r.status_code == 400
    assert Plan.objects.get(pk=plan.pk).name == "Hà Nội 2025"


@pytest.fixture
def applied(api_client, users, plan):
    c = as_user(api_client, users["admin"])
    c.post(f"/api/plans/{plan.pk}/operations/", MERGE, format="json")
    c.post(f"/api/plans/{plan.pk}/validate/")
    c.post(f"/api/plans/{plan.pk}/approve/")
    assert c.post(f"/api/plans/{plan.pk}/apply/").status_code == 200
    return plan


def test_report(api_client, users, applied):
    r = as_user(api_client, users["viewer"]).get(f"/api/plans/{applied.pk}/report/")
    assert r.status_code == 200
    body = r.json()
    assert sum(x["count"] for x in body["before"]) - sum(x["count"] for x in body["after"]) == 1
    assert body["new_units"][0]["code"] == "00001"
    assert {p["code"] for p in body["new_units"][0]["predecessors"]} == {"00001", "00004"}


def test_lineage_and_successions(api_client, users, applied, tree):
    c = as_user(api_client, users["viewer"])
    r = c.get(f"/api/units/{tree['00004'].pk}/lineage/")
    assert r.status_code == 200
    assert [e["successor"]["code"] for e in r.json()["became"]] == ["00001"]
    assert c.get("/api/units/999999/lineage/").status_code == 404
    r = c.get("/api/successions/", {"plan": applied.pk})
    assert r.json()["count"] == Succession.objects.filter(plan=applied).count() == 2
    new = Unit.objects.get(code="00001", valid_from=DAY)
    assert c.get("/api/successions/", {"successor": new.pk}).json()["count"] == 2
    assert c.get("/api/successions/", {"predecessor": tree["00004"].pk}).json()["count"] == 1


def test_resolve_route_is_not_caught_by_the_units_viewset():
    assert resolve("/api/units/resolve/").url_name == "unit-resolve"


def test_resolve_view(users, applied):
    from rest_framework.test import APIRequestFactory, force_authenticate

    from tinhgon.restructuring.api.views import UnitResolveView

    def get(params):
        request = APIRequestFactory().get("/api/units/resolve/", params)
        force_authenticate(request, users["viewer"])
        return UnitResolveView.as_view()(request)

    r = get({"q": "phuong truc bach, ba dinh, ha noi", "as_of": "2025-08-01"})
    assert r.status_code == 200, r.data
    first = r.data[0]
    assert first["matched"]["code"] == "00004" and first["current"][0]["code"] == "00001"
    assert get({"q": "x", "as_of": "not-a-date"}).status_code == 400
    assert get({}).status_code == 400


def test_resolve_over_http(api_client, users, applied):
    r = as_user(api_client, users["viewer"]).get("/api/units/resolve/", {"q": "truc bach", "as_of": "2025-08-01"})
    assert r.status_code == 200


def test_anonymous_gets_nothing(api_client, plan):
    assert api_client.get("/api/plans/").status_code in (401, 403)
