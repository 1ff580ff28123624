"""The assessment API: cycles and their workflow, results with explanations, the what-if."""

import pytest

from tinhgon.assessment import services
from tinhgon.assessment.models import Cycle, Result
from tinhgon.core.models import ObjectChange

from .factories import Q1, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    return make_world(tree)


@pytest.fixture
def cycle(world):
    c = services.cycle_create(user=world.clerk, unit=world.unit, kind=Cycle.QUARTERLY, period_start=Q1[0],
                              period_end=Q1[1])
    services.cycle_compute(user=world.clerk, cycle=c)
    return c


def test_classify_the_issues_example(api_client, world):
    api_client.force_authenticate(world.clerk)
    people = [{"id": f"G{i}", "score": 80, "discipline": None} for i in range(10)]
    people += [{"id": "A", "score": 95, "discipline": None}, {"id": "X", "score": 96, "discipline": "khien_trach"},
               {"id": "B", "score": 93}, {"id": "C", "score": 91}, {"id": "D", "score": 99.5}, {"id": "E", "score": 90}]
    before = ObjectChange.objects.count()
    r = api_client.post("/api/assessment/classify/", {"as_of": "2026-12-31", "people": people}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["rule_set"] == "assessment-335-2025"
    levels = {x["id"]: x["level"] for x in body["results"]}
    assert levels["X"] == "not_completed"
    # 10 good + 5 candidates → k = 2: D (99.5) and A (95) stay excellent
    assert [i for i in "DABCE" if levels[i] == "excellent"] == ["D", "A"]
    assert all(levels[i] == "good" for i in "BCE")
    c = next(x for x in body["results"] if x["id"] == "C")
    assert "moved down" in c["explanation"] and any(s["rule"] == "cap" for s in c["steps"])
    assert ObjectChange.objects.count() == before  # stores nothing


def test_classify_decree_90_takes_criteria(api_client, world):
    api_client.force_authenticate(world.clerk)
    r = api_client.post("/api/assessment/classify/", {"as_of": "2025-06-30", "people": [{"id": "A", "score": 95}]},
                        format="json")
    assert r.status_code == 400 and "criteria" in r.json()
    r = api_client.post("/api/assessment/classify/", {"rule_set": "assessment-90-2020-48-2023", "people": [
        {"id": "A", "criteria": {"on_time_pct": 100, "done_pct": 100, "exceeded_pct": 60}}]}, format="json")
    assert r.status_code == 200 and r.json()["results"][0]["level_before_cap"] == "excellent"


@pytest.mark.parametrize("payload, field", [
    ({"people": [{"id": "A", "score": 95}]}, "as_of"),
    ({"as_of": "2026-12-31", "people": [{"id": "A"}]}, "score"),
    ({"as_of": "2026-12-31", "people": [{"id": "A", "score": 101}]}, "score"),
    ({"as_of": "2026-12-31", "people": [{"id": "A", "score": -3}]}, "score"),
    ({"as_of": "2026-12-31", "people": [{"id": "A", "score": 90, "discipline": "nope"}]}, "people"),
    ({"as_of": "1999-12-31", "people": [{"id": "A", "score": 90}]}, "as_of"),
    ({"rule_set": "no-such", "people": [{"id": "A", "score": 90}]}, "rule_set"),
    ({"as_of": "2026-12-31", "people": []}, "people"),
    ({"as_of": "2026-12-31", "people": [{"id": "A", "score": 90}, {"id": "A", "score": 91}]}, "people"),
])
def test_classify_bad_input_names_it(api_client, world, payload, field):
    api_client.force_authenticate(world.clerk)
    r = api_client.post("/api/assessment/classify/", payload, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()


def test_cycles_and_results(api_client, world, cycle):
    api_client.force_authenticate(world.clerk)
    r = api_client.get("/api/assessment/cycles/")
    assert r.status_code == 200 and r.json()["results"][0]["rule_set"] == "assessment-335-2025"
    r = api_client.get(f"/api/assessment/results/?cycle={cycle.pk}")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert len(rows) == 5 and all("explanation" in x and "steps" in x["explanation"] for x in rows)
    one = rows[0]["id"]
    r = api_client.post(f"/api/assessment/results/{one}/review/", {"general_points": "45"}, format="json")
    assert r.status_code == 400 and "general_points" in r.json()
    r = api_client.post(f"/api/assessment/results/{one}/review/", {"general_points": "27.5", "remarks": "Tốt"},
                        format="json")
    assert r.status_code == 200 and r.json()["general_points"] == "27.50"
    r = api_client.post(f"/api/assessment/cycles/{cycle.pk}/approve/")
    assert r.status_code in (400, 403, 404)  # a clerk may not approve; and it is not at the council


def test_workflow_actions_and_the_lock(api_client, world, cycle):
    api_client.force_authenticate(world.leader)
    assert api_client.post(f"/api/assessment/cycles/{cycle.pk}/advance/").json()["status"] == "review"
    r = api_client.post(f"/api/assessment/cycles/{cycle.pk}/advance/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "review" in str(r.json())
    for res in Result.objects.filter(cycle=cycle):
        services.result_review(user=world.clerk, result=res, general_points="25")
    services.cycle_compute(user=world.clerk, cycle=cycle)
    assert api_client.post(f"/api/assessment/cycles/{cycle.pk}/advance/").json()["status"] == "council"
    assert api_client.post(f"/api/assessment/cycles/{cycle.pk}/approve/").json()["status"] == "approved"
    r = api_client.patch(f"/api/assessment/cycles/{cycle.pk}/", {"label": "Khác"}, format="json")
    assert r.status_code == 400
    r = api_client.post(f"/api/assessment/cycles/{cycle.pk}/compute/")
    assert r.status_code == 400
    assert api_client.post(f"/api/assessment/cycles/{cycle.pk}/reopen/", {}, format="json").status_code == 400
    r = api_client.post(f"/api/assessment/cycles/{cycle.pk}/reopen/", {"reason": "Sai điểm"}, format="json")
    assert r.json()["status"] == "council"


def test_other_scopes_get_404(api_client, world, cycle):
    from tinhgon.accounts.tests.factories import make_user

    api_client.force_authenticate(make_user("hcm", role="leader", scopes=[world.tree["79"]]))
    assert api_client.get(f"/api/assessment/cycles/{cycle.pk}/").status_code == 404
    assert api_client.get(f"/api/assessment/results/?cycle={cycle.pk}").json()["results"] == []
    assert api_client.post(f"/api/assessment/cycles/{cycle.pk}/approve/").status_code == 404


def test_compute_runs_as_a_job(api_client, world, cycle, settings):
    api_client.force_authenticate(world.clerk)
    r = api_client.post(f"/api/assessment/cycles/{cycle.pk}/compute/")
    assert r.status_code == 202 and r.json()["job"]
