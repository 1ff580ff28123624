"""REST API of the cadre records: search, computed fields, writes through services, scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import services
from tinhgon.cadres.models import (
    Assignment,
    Cadre,
    Commendation,
    Discipline,
    PoolEntry,
    SavedSearch,
    Training,
)
from tinhgon.core.models import ObjectChange

pytestmark = pytest.mark.django_db
START = dt.date(2021, 1, 1)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def person(**kw):
    fields = dict(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17), citizen_id="001190012345",
                  education_level=5, political_theory=3)
    fields.update(kw)
    return services.cadre_create(**fields)


def placed(unit, title="Phó Chủ tịch UBND", **kw):
    c = person(**kw)
    services.assignment_create(cadre=c, unit=unit, title=title, valid_from=START)
    c.refresh_from_db()
    return c


def counts():
    return (Cadre.objects.count(), Assignment.objects.count(), PoolEntry.objects.count(), Discipline.objects.count(),
            Training.objects.count(), Commendation.objects.count(), ObjectChange.objects.count())


@pytest.fixture
def people(tree):
    return {
        "lan": placed(tree["00001"]),
        "hung": placed(tree["00004"], "Bí thư", full_name="Trần Văn Hùng", sex="M", birth_date=dt.date(1966, 4, 2),
                       citizen_id="001066012345", education_level=4),
        "ha": placed(tree["26734"], full_name="Phạm Thu Hà", citizen_id="079190012345"),
    }


@pytest.fixture
def hanoi_clerk(tree):
    return make_user("hn-clerk", role="clerk", scopes=[tree["01"]])


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


# Reading ----------------------------------------------------------------------------------


def test_list_is_scoped_paginated_and_searchable(people, hanoi_viewer, admin_user):
    data = client_for(hanoi_viewer).get("/api/cadres/").json()
    assert data["count"] == 2
    assert {r["full_name"] for r in data["results"]} == {"Nguyễn Thị Lan", "Trần Văn Hùng"}
    admin = client_for(admin_user)
    assert admin.get("/api/cadres/").json()["count"] == 3
    names = lambda r: [x["full_name"] for x in results(r)]  # noqa: E731
    assert names(admin.get("/api/cadres/", {"q": "thu ha"})) == ["Phạm Thu Hà"]
    assert names(admin.get("/api/cadres/", {"sex": "M"})) == ["Trần Văn Hùng"]
    assert set(names(admin.get("/api/cadres/", {"sex": "F", "age_under": 40, "education_min": 5,
                                                  "on": "2026-01-01"}))) == {"Nguyễn Thị Lan", "Phạm Thu Hà"}
    assert names(admin.get("/api/cadres/", {"within": "79"})) == ["Phạm Thu Hà"]
    assert names(admin.get("/api/cadres/", {"age_from": 50, "on": "2026-01-01"})) == ["Trần Văn Hùng"]
    assert admin.get("/api/cadres/", {"within": "nope"}).status_code == 400
    assert admin.get("/api/cadres/", {"education_min": "9"}).status_code == 400
    assert admin.get("/api/cadres/", {"on": "2026-13-01"}).status_code == 400


def test_pool_title_filter(people, tree, admin_user):
    services.pool_entry_add(cadre=people["lan"], unit=tree["00001"], title="Phó Chủ tịch UBND", term="2026-2031",
                            added_on=dt.date(2024, 1, 1))
    r = client_for(admin_user).get("/api/cadres/", {"pool_title": "phó chủ tịch", "pool_term": "2026-2031"})
    assert [x["full_name"] for x in results(r)] == ["Nguyễn Thị Lan"]


def test_record_carries_retirement_eligibility_and_current_position(people, admin_user):
    r = client_for(admin_user).get(f"/api/cadres/{people['hung'].pk}/")
    data = r.json()
    # man born 04/1966 → 04/2028 at 62
    assert data["retirement_date"] == "2028-04-30" and data["pension_start"] == "2028-05-01"
    assert data["retirement_rule_set"] == "retirement-labor-code-2019"
    assert data["eligible"] is True and data["ineligibility_reasons"] == []
    assert (data["unit_code"], data["current_title"]) == ("00004", "Bí thư")
    assert data["lock_version"] == 0


def test_discipline_makes_ineligible_with_reason(people, admin_user):
    c = people["lan"]
    today = dt.date.today()
    services.discipline_add(cadre=c, measure="canh_cao", decision_date=today, effective_date=today)
    data = client_for(admin_user).get(f"/api/cadres/{c.pk}/").json()
    assert data["eligible"] is False and len(data["ineligibility_reasons"]) == 1


def test_retiring_list_per_scope(tree, admin_user, hanoi_viewer):
    # born 01/1964: 2025 demands 61y3m → retires 30/04/2025
    old = placed(tree["00001"], "Bí thư", full_name="Lê Văn Già", sex="M", birth_date=dt.date(1964, 1, 10),
                 citizen_id="001064012345")
    later = placed(tree["00004"], "Bí thư", full_name="Lê Văn Sau", sex="M", birth_date=dt.date(1964, 6, 10),
                   citizen_id="001064012346")
    placed(tree["26734"], "Bí thư", full_name="Lê Văn Xa", sex="M", birth_date=dt.date(1964, 1, 10),
           citizen_id="079064012345")
    placed(tree["08974"], full_name="Lê Thị Trẻ", citizen_id="001190012399")
    rows = results(client_for(hanoi_viewer).get("/api/cadres/retiring/", {"months": 24, "on": "2025-01-01"}))
    assert [r["id"] for r in rows] == [old.pk, later.pk]  # soonest first
    assert rows[0]["retirement_date"] == "2025-04-30"
    assert len(results(client_for(admin_user).get("/api/cadres/retiring/", {"months": 24, "on": "2025-01-01"}))) == 3
    assert client_for(admin_user).get("/api/cadres/retiring/", {"months": "x"}).status_code == 400


# Writing ----------------------------------------------------------------------------------

NEW = {"full_name": "Đỗ  Thị Mai", "sex": "F", "birth_date": "1985-03-04", "citizen_id": "001185012345",
       "education_level": 5, "political_theory": 2}


def test_create_with_position(tree, hanoi_clerk):
    body = {**NEW, "position": {"unit_code": "00001", "title": "Chủ tịch UBND phường", "valid_from": "2025-07-01"}}
    r = client_for(hanoi_clerk).post("/api/cadres/", body, format="json")
    assert r.status_code == 201, r.content
    c = Cadre.objects.get()
    assert c.full_name == "Đỗ Thị Mai" and c.unit == tree["00001"] and c.assignments.count() == 1
    assert r.json()["citizen_id"] == "001******345"  # a clerk may not see personal data


def test_scoped_create_needs_a_position_in_scope(tree, hanoi_clerk):
    client = client_for(hanoi_clerk)
    before = counts()
    assert client.post("/api/cadres/", NEW, format="json").status_code == 400
    body = {**NEW, "position": {"unit_code": "26734", "title": "Chủ tịch", "valid_from": "2025-07-01"}}
    assert client.post("/api/cadres/", body, format="json").status_code == 403
    assert counts() == before


BAD_CREATES = [
    ("citizen_id", {"citizen_id": "12345"}),
    ("citizen_id", {"citizen_id": "001085012345"}),   # sex digit says man
    ("citizen_id", {"citizen_id": "001186012345"}),   # year digits say 1986
    ("birth_date", {"birth_date": "2999-01-01", "citizen_id": "001199912345"}),
    ("sex", {"sex": "X"}),
    ("valid_from", {"position": {"unit_code": "00001", "title": "Chủ tịch", "valid_from": "2000-01-01"}}),  # 14
    ("valid_from", {"position": {"unit_code": "00001", "title": "Chủ tịch", "valid_from": "2019-01-01"}}),  # unit
    ("decision_date", {"position": {"unit_code": "00001", "title": "Chủ tịch", "valid_from": "2025-07-01",
                                    "decision_date": "2025-07-02"}}),
]


@pytest.mark.parametrize(("field", "change"), BAD_CREATES, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_CREATES)])
def test_bad_create_is_refused(tree, admin_user, field, change):
    before = counts()
    r = client_for(admin_user).post("/api/cadres/", {**NEW, **change}, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()
    assert counts() == before


def test_duplicate_citizen_id_is_refused(people, admin_user):
    before = counts()
    r = client_for(admin_user).post("/api/cadres/", {**NEW, "citizen_id": "001190012345", "birth_date": "1990-01-01"},
                                    format="json")
    assert r.status_code == 400 and "citizen_id" in r.json()
    assert counts() == before


def test_update_with_lock_version(people, hanoi_clerk):
    client = client_for(hanoi_clerk)
    c = people["lan"]
    r = client.patch(f"/api/cadres/{c.pk}/", {"lock_version": 0, "education_field": "Luật"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["lock_version"] == 1
    before = counts()
    r = client.patch(f"/api/cadres/{c.pk}/", {"lock_version": 0, "education_field": "Kinh tế"}, format="json")
    assert r.status_code == 400 and "lock_version" in r.json()
    assert client.patch(f"/api/cadres/{c.pk}/", {"education_field": "X"}, format="json").status_code == 400
    assert counts() == before
    assert Cadre.objects.get(pk=c.pk).education_field == "Luật"


def test_put_replaces_fields(people, admin_user):
    c = people["lan"]
    body = {"full_name": "Nguyễn Thị Lan Anh", "sex": "F", "birth_date": "1990-05-17", "citizen_id": "001190012345",
            "lock_version": 0}
    r = client_for(admin_user).put(f"/api/cadres/{c.pk}/", body, format="json")
    assert r.status_code == 200, r.content
    assert Cadre.objects.get(pk=c.pk).full_name == "Nguyễn Thị Lan Anh"


def test_bad_update_changes_nothing(people, admin_user):
    c = people["lan"]
    before = counts()
    r = client_for(admin_user).patch(f"/api/cadres/{c.pk}/", {"lock_version": 0, "birth_date": "2999-01-01"},
                                     format="json")
    assert r.status_code == 400 and "birth_date" in r.json()
    assert counts() == before


def test_viewer_may_not_write(people, hanoi_viewer):
    c = people["lan"]
    client = client_for(hanoi_viewer)
    before = counts()
    assert client.patch(f"/api/cadres/{c.pk}/", {"lock_version": 0, "note": "x"}, format="json").status_code == 403
    assert client.post("/api/cadres/", NEW, format="json").status_code == 403
    r = client.post(f"/api/cadres/{c.pk}/trainings/", {"program": "X", "start": "2024-01-01"}, format="json")
    assert r.status_code in (403, 404)
    assert counts() == before


# Sub-resources ------------------------------------------------------------------------------


def test_assignments_list_and_create(people, tree, hanoi_clerk):
    c = people["lan"]
    client = client_for(hanoi_clerk)
    assert [a["title"] for a in client.get(f"/api/cadres/{c.pk}/assignments/").json()] == ["Phó Chủ tịch UBND"]
    r = client.post(f"/api/cadres/{c.pk}/assignments/", {"unit_code": "00004", "title": "Ủy viên BCH",
                                                         "valid_from": "2022-01-01", "is_primary": False},
                    format="json")
    assert r.status_code == 201, r.content
    assert r.json()["unit_code"] == "00004"


BAD_ASSIGNMENTS = [
    ("valid_from", {"valid_from": "2022-01-01"}),                                     # second primary position
    ("decision_date", {"valid_from": "2022-01-01", "is_primary": False, "decision_date": "2022-02-01"}),
    ("valid_from", {"valid_from": "2019-01-01", "valid_to": "2019-06-01", "is_primary": False}),  # before the unit
    ("valid_from", {"valid_from": "2005-01-01", "valid_to": "2006-01-01", "is_primary": False}),  # under 18
    ("planned_return", {"valid_from": "2022-01-01", "is_primary": False, "kind": "rotation"}),
    ("unit_code", {"unit_code": "nope", "valid_from": "2022-01-01"}),
]


@pytest.mark.parametrize(("field", "change"), BAD_ASSIGNMENTS,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_ASSIGNMENTS)])
def test_bad_assignment_is_refused(people, hanoi_clerk, field, change):
    c = people["lan"]
    before = counts()
    body = {"unit_code": "00004", "title": "Phó Bí thư", **change}
    r = client_for(hanoi_clerk).post(f"/api/cadres/{c.pk}/assignments/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()
    assert counts() == before


def test_assignment_unit_must_be_in_scope(people, hanoi_clerk):
    c = people["lan"]
    before = counts()
    r = client_for(hanoi_clerk).post(f"/api/cadres/{c.pk}/assignments/",
                                     {"unit_code": "26734", "title": "X", "valid_from": "2022-01-01",
                                      "is_primary": False}, format="json")
    assert r.status_code == 403
    assert counts() == before


def test_assignment_end(people, admin_user):
    c = people["lan"]
    a = c.assignments.get()
    client = client_for(admin_user)
    r = client.post(f"/api/cadres/{c.pk}/assignments/{a.pk}/end/", {"on": "2025-07-01"}, format="json")
    assert r.status_code == 200 and r.json()["valid_to"] == "2025-07-01"
    assert client.post(f"/api/cadres/{c.pk}/assignments/{a.pk}/end/", {"on": "2020-01-01"},
                       format="json").status_code == 400


def test_pool_discipline_training_commendation(people, hanoi_clerk):
    c = people["lan"]
    client = client_for(hanoi_clerk)
    base = f"/api/cadres/{c.pk}"
    r = client.post(f"{base}/pool-entries/", {"unit_code": "00001", "title": "Chủ tịch UBND", "term": "2026-2031",
                                              "added_on": "2025-01-01"}, format="json")
    assert r.status_code == 201, r.content
    entry = r.json()["id"]
    r = client.post(f"{base}/pool-entries/{entry}/reviews/", {"date": "2025-06-01", "result": "remove"},
                    format="json")
    assert r.status_code == 201, r.content
    assert client.get(f"{base}/pool-entries/").json()[0]["status"] == "removed"
    assert client.post(f"{base}/trainings/", {"program": "Cao cấp LLCT", "kind": "political",
                                               "start": "2023-01-01", "end": "2024-01-01"},
                       format="json").status_code == 201
    assert client.post(f"{base}/commendations/", {"title": "Bằng khen", "date": "2024-05-01"},
                       format="json").status_code == 201
    before = counts()
    r = client.post(f"{base}/disciplines/", {"measure": "khien_trach", "decision_date": "2025-03-01",
                                              "effective_date": "2025-02-01"}, format="json")
    assert r.status_code == 400 and "effective_date" in r.json()   # in effect before its decision
    r = client.post(f"{base}/trainings/", {"program": "X", "start": "2024-01-01", "end": "2023-01-01"}, format="json")
    assert r.status_code == 400 and "end" in r.json()
    assert counts() == before
    r = client.post(f"{base}/disciplines/", {"measure": "khien_trach", "decision_date": "2025-03-01",
                                              "effective_date": "2025-03-01"}, format="json")
    assert r.status_code == 201
    for sub in ("disciplines", "trainings", "commendations", "pool-entries", "assignments"):
        assert len(client.get(f"{base}/{sub}/").json()) >= 1, sub


def test_disciplined_cadre_cannot_enter_the_pool(people, admin_user):
    c = people["lan"]
    today = dt.date.today()
    services.discipline_add(cadre=c, measure="canh_cao", decision_date=today, effective_date=today)
    before = counts()
    r = client_for(admin_user).post(f"/api/cadres/{c.pk}/pool-entries/", {
        "unit_code": "00001", "title": "Chủ tịch", "term": "2026-2031", "added_on": today.isoformat()}, format="json")
    assert r.status_code == 400 and "cadre" in r.json()
    assert counts() == before


# Scoping ----------------------------------------------------------------------------------


def test_other_province_is_404_everywhere(people, hanoi_clerk):
    ha = people["ha"]
    client = client_for(hanoi_clerk)
    before = counts()
    assert client.get(f"/api/cadres/{ha.pk}/").status_code == 404
    assert client.patch(f"/api/cadres/{ha.pk}/", {"lock_version": 0, "note": "x"}, format="json").status_code == 404
    for sub in ("assignments", "pool-entries", "disciplines", "trainings", "commendations"):
        assert client.get(f"/api/cadres/{ha.pk}/{sub}/").status_code == 404, sub
        assert client.post(f"/api/cadres/{ha.pk}/{sub}/", {}, format="json").status_code == 404, sub
    a = ha.assignments.get()
    assert client.post(f"/api/cadres/{ha.pk}/assignments/{a.pk}/end/", {"on": "2025-01-01"},
                       format="json").status_code == 404
    assert counts() == before


def test_anonymous_is_refused(people):
    assert APIClient().get("/api/cadres/").status_code in (401, 403)


# Saved searches -----------------------------------------------------------------------------


def test_saved_searches_are_own(tree, hanoi_viewer):
    other = make_user("other", scopes=[tree["01"]])
    services.saved_search_save(user=other, name="Theirs", params={"sex": "F"})
    client = client_for(hanoi_viewer)
    r = client.post("/api/saved-searches/", {"name": "Nữ dưới 40", "params": {"sex": "F", "age_under": "40"}},
                    format="json")
    assert r.status_code == 201, r.content
    assert [x["name"] for x in results(client.get("/api/saved-searches/"))] == ["Nữ dưới 40"]
    theirs = SavedSearch.objects.get(name="Theirs")
    assert client.get(f"/api/saved-searches/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/saved-searches/{theirs.pk}/").status_code == 404
    assert client.post("/api/saved-searches/", {"name": "x", "params": {"shoe_size": "9"}},
                       format="json").status_code == 400
    assert client.post("/api/saved-searches/", {"name": "x", "params": {"education_min": "9"}},
                       format="json").status_code == 400
    mine = SavedSearch.objects.get(name="Nữ dưới 40")
    assert client.delete(f"/api/saved-searches/{mine.pk}/").status_code == 204
    assert SavedSearch.objects.count() == 1


def test_schema_lists_the_cadre_paths():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for p in ("/api/cadres/", "/api/cadres/{id}/", "/api/cadres/{id}/assignments/", "/api/cadres/{id}/pool-entries/",
              "/api/cadres/{id}/disciplines/", "/api/cadres/{id}/trainings/", "/api/cadres/{id}/commendations/",
              "/api/cadres/retiring/", "/api/cadres/import/", "/api/cadres/export/", "/api/saved-searches/"):
        assert p in paths, p
    names = {x["name"] for x in paths["/api/cadres/"]["get"]["parameters"]}
    assert {"q", "sex", "age_from", "age_under", "education_min", "political_theory_min", "state_management_min",
            "pool_title", "pool_term", "within", "party_member", "retiring_within_months", "on", "page"} <= names


def test_list_count_is_capped_unless_exact_is_asked(people, admin_user, monkeypatch):
    from tinhgon.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    client = client_for(admin_user)
    body = client.get("/api/cadres/", {"page_size": 1}).json()
    assert body["count"] == 1 and body["count_exact"] is False and body["next"]
    assert len(body["results"]) == 1
    body = client.get("/api/cadres/", {"page_size": 1, "count": "exact"}).json()
    assert body["count"] == 3 and body["count_exact"] is True
    body = client.get("/api/cadres/", {"q": "pham thu"}).json()
    assert body["count"] == 1 and body["count_exact"] is True
