"""The API: programs, tasks, the transitions, a refused issue naming the missing clears, the accounting."""


import pytest

from tinhgon.tasks.models import Task

from .factories import full_task

pytestmark = pytest.mark.django_db


def test_program_and_task_flow(world, api_client, hn_clerk, hn_leader):
    api_client.force_authenticate(hn_clerk)
    r = api_client.post("/api/programs/", {"unit": world.hn.pk, "title": "Chương trình quý I", "year": 2026,
                                           "source": {"symbol": "09-NQ/TU", "issuer": "Thành ủy", "date": "2025-12-01"},
                                           "section_titles": ["Một", "Hai"]}, format="json")
    assert r.status_code == 201, r.content
    program = r.json()
    assert program["source"]["symbol"] == "09-NQ/TU" and len(program["sections"]) == 2
    r = api_client.post("/api/tasks/", {"program": program["id"], "title": "Báo cáo"}, format="json")
    assert r.status_code == 201, r.content
    task = r.json()
    r = api_client.post(f"/api/tasks/{task['id']}/issue/", {}, format="json")
    assert r.status_code == 400
    assert len(r.json()["missing_clears"]) == 4  # work, time, product, authority (person and leader default)
    r = api_client.patch(f"/api/tasks/{task['id']}/", {
        "content": "Tổng hợp", "start": "2026-01-05", "deadline": "2026-03-20", "product_type": "report",
        "product_description": "Báo cáo", "authority_unit": world.hn.pk, "authority_power": world.power.code,
        "assignee": world.specialist.pk}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["missing_clears"] == []
    assert api_client.post(f"/api/tasks/{task['id']}/issue/", {"on": "2026-01-05"}, format="json").status_code == 200
    r = api_client.post(f"/api/tasks/{task['id']}/submit/", {"product_note": "BC 12", "on": "2026-03-10"},
                        format="json")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    # a clerk may not accept (403); a leader elsewhere finds no such task (404)
    assert api_client.post(f"/api/tasks/{task['id']}/accept/", {}, format="json").status_code == 403
    api_client.force_authenticate(hn_leader)
    r = api_client.post(f"/api/tasks/{task['id']}/accept/", {"grade": "exceeded", "on": "2026-03-12"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted", r.content
    r = api_client.get("/api/tasks/accounting/", {"period": "2026-Q1", "unit": "01", "on": "2026-04-01"})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["totals"]["on_time"] == 1 and body["totals"]["completion_rate"] == 1.0
    assert body["leaders"][0]["name"] == world.head.full_name and body["leaders"][0]["on_time"] == 1


def test_bad_input_writes_nothing(world, api_client, hn_clerk):
    api_client.force_authenticate(hn_clerk)
    n = Task.objects.count()
    r = api_client.post("/api/tasks/", {"program": world.program.pk, "title": "X", "start": "2026-03-01",
                                        "deadline": "2026-02-01"}, format="json")
    assert r.status_code == 400 and "deadline" in r.json()
    r = api_client.post("/api/tasks/", {"program": world.program.pk, "title": "X", "assignee": world.outsider.pk},
                        format="json")
    assert r.status_code == 400 and "assignee" in r.json()
    assert Task.objects.count() == n


def test_foreign_scope_is_404(world, api_client, hcm_clerk):
    t = full_task(world)
    api_client.force_authenticate(hcm_clerk)
    assert api_client.get(f"/api/tasks/{t.pk}/").status_code == 404
    assert api_client.post(f"/api/tasks/{t.pk}/issue/", {}, format="json").status_code == 404
    assert api_client.get("/api/tasks/").json()["count"] == 0
    r = api_client.post("/api/tasks/", {"program": world.program.pk, "title": "X"}, format="json")
    assert r.status_code == 400  # the program does not exist for them


def test_coordinating_unit_sees_but_cannot_change(world, api_client):
    from tinhgon.accounts.tests.factories import make_user

    t = full_task(world, coordinating_units=[world.tree["79"]])
    u = make_user("hcm-c", role="clerk", scopes=[world.tree["79"]])
    api_client.force_authenticate(u)
    assert api_client.get(f"/api/tasks/{t.pk}/").status_code == 200
    assert api_client.patch(f"/api/tasks/{t.pk}/", {"title": "Y"}, format="json").status_code == 404


def test_accounting_bad_period(world, api_client, hn_clerk):
    api_client.force_authenticate(hn_clerk)
    assert api_client.get("/api/tasks/accounting/", {"period": "2026-Q7"}).status_code == 400
    assert api_client.get("/api/tasks/accounting/", {"period": "2026", "unit": "nope"}).status_code == 400
    assert api_client.get("/api/tasks/accounting/", {"period": "2026", "on": "x"}).status_code == 400
