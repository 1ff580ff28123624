"""REST API of the apparatus registry: filters, scoping, writes through services, change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus import services
from tinhgon.apparatus.models import (
    Function,
    FunctionHolding,
    Level,
    PayrollQuota,
    Position,
    Power,
    PowerHolding,
    Unit,
    UnitKind,
)
from tinhgon.core.models import ObjectChange, RuleSet

D0 = "2020-01-01"
PASSWORD = "Pw-for-tests-123"


def client_for(user) -> APIClient:
    """An API client signed in with the user's token (the way scripts use the API)."""
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def codes(response) -> list[str]:
    data = response.json()
    rows = data["results"] if isinstance(data, dict) else data
    return [r["code"] for r in rows]


def changes_of(model, **kw):
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model), **kw)


@pytest.fixture
def admin(admin_user):
    return client_for(admin_user)


@pytest.fixture
def hanoi_clerk(tree):
    return make_user("hn-clerk", role="clerk", scopes=[tree["01"]])


@pytest.fixture
def clerk(hanoi_clerk):
    return client_for(hanoi_clerk)


@pytest.fixture
def viewer(hanoi_viewer):
    return client_for(hanoi_viewer)


@pytest.fixture
def staffing(tree):
    """Positions and quotas in Hà Nội (01) and Hồ Chí Minh City (79)."""
    return {
        "hn_position": services.position_create(unit=tree["01"], title="Chủ tịch", is_leadership=True),
        "hcm_position": services.position_create(unit=tree["79"], title="Chủ tịch", is_leadership=True),
        "hn_quota": services.payroll_quota_set(unit=tree["01"], year=2022, quota=1000),
        "hn_quota_2026": services.payroll_quota_set(unit=tree["01"], year=2026, quota=940),
        "hcm_quota": services.payroll_quota_set(unit=tree["79"], year=2022, quota=2000),
        "hcm_quota_2026": services.payroll_quota_set(unit=tree["79"], year=2026, quota=1980),
    }


# Authentication ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/units/", "/api/positions/", "/api/levels/", "/api/payroll-roadmap/",
                                  "/api/coverage/", "/api/rule-sets/", "/api/function-holdings/"])
def test_anonymous_is_refused(tree, api_client, path):
    assert api_client.get(path).status_code in (401, 403)


def test_anonymous_cannot_write(tree, api_client):
    before = Unit.objects.count()
    r = api_client.post("/api/units/", {"code": "X1", "name": "X", "kind": "tinh", "valid_from": D0}, format="json")
    assert r.status_code in (401, 403)
    assert Unit.objects.count() == before


def test_token_auth(tree, admin_user):
    r = client_for(admin_user).get("/api/units/")
    assert r.status_code == 200
    assert r.json()["count"] == len(tree)


def test_bad_token_is_401(tree):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/units/").status_code == 401


def test_session_auth_read_and_write_logged(tree, hanoi_clerk, api_client):
    assert api_client.login(username="hn-clerk", password=PASSWORD)
    assert api_client.get("/api/units/").status_code == 200
    r = api_client.post("/api/positions/", {"unit": tree["001"].pk, "title": "Bí thư"}, format="json")
    assert r.status_code == 201, r.content
    entry = changes_of(Position, object_id=r.json()["id"], action="create").get()
    assert (entry.user_id, entry.user_name, entry.source) == (hanoi_clerk.pk, "hn-clerk", "api")


# Units: filters, pagination, tree navigation ------------------------------------------------------


def test_unit_fields(tree, admin):
    r = admin.get(f"/api/units/{tree['00001'].pk}/")
    assert r.status_code == 200
    body = r.json()
    assert {k: body[k] for k in ("code", "name", "level", "kind", "parent_code", "path", "depth",
                                 "valid_from", "valid_to")} == {
        "code": "00001", "name": "Phường Phúc Xá", "level": "commune", "kind": "phuong", "parent_code": "001",
        "path": "01/001/00001/", "depth": 2, "valid_from": D0, "valid_to": None}
    assert set(body) >= {"id", "short_name", "latitude", "longitude", "area_km2", "population", "source", "url"}
    assert body["url"].endswith(f"/api/units/{tree['00001'].pk}/")


@pytest.mark.parametrize(("query", "expected"), [
    ({"level": "province"}, {"01", "79", "26"}),
    ({"level": "commune"}, {"00001", "00004", "08974", "26734", "08866"}),
    ({"kind": "quan"}, {"001", "760"}),
    ({"q": "phuc xa"}, {"00001"}),
    ({"q": "PHÚC XÁ"}, {"00001"}),
    ({"q": "ba dinh"}, {"001"}),
    ({"parent": "001"}, {"00001", "00004"}),
    ({"within": "01"}, {"001", "00001", "00004", "250", "08974"}),
    ({"within": "01", "level": "commune"}, {"00001", "00004", "08974"}),
    ({"as_of": "2019-12-31"}, set()),
    ({"as_of": D0, "level": "district"}, {"001", "250", "760", "243"}),
])
def test_unit_filters(tree, admin, query, expected):
    r = admin.get("/api/units/", query)
    assert r.status_code == 200
    assert set(codes(r)) == expected
    assert r.json()["count"] == len(expected)


def test_unit_filter_as_of_sees_each_version(tree, admin):
    services.unit_change(unit=tree["001"], on=dt.date(2025, 7, 1), name="Phường Ba Đình")
    before = admin.get("/api/units/", {"as_of": "2025-06-30", "code": "001"}).json()["results"]
    after = admin.get("/api/units/", {"as_of": "2025-07-01", "code": "001"}).json()["results"]
    assert [u["name"] for u in before] == ["Quận Ba Đình"]
    assert before[0]["valid_to"] == "2025-07-01"  # exclusive end
    assert [u["name"] for u in after] == ["Phường Ba Đình"]
    assert admin.get("/api/units/", {"code": "001"}).json()["count"] == 2  # no as_of: the history


def test_unit_bad_filter_is_400(tree, admin):
    r = admin.get("/api/units/", {"as_of": "30/06/2025"})
    assert r.status_code == 400 and "as_of" in r.json()
    r = admin.get("/api/units/", {"level": "galaxy"})
    assert r.status_code == 400 and "level" in r.json()


def test_pagination(tree, admin):
    r = admin.get("/api/units/", {"page_size": 5})
    body = r.json()
    assert body["count"] == len(tree) and len(body["results"]) == 5 and body["next"]
    last = admin.get("/api/units/", {"page_size": 5, "page": 3}).json()
    assert len(last["results"]) == len(tree) - 10 and last["next"] is None
    assert len(admin.get("/api/units/", {"page_size": 5000}).json()["results"]) == len(tree)


def test_children_ancestors_versions(tree, admin):
    hn = tree["01"].pk
    assert codes(admin.get(f"/api/units/{hn}/children/")) == ["001", "250"]
    assert codes(admin.get(f"/api/units/{hn}/children/", {"as_of": "2019-01-01"})) == []
    assert admin.get(f"/api/units/{hn}/children/").json()["count"] == 2
    assert codes(admin.get(f"/api/units/{tree['00001'].pk}/ancestors/")) == ["01", "001"]
    assert codes(admin.get(f"/api/units/{hn}/ancestors/")) == []
    assert codes(admin.get(f"/api/units/{hn}/versions/")) == ["01"]
    assert admin.get(f"/api/units/{hn}/children/", {"as_of": "yesterday"}).status_code == 400


def test_children_of_an_ended_version_default_to_its_start(tree, admin):
    new = services.unit_change(unit=tree["001"], on=dt.date(2021, 1, 1), name="Quận Ba Đình (2021)")
    old = tree["001"].pk
    services.unit_end(unit=tree["00004"], on=dt.date(2022, 1, 1))
    # the old version ended in 2021: its children are read on its own start date
    assert codes(admin.get(f"/api/units/{old}/children/")) == ["00001", "00004"]
    assert codes(admin.get(f"/api/units/{new.pk}/children/")) == ["00001"]
    assert [v["valid_from"] for v in admin.get(f"/api/units/{old}/versions/").json()] == [D0, "2021-01-01"]


# Units: writes --------------------------------------------------------------------------------------


def test_unit_create(tree, admin, admin_user):
    r = admin.post("/api/units/", {"code": "00007", "name": "Phường Cống Vị", "kind": "phuong",
                                   "parent_code": "001", "valid_from": D0}, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["path"], r.json()["level"]) == ("01/001/00007/", "commune")
    entry = changes_of(Unit, object_id=r.json()["id"], action="create").get()
    assert (entry.user_name, entry.source) == (admin_user.username, "api")


def test_unit_change_and_end(tree, admin, admin_user):
    r = admin.post(f"/api/units/{tree['001'].pk}/change/", {"on": "2025-07-01", "name": "Phường Ba Đình"},
                   format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["name"], r.json()["valid_from"]) == ("Phường Ba Đình", "2025-07-01")
    assert changes_of(Unit, user_name=admin_user.username, source="api", action="update").exists()
    versions = admin.get(f"/api/units/{r.json()['id']}/versions/").json()
    assert [(v["valid_from"], v["valid_to"]) for v in versions] == [(D0, "2025-07-01"), ("2025-07-01", None)]

    r = admin.post(f"/api/units/{tree['08974'].pk}/end/", {"on": "2025-07-01"}, format="json")
    assert r.status_code == 200 and r.json()["valid_to"] == "2025-07-01"


def test_unit_move_to_another_parent(tree, admin):
    r = admin.post(f"/api/units/{tree['08974'].pk}/change/", {"on": "2025-07-01", "parent_code": "001"},
                   format="json")
    assert r.status_code == 201, r.content
    assert r.json()["path"] == "01/001/08974/"


def test_units_have_no_put_patch_delete(tree, admin):
    url = f"/api/units/{tree['01'].pk}/"
    assert admin.put(url, {"name": "X"}, format="json").status_code == 405
    assert admin.patch(url, {"name": "X"}, format="json").status_code == 405
    assert admin.delete(url).status_code == 405


@pytest.mark.parametrize(("payload", "field"), [
    ({"code": "00007", "name": "Phường A", "kind": "no-such-kind", "parent_code": "001", "valid_from": D0}, "kind"),
    ({"code": "00007", "name": "", "kind": "phuong", "parent_code": "001", "valid_from": D0}, "name"),
    ({"code": "00007", "name": "Phường A", "kind": "phuong", "parent_code": "999", "valid_from": D0}, "parent_code"),
    ({"code": "bad code!", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": D0}, "code"),
    ({"code": "00007", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": "2020-13-01"},
     "valid_from"),
    ({"code": "00007", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": D0,
      "valid_to": "2019-01-01"}, "valid_to"),
    ({"code": "00001", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": D0}, "valid_from"),
    ({"code": "00007", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": "2019-01-01"},
     "parent_code"),
    ({"code": "00007", "name": "Phường A", "kind": "phuong", "parent_code": "001", "valid_from": D0,
      "population": -5}, "population"),
])
def test_unit_create_bad_input(tree, admin, payload, field):
    before = (Unit.objects.count(), ObjectChange.objects.count())
    r = admin.post("/api/units/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Unit.objects.count(), ObjectChange.objects.count()) == before


@pytest.mark.parametrize(("payload", "field"), [
    ({"on": "2019-01-01", "name": "X"}, "on"),
    ({"on": D0, "name": "X"}, "on"),
    ({"name": "X"}, "on"),
    ({"on": "2025-07-01"}, "name"),
    ({"on": "2025-07-01", "name": "  "}, "name"),
    ({"on": "2025-07-01", "kind": "no-such-kind"}, "kind"),
])
def test_unit_change_bad_input(tree, admin, payload, field):
    before = (Unit.objects.count(), ObjectChange.objects.count())
    r = admin.post(f"/api/units/{tree['001'].pk}/change/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Unit.objects.count(), ObjectChange.objects.count()) == before
    assert Unit.objects.get(pk=tree["001"].pk).valid_to is None


@pytest.mark.parametrize("parent", ["nowhere", "00001"])
def test_unit_change_bad_parent_changes_nothing(tree, admin, parent):
    before = (Unit.objects.count(), ObjectChange.objects.count())
    r = admin.post(f"/api/units/{tree['001'].pk}/change/", {"on": "2025-07-01", "parent_code": parent},
                   format="json")
    assert r.status_code == 400
    assert "parent_code" in r.json(), r.json()
    assert (Unit.objects.count(), ObjectChange.objects.count()) == before


@pytest.mark.parametrize(("code", "payload"), [
    ("08974", {"on": "2019-01-01"}),
    ("08974", {}),
    ("01", {"on": "2025-07-01"}),  # still has units below it
])
def test_unit_end_bad_input(tree, admin, code, payload):
    before = ObjectChange.objects.count()
    r = admin.post(f"/api/units/{tree[code].pk}/end/", payload, format="json")
    assert r.status_code == 400
    assert "on" in r.json()
    assert ObjectChange.objects.count() == before
    assert Unit.objects.get(pk=tree[code].pk).valid_to is None


# Scoping ------------------------------------------------------------------------------------------


def test_viewer_sees_all_structure(tree, viewer):
    assert viewer.get("/api/units/").json()["count"] == len(tree)
    assert viewer.get(f"/api/units/{tree['79'].pk}/").status_code == 200
    assert codes(viewer.get(f"/api/units/{tree['79'].pk}/children/")) == ["760"]


def test_viewer_sees_only_own_positions_and_quotas(tree, staffing, viewer):
    assert viewer.get(f"/api/positions/{staffing['hn_position'].pk}/").status_code == 200
    assert viewer.get(f"/api/positions/{staffing['hcm_position'].pk}/").status_code == 404
    assert viewer.get(f"/api/payroll-quotas/{staffing['hn_quota'].pk}/").status_code == 200
    assert viewer.get(f"/api/payroll-quotas/{staffing['hcm_quota'].pk}/").status_code == 404
    assert {p["unit_code"] for p in viewer.get("/api/positions/").json()["results"]} == {"01"}
    assert viewer.get("/api/payroll-quotas/").json()["count"] == 2
    assert viewer.get("/api/positions/", {"unit_code": "79"}).json()["count"] == 0


def test_viewer_cannot_write(tree, staffing, viewer):
    before = (Unit.objects.count(), Position.objects.count(), PayrollQuota.objects.count(), Level.objects.count())
    hn_pos = staffing["hn_position"].pk
    attempts = [
        viewer.post("/api/units/", {"code": "00007", "name": "A", "kind": "phuong", "parent_code": "001",
                                    "valid_from": D0}, format="json"),
        viewer.post(f"/api/units/{tree['001'].pk}/change/", {"on": "2025-07-01", "name": "A"}, format="json"),
        viewer.post(f"/api/units/{tree['08974'].pk}/end/", {"on": "2025-07-01"}, format="json"),
        viewer.post("/api/positions/", {"unit": tree["01"].pk, "title": "Phó Chủ tịch"}, format="json"),
        viewer.patch(f"/api/positions/{hn_pos}/", {"count": 3}, format="json"),
        viewer.delete(f"/api/positions/{hn_pos}/"),
        viewer.post("/api/payroll-quotas/", {"unit": tree["01"].pk, "year": 2023, "quota": 5}, format="json"),
        viewer.post("/api/levels/", {"code": "hamlet", "name": "Thôn", "rank": 3}, format="json"),
        viewer.post("/api/unit-kinds/", {"code": "thon", "name": "Thôn"}, format="json"),
        viewer.post("/api/rule-sets/", {"kind": "k", "code": "k1", "name": "K", "legal_basis": "L",
                                        "valid_from": D0}, format="json"),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert (Unit.objects.count(), Position.objects.count(), PayrollQuota.objects.count(),
            Level.objects.count()) == before


def test_clerk_writes_only_inside_scope(tree, staffing, clerk):
    before = (Unit.objects.count(), Position.objects.count(), PayrollQuota.objects.count())
    hcm_pos, hcm_quota = staffing["hcm_position"].pk, staffing["hcm_quota"].pk
    # objects of another scope do not exist for the clerk
    assert clerk.patch(f"/api/positions/{hcm_pos}/", {"count": 3}, format="json").status_code == 404
    assert clerk.delete(f"/api/positions/{hcm_pos}/").status_code == 404
    assert clerk.put(f"/api/payroll-quotas/{hcm_quota}/", {"unit": tree["79"].pk, "year": 2022, "quota": 1},
                     format="json").status_code == 404
    assert clerk.post(f"/api/units/{tree['760'].pk}/change/", {"on": "2025-07-01", "name": "A"},
                      format="json").status_code == 404
    # nor can the clerk create below a unit outside the scope, move a unit out, or create a top-level unit
    assert clerk.post("/api/positions/", {"unit": tree["79"].pk, "title": "Phó Chủ tịch"},
                      format="json").status_code == 403
    assert clerk.post("/api/payroll-quotas/", {"unit": tree["79"].pk, "year": 2023, "quota": 5},
                      format="json").status_code == 403
    assert clerk.patch(f"/api/positions/{staffing['hn_position'].pk}/", {"unit": tree["79"].pk},
                       format="json").status_code == 403
    assert clerk.post("/api/units/", {"code": "27000", "name": "Phường A", "kind": "phuong", "parent_code": "760",
                                      "valid_from": D0}, format="json").status_code == 403
    assert clerk.post("/api/units/", {"code": "99", "name": "Tỉnh A", "kind": "tinh", "valid_from": D0},
                      format="json").status_code == 403
    assert clerk.post(f"/api/units/{tree['08974'].pk}/change/", {"on": "2025-07-01", "parent_code": "760"},
                      format="json").status_code == 403
    assert clerk.post("/api/levels/", {"code": "hamlet", "name": "Thôn", "rank": 3},
                      format="json").status_code == 403
    assert (Unit.objects.count(), Position.objects.count(), PayrollQuota.objects.count()) == before
    # inside the scope it works
    assert clerk.post("/api/positions/", {"unit": tree["001"].pk, "title": "Chủ tịch"},
                      format="json").status_code == 201
    assert clerk.post(f"/api/units/{tree['08974'].pk}/end/", {"on": "2025-07-01"},
                      format="json").status_code == 200


# Positions and payroll quotas ------------------------------------------------------------------------


def test_position_crud_is_logged(tree, clerk, hanoi_clerk):
    r = clerk.post("/api/positions/", {"unit": tree["001"].pk, "title": " Phó Chủ tịch ", "count": 2},
                   format="json")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert (r.json()["title"], r.json()["unit_code"]) == ("Phó Chủ tịch", "001")
    r = clerk.patch(f"/api/positions/{pid}/", {"count": 3}, format="json")
    assert r.status_code == 200 and r.json()["count"] == 3
    r = clerk.put(f"/api/positions/{pid}/", {"unit": tree["250"].pk, "title": "Phó Chủ tịch UBND", "count": 1},
                  format="json")
    assert r.status_code == 200 and (r.json()["unit_code"], r.json()["count"]) == ("250", 1)
    assert clerk.delete(f"/api/positions/{pid}/").status_code == 204
    assert not Position.objects.filter(pk=pid).exists()
    log = changes_of(Position, object_id=pid)
    assert sorted(log.values_list("action", flat=True)) == ["create", "delete", "update", "update"]
    assert set(log.values_list("user_name", "source")) == {(hanoi_clerk.username, "api")}


def test_position_filters(tree, staffing, admin):
    assert admin.get("/api/positions/", {"unit_code": "79"}).json()["count"] == 1
    assert admin.get("/api/positions/", {"unit": tree["01"].pk}).json()["count"] == 1
    assert admin.get("/api/positions/", {"is_leadership": "true"}).json()["count"] == 2
    assert admin.get("/api/positions/", {"q": "chủ"}).json()["count"] == 2


@pytest.mark.parametrize(("payload", "field"), [
    ({"title": "Phó Chủ tịch", "count": 0}, "count"),
    ({"title": ""}, "title"),
    ({"unit": 999999, "title": "Phó Chủ tịch"}, "unit"),
    ({"unit": None, "title": "Phó Chủ tịch"}, "unit"),
    ({"title": "Chủ tịch"}, "title"),  # already exists in that unit
    ({"title": " Chủ tịch "}, "title"),
])
def test_position_create_bad_input(tree, staffing, admin, payload, field):
    payload = {"unit": tree["01"].pk, **payload}
    before = (Position.objects.count(), ObjectChange.objects.count())
    r = admin.post("/api/positions/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Position.objects.count(), ObjectChange.objects.count()) == before


def test_position_update_bad_input(tree, staffing, admin):
    pos = staffing["hn_position"]
    before = ObjectChange.objects.count()
    r = admin.patch(f"/api/positions/{pos.pk}/", {"count": 0}, format="json")
    assert r.status_code == 400 and "count" in r.json()
    services.position_create(unit=tree["01"], title="Phó Chủ tịch")
    before = ObjectChange.objects.count()
    r = admin.patch(f"/api/positions/{pos.pk}/", {"title": "Phó Chủ tịch"}, format="json")
    assert r.status_code == 400 and "title" in r.json()
    assert ObjectChange.objects.count() == before
    assert Position.objects.get(pk=pos.pk).title == "Chủ tịch"


def test_payroll_quota_set_update_delete(tree, clerk, hanoi_clerk):
    body = {"unit": tree["001"].pk, "year": 2023, "quota": 50, "decision": "QĐ 1/2023"}
    r = clerk.post("/api/payroll-quotas/", body, format="json")
    assert r.status_code == 201, r.content
    qid = r.json()["id"]
    assert r.json()["category"] == PayrollQuota.CIVIL_SERVANT
    r = clerk.post("/api/payroll-quotas/", {**body, "quota": 48}, format="json")  # same unit, year, category
    assert r.status_code == 200 and r.json()["id"] == qid and r.json()["quota"] == 48
    assert PayrollQuota.objects.filter(unit=tree["001"]).count() == 1
    r = clerk.patch(f"/api/payroll-quotas/{qid}/", {"quota": 47, "category": "public_employee"}, format="json")
    assert r.status_code == 200 and (r.json()["quota"], r.json()["category"]) == (47, "public_employee")
    assert clerk.get("/api/payroll-quotas/", {"category": "public_employee"}).json()["count"] == 1
    assert clerk.delete(f"/api/payroll-quotas/{qid}/").status_code == 204
    log = changes_of(PayrollQuota, object_id=qid)
    assert set(log.values_list("user_name", "source")) == {(hanoi_clerk.username, "api")}
    assert log.filter(action="delete").exists()


@pytest.mark.parametrize(("payload", "field"), [
    ({"year": 2023, "quota": -1}, "quota"),
    ({"year": 1900, "quota": 5}, "year"),
    ({"year": 2023}, "quota"),
    ({"year": 2023, "quota": 5, "category": "robots"}, "category"),
    ({"year": "soon", "quota": 5}, "year"),
])
def test_payroll_quota_bad_input(tree, staffing, admin, payload, field):
    payload = {"unit": tree["01"].pk, **payload}
    before = (PayrollQuota.objects.count(), ObjectChange.objects.count())
    r = admin.post("/api/payroll-quotas/", payload, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (PayrollQuota.objects.count(), ObjectChange.objects.count()) == before


def test_payroll_quota_update_bad_input(tree, staffing, admin):
    q = staffing["hn_quota"]
    before = ObjectChange.objects.count()
    r = admin.patch(f"/api/payroll-quotas/{q.pk}/", {"quota": -3}, format="json")
    assert r.status_code == 400 and "quota" in r.json()
    r = admin.patch(f"/api/payroll-quotas/{q.pk}/", {"year": 2026}, format="json")  # 2026 is taken
    assert r.status_code == 400 and "year" in r.json()
    assert ObjectChange.objects.count() == before
    assert PayrollQuota.objects.get(pk=q.pk).year == 2022


# Reports ----------------------------------------------------------------------------------------------


def test_payroll_roadmap(tree, staffing, admin, viewer):
    body = admin.get("/api/payroll-roadmap/").json()
    assert body["rule_set"]["code"] == "payroll-roadmap-2022-2026"
    assert body["rule_set"]["legal_basis"]
    assert (body["baseline_year"], body["target_year"], body["min_reduction"]) == (2022, 2026, 0.05)
    rows = {r["code"]: r for r in body["rows"]}
    assert rows["01"]["meets"] is True and rows["79"]["meets"] is False
    assert body["totals"]["baseline"] == 3000 and body["totals"]["target"] == 2920
    assert body["totals"]["meets"] is False
    # a viewer scoped to Hà Nội counts Hà Nội only
    mine = viewer.get("/api/payroll-roadmap/").json()
    assert [r["code"] for r in mine["rows"]] == ["01"] and mine["totals"]["meets"] is True
    assert [r["code"] for r in admin.get("/api/payroll-roadmap/", {"within": "79"}).json()["rows"]] == ["79"]
    assert admin.get("/api/payroll-roadmap/", {"category": "public_employee"}).json()["rows"] == []
    assert admin.get("/api/payroll-roadmap/", {"baseline_year": 2026, "target_year": 2022}).json()[
        "baseline_year"] == 2026


@pytest.mark.parametrize(("query", "field"), [
    ({"category": "robots"}, "category"), ({"within": "nowhere"}, "within"),
    ({"baseline_year": "x"}, "baseline_year"), ({"as_of": "2025-02-30"}, "as_of"),
])
def test_payroll_roadmap_bad_input(tree, admin, query, field):
    r = admin.get("/api/payroll-roadmap/", query)
    assert r.status_code == 400 and field in r.json()


@pytest.fixture
def functions(tree):
    finance = Function.objects.create(code="finance", name="Tài chính", required_in_kinds=["tinh"])
    land = Power.objects.create(code="land-allocation", name="Giao đất", legal_basis="Luật Đất đai 2024",
                                function=finance, required_in_kinds=["thanh-pho-tw"])
    for code in ("001", "250"):
        FunctionHolding.objects.create(unit=tree[code], function=finance, valid_from=dt.date(2020, 1, 1))
    FunctionHolding.objects.create(unit=tree["760"], function=finance, role=FunctionHolding.COORDINATE,
                                   valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2024, 1, 1))
    PowerHolding.objects.create(unit=tree["01"], power=land, valid_from=dt.date(2020, 1, 1))
    return finance, land


def test_coverage(tree, functions, admin):
    body = admin.get("/api/coverage/", {"as_of": "2025-06-30"}).json()
    assert body["as_of"] == "2025-06-30"
    assert body["overlaps"] == []  # 001 and 250 each lead finance in their own territory
    gaps = {(g["kind"], g["item_code"], g["unit_code"]) for g in body["gaps"]}
    assert gaps == {("function", "finance", "26"), ("power", "land-allocation", "79")}
    assert admin.get("/api/coverage/", {"within": "01"}).json()["gaps"] == []


def test_coverage_overlap(tree, functions, admin):
    finance, _land = functions
    # an office (not an administrative unit) inside Ba Đình also leads finance there
    Unit.objects.filter(pk=tree["00004"].pk).update(kind=UnitKind.objects.get(code="so-nganh"))
    FunctionHolding.objects.create(unit=tree["00004"], function=finance, valid_from=dt.date(2020, 1, 1))
    body = admin.get("/api/coverage/", {"as_of": "2025-06-30"}).json()
    assert len(body["overlaps"]) == 1
    overlap = body["overlaps"][0]
    assert overlap["function_code"] == "finance"
    assert {u["code"] for u in overlap["units"]} == {"001", "00004"}


def test_functions_powers_and_holdings(tree, functions, viewer):
    assert [f["code"] for f in viewer.get("/api/functions/").json()["results"]] == ["finance"]
    assert viewer.get("/api/powers/").json()["results"][0]["function"] == "finance"
    assert viewer.get("/api/function-holdings/").json()["count"] == 3  # public structure, all scopes
    assert viewer.get("/api/function-holdings/", {"unit_code": "760"}).json()["count"] == 1
    assert viewer.get("/api/function-holdings/", {"as_of": "2025-06-30"}).json()["count"] == 2
    assert viewer.get("/api/function-holdings/", {"unit": tree["001"].pk, "function": "finance"}).json()[
        "count"] == 1
    assert viewer.get("/api/function-holdings/", {"role": "coordinate"}).json()["count"] == 1
    assert viewer.get("/api/power-holdings/", {"unit_code": "01", "as_of": "2025-06-30"}).json()["count"] == 1
    assert viewer.get("/api/power-holdings/", {"power": "nothing"}).json()["count"] == 0
    assert viewer.post("/api/functions/", {"code": "x", "name": "X"}, format="json").status_code == 403


def test_define_change_and_delete_functions_and_powers(tree, functions, admin, hanoi_clerk):
    finance, land = functions
    clerk = client_for(hanoi_clerk)  # may change records, but only inside Hà Nội
    assert clerk.post("/api/functions/", {"code": "x", "name": "X"}, format="json").status_code == 403
    assert clerk.patch(f"/api/functions/{finance.pk}/", {"name": "Y"}, format="json").status_code == 403
    r = admin.post("/api/functions/", {"code": "giao-duc", "name": "Giáo dục", "required_in_kinds": ["tinh"]},
                   format="json")
    assert r.status_code == 201, r.content
    edu = r.json()["id"]
    bad = admin.post("/api/functions/", {"code": "y", "name": "Y", "required_in_kinds": ["nowhere"]}, format="json")
    assert bad.status_code == 400 and "required_in_kinds" in bad.json()
    r = admin.patch(f"/api/functions/{edu}/", {"name": "Giáo dục và Đào tạo", "required_in_kinds": []},
                    format="json")
    assert r.status_code == 200 and r.json()["name"] == "Giáo dục và Đào tạo" and r.json()["required_in_kinds"] == []
    r = admin.patch(f"/api/functions/{edu}/", {"code": "other"}, format="json")
    assert r.status_code == 400 and "code" in r.json()
    assert Function.objects.get(pk=edu).code == "giao-duc"
    r = admin.post("/api/powers/", {"code": "tuyen-sinh", "name": "Tuyển sinh", "legal_basis": "Luật Giáo dục 2019",
                                    "function": "giao-duc"}, format="json")
    assert r.status_code == 201 and r.json()["function"] == "giao-duc"
    power = r.json()["id"]
    r = admin.patch(f"/api/powers/{power}/", {"function": None, "legal_basis": "Luật Giáo dục 2019, Điều 34"},
                    format="json")
    assert r.status_code == 200 and r.json()["function"] is None and "Điều 34" in r.json()["legal_basis"]
    # held or referred to: refused with what refers to it, nothing deleted
    r = admin.delete(f"/api/functions/{finance.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "3 holdings" in str(r.json()) and Function.objects.filter(pk=finance.pk).exists()
    assert admin.delete(f"/api/powers/{land.pk}/").status_code == 400 and Power.objects.filter(pk=land.pk).exists()
    assert admin.delete(f"/api/powers/{power}/").status_code == 204
    assert admin.delete(f"/api/functions/{edu}/").status_code == 204
    assert not Function.objects.filter(pk=edu).exists()
    assert changes_of(Function, object_id=edu, action="delete").exists()


# Reference data and rule sets --------------------------------------------------------------------------


def test_levels_and_kinds(tree, admin, viewer, admin_user):
    assert [lv["code"] for lv in viewer.get("/api/levels/").json()["results"]] == ["province", "district", "commune", "body"]
    kinds = {k["code"]: k for k in viewer.get("/api/unit-kinds/", {"page_size": 100}).json()["results"]}
    assert kinds["phuong"]["level"] == "commune" and kinds["so-nganh"]["level"] is None
    r = admin.post("/api/levels/", {"code": "hamlet", "name": "Thôn, tổ dân phố", "rank": 3}, format="json")
    assert r.status_code == 201, r.content
    r = admin.post("/api/unit-kinds/", {"code": "thon", "name": "Thôn", "level": "hamlet"}, format="json")
    assert r.status_code == 201 and r.json()["category"] == "administrative"
    entry = changes_of(UnitKind, object_id=r.json()["id"]).get()
    assert (entry.user_name, entry.source) == (admin_user.username, "api")
    assert admin.patch(f"/api/levels/{r.json()['id']}/", {"name": "X"}, format="json").status_code == 405


@pytest.mark.parametrize(("path", "payload", "field"), [
    ("/api/levels/", {"code": "hamlet", "rank": 3}, "name"),
    ("/api/levels/", {"code": "commune", "name": "Xã", "rank": 3}, "code"),
    ("/api/levels/", {"code": "hamlet", "name": "Thôn", "rank": -1}, "rank"),
    ("/api/unit-kinds/", {"code": "thon", "name": "Thôn", "level": "nowhere"}, "level"),
    ("/api/unit-kinds/", {"code": "thon", "name": "Thôn", "category": "robots"}, "category"),
    ("/api/unit-kinds/", {"code": "not a slug", "name": "Thôn"}, "code"),
    ("/api/rule-sets/", {"kind": "k", "code": "k1", "name": "K", "valid_from": D0}, "legal_basis"),
    ("/api/rule-sets/", {"kind": "k", "code": "k1", "name": "K", "legal_basis": "L", "valid_from": D0,
                         "valid_to": "2019-01-01"}, "valid_to"),
    ("/api/rule-sets/", {"kind": "k", "code": "payroll-roadmap-2022-2026", "name": "K", "legal_basis": "L",
                         "valid_from": D0}, "code"),
])
def test_reference_data_bad_input(tree, admin, path, payload, field):
    before = (Level.objects.count(), UnitKind.objects.count(), RuleSet.objects.count(), ObjectChange.objects.count())
    r = admin.post(path, payload, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert (Level.objects.count(), UnitKind.objects.count(), RuleSet.objects.count(),
            ObjectChange.objects.count()) == before


def test_rule_sets(tree, admin, viewer):
    r = admin.post("/api/rule-sets/", {
        "kind": "payroll_roadmap", "code": "payroll-roadmap-2026-2030", "name": "Lộ trình 2026–2030",
        "legal_basis": "Kết luận giả định", "valid_from": "2026-01-01",
        "parameters": {"baseline_year": 2026, "target_year": 2030, "min_reduction": 0.1},
    }, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["shipped"] is False
    listed = viewer.get("/api/rule-sets/", {"kind": "payroll_roadmap"}).json()["results"]
    assert {"payroll-roadmap-2022-2026", "payroll-roadmap-2026-2030"} <= {x["code"] for x in listed}
    assert viewer.get("/api/rule-sets/", {"kind": "nothing"}).json()["count"] == 0
    roadmap = admin.get("/api/payroll-roadmap/", {"as_of": "2026-06-30"}).json()
    assert roadmap["rule_set"]["code"] == "payroll-roadmap-2026-2030" and roadmap["target_year"] == 2030


# The real national apparatus -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db
def test_national_commune_count(admin_user):
    from django.core.management import call_command

    call_command("import_vn_admin_units", verbosity=0)
    client = client_for(admin_user)
    body = client.get("/api/units/", {"as_of": "2025-06-30", "level": "commune", "page_size": 1000}).json()
    assert body["count"] == 10035 and len(body["results"]) == 1000
    assert client.get("/api/units/", {"as_of": "2025-06-30", "level": "province"}).json()["count"] == 63
    found = client.get("/api/units/", {"as_of": "2025-06-30", "q": "phuc xa", "within": "01"}).json()["results"]
    assert "Phường Phúc Xá" in [u["name"] for u in found]
