"""The inspection pages: the workflow through the forms, bad input answered 400 with nothing
written, Excel for each list, and the inspected unit's view once concluded."""

import datetime as dt

import pytest
from django.urls import reverse

from tinhgon.accounts.tests.factories import PASSWORD, make_user
from tinhgon.cadres.models import Discipline
from tinhgon.inspection.models import Inspection, Measure, Recommendation

from .factories import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(tree, client):
    w = world(tree)
    w["tree"] = tree
    w["user"] = make_user("hn-inspector", role="inspector", scopes=[tree["01"]])
    client.login(username="hn-inspector", password=PASSWORD)
    w["client"] = client
    return w


def _post(w, name, data, *args):
    return w["client"].post(reverse(name, args=args), data)


def test_from_plan_to_conclusion_to_a_reprimand_through_the_pages(w):
    c = w["client"]
    r = _post(w, "inspection:plan_create", {"commission_code": "01-UBKT", "year": 2026, "title": "Kế hoạch 2026",
                                            "period_start": "2026-01-01", "period_end": "2026-12-31"})
    assert r.status_code == 302
    plan = w["commission"].inspection_plans.get()
    r = _post(w, "inspection:inspection_create", {
        "activity": "inspection", "kind": "signs", "title": "Kiểm tra dấu hiệu vi phạm", "plan": plan.pk,
        "subject_code": "00001-CB1", "subject_citizen_id": w["full"].citizen_id, "start": "2026-03-02",
        "end": "2026-04-30"})
    assert r.status_code == 302, r.content.decode()[:2000]
    insp = Inspection.objects.get()
    assert insp.subject_cadre == w["full"]
    assert _post(w, "inspection:inspection_act", {"on": "2026-03-02"}, insp.pk, "start").status_code == 302
    assert _post(w, "inspection:inspection_act", {"topic": "Quy chế làm việc", "severity": "serious",
                                                  "found_on": "2026-03-10"}, insp.pk, "finding").status_code == 302
    assert _post(w, "inspection:inspection_act", {"on": "2026-04-10", "conclusion": "Có vi phạm", "violation": "on"},
                 insp.pk, "conclude").status_code == 302
    r = _post(w, "inspection:inspection_act", {"cadre": w["full"].pk, "measure": "khien_trach",
                                               "act_date": "2025-10-01", "decision_date": "2026-04-20",
                                               "reason": "Vi phạm quy chế làm việc"}, insp.pk, "measure")
    assert r.status_code == 302
    assert Discipline.objects.get(cadre=w["full"]).measure == "khien_trach"
    page = c.get(reverse("cadres:cadre", args=[w["full"].pk])).content.decode()
    assert "khiển trách" in page.lower() or "Reprimand" in page
    page = c.get(reverse("inspection:inspection", args=[insp.pk])).content.decode()
    assert "Quy chế làm việc" in page and "Có vi phạm" in page


@pytest.mark.parametrize(("data", "field"), [
    ({"measure": "cach_chuc", "cadre": "no_post"}, "cách chức"),
    ({"measure": "giai_tan", "cadre": "full"}, "Giải tán"),
    ({"measure": "khien_trach", "cadre": "full", "act_date": "2020-01-01"}, "31/12/2024"),
])
def test_bad_measures_are_answered_400_and_nothing_is_written(w, data, field):
    from tinhgon.inspection import services

    who = w[data.pop("cadre")]
    insp = services.inspection_create(user=w["user"], commission=w["commission"], title="x", subject_unit=w["cell"],
                                      subject_cadre=who, start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    services.inspection_start(user=w["user"], inspection=insp, on=dt.date(2026, 3, 2))
    services.inspection_conclude(user=w["user"], inspection=insp, on=dt.date(2026, 4, 2), conclusion="Có vi phạm")
    w["client"].cookies["django_language"] = "vi"
    body = {"act_date": "2025-10-01", "decision_date": "2026-04-20", "reason": "x", "cadre": who.pk, **data}
    r = w["client"].post(reverse("inspection:inspection_act", args=[insp.pk, "measure"]), body,
                         HTTP_ACCEPT_LANGUAGE="vi")
    assert r.status_code == 400 and field in r.content.decode()
    assert not Measure.objects.exists() and not Discipline.objects.exists()


def test_a_recommendation_without_an_owner_is_answered_400(w):
    from tinhgon.inspection import services

    insp = services.inspection_create(user=w["user"], commission=w["commission"], title="x", subject_unit=w["cell"],
                                      start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    services.inspection_start(user=w["user"], inspection=insp, on=dt.date(2026, 3, 2))
    services.inspection_conclude(user=w["user"], inspection=insp, on=dt.date(2026, 4, 2), conclusion="Tốt")
    r = _post(w, "inspection:inspection_act", {"text": "Khắc phục", "owner_code": "", "due": "2026-06-01"},
              insp.pk, "recommendation")
    assert r.status_code == 400 and not Recommendation.objects.exists()


@pytest.mark.parametrize("name", ["inspection:plan_list", "inspection:inspection_list",
                                  "inspection:recommendation_list", "inspection:supervision"])
def test_lists_answer_and_export(w, name):
    c = w["client"]
    assert c.get(reverse(name)).status_code == 200
    r = c.get(reverse(name) + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_recommendation_list_links_an_open_one_to_its_report(w):
    from tinhgon.inspection import services

    insp = services.inspection_create(user=w["user"], commission=w["commission"], title="x", subject_unit=w["cell"],
                                      start=dt.date(2026, 3, 2), end=dt.date(2026, 4, 30))
    services.inspection_start(user=w["user"], inspection=insp, on=dt.date(2026, 3, 2))
    services.inspection_conclude(user=w["user"], inspection=insp, on=dt.date(2026, 4, 2), conclusion="Tốt")
    rec = services.recommendation_add(user=w["user"], inspection=insp, text="Khắc phục", owner_unit=w["tree"]["00001"],
                                      due=dt.date(2026, 6, 1))
    url = reverse("inspection:recommendation_report", args=[rec.pk])
    assert url not in w["client"].get(reverse("inspection:recommendation_list")).content.decode()  # inspector
    make_user("px-clerk", role="clerk", scopes=[w["tree"]["00001"]])
    w["client"].login(username="px-clerk", password=PASSWORD)
    assert url in w["client"].get(reverse("inspection:recommendation_list")).content.decode()
    r = w["client"].post(url, {"status": "done", "on": "2026-05-20", "result": "Đã khắc phục"})
    assert r.status_code == 302 and Recommendation.objects.get(pk=rec.pk).status == "done"
