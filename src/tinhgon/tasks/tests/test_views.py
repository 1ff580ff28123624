"""Pages: my work, programs, tasks and their transitions, the accounting, Excel exports, scoping."""

import datetime as dt

import pytest
from django.test import Client

from tinhgon.accounts.tests.factories import PASSWORD
from tinhgon.tasks import services
from tinhgon.tasks.models import Program, Task

from .factories import full_task

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_program_create_and_detail(world, hn_clerk):
    c = _client(hn_clerk)
    r = c.post("/tasks/programs/new/", {"unit_code": "01", "title": "Chương trình 2026", "year": 2026,
                                        "source_symbol": "01-CTr/TU", "sections": "Một\nHai"})
    assert r.status_code == 302, r.content.decode()[:2000]
    p = Program.objects.get(title="Chương trình 2026")
    assert p.sections.count() == 2
    assert c.get(f"/tasks/programs/{p.pk}/").status_code == 200
    r = c.post("/tasks/programs/new/", {"unit_code": "01", "title": "Không năm"})
    assert r.status_code == 400 and not Program.objects.filter(title="Không năm").exists()
    r = c.post("/tasks/programs/new/", {"unit_code": "79", "title": "Ngoài", "year": 2026})
    assert r.status_code in (400, 403) and not Program.objects.filter(title="Ngoài").exists()


def test_task_issue_tells_the_missing_clears(world, hn_clerk):
    c = _client(hn_clerk)
    r = c.post(f"/tasks/programs/{world.program.pk}/tasks/new/", {"title": "Việc thử"})
    assert r.status_code == 302
    t = Task.objects.get(title="Việc thử")
    r = c.post(f"/tasks/{t.pk}/do/issue/", follow=True)
    text = r.content.decode()
    assert "Missing clears" in text or "Còn thiếu" in text
    t.refresh_from_db()
    assert t.status == Task.DRAFT
    r = c.post(f"/tasks/{t.pk}/edit/", {"title": "Việc thử", "content": "Nội dung", "start": "2026-01-05",
                                        "deadline": "2026-01-01"})
    assert r.status_code == 400  # deadline before start


def test_lifecycle_pages_and_accounting(world, hn_clerk, hn_leader):
    t = full_task(world)
    c = _client(hn_clerk)
    assert c.post(f"/tasks/{t.pk}/do/issue/").status_code == 302
    t.refresh_from_db()
    assert t.status == Task.ISSUED
    assert c.get(f"/tasks/{t.pk}/do/report/").status_code == 200
    assert c.post(f"/tasks/{t.pk}/do/submit/", {"product_note": ""}).status_code == 400
    assert c.post(f"/tasks/{t.pk}/do/submit/", {"product_note": "Báo cáo 1"}).status_code == 302
    assert c.get(f"/tasks/{t.pk}/decide/accept/").status_code == 404  # a clerk does not accept
    lc = _client(hn_leader)
    assert lc.post(f"/tasks/{t.pk}/decide/accept/", {"grade": "met"}).status_code == 302
    t.refresh_from_db()
    assert t.status == Task.ACCEPTED
    today = dt.date.today()
    q = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    r = lc.get("/tasks/accounting/", {"period": q, "unit": "01"})
    assert r.status_code == 200
    assert lc.get("/tasks/accounting/", {"period": q, "unit": "01", "export": "xlsx"}).status_code == 200
    assert lc.get("/tasks/accounting/", {"period": "bad"}).status_code == 200
    assert lc.get("/tasks/list/", {"period": q, "unit": "01", "cls": "late"}).status_code == 200
    for url in ("/tasks/", "/tasks/programs/", "/tasks/list/", "/tasks/list/?export=xlsx",
                "/tasks/programs/?export=xlsx", f"/tasks/{t.pk}/", "/"):
        assert lc.get(url).status_code == 200, url


def test_foreign_tasks_are_404(world, hcm_clerk):
    t = full_task(world)
    c = _client(hcm_clerk)
    assert c.get(f"/tasks/{t.pk}/").status_code == 404
    assert c.get(f"/tasks/programs/{world.program.pk}/").status_code == 404
    assert c.post(f"/tasks/{t.pk}/do/issue/").status_code == 404


def test_my_work_lists_due_overdue_and_waiting(world, hn_leader):
    from tinhgon.accounts.tests.factories import make_user

    u = make_user("chuyen", role="clerk", scopes=[world.hn])
    world.specialist.user = u
    world.specialist.save()
    today = dt.date.today()
    t = full_task(world, start=today - dt.timedelta(days=30), deadline=today - dt.timedelta(days=1),
                  title="Việc quá hạn")
    services.task_issue(task=t, on=today - dt.timedelta(days=30))
    r = _client(u).get("/tasks/")
    assert "Việc quá hạn" in r.content.decode()
    services.task_submit(task=t, product_note="BC")
    r = _client(hn_leader).get("/tasks/")
    assert "Việc quá hạn" in r.content.decode()


def test_section_add_and_notifications_read(world, hn_clerk):
    from tinhgon.tasks.models import Notification

    c = _client(hn_clerk)
    assert c.post(f"/tasks/programs/{world.program.pk}/sections/new/", {"title": "Mục mới"}).status_code == 302
    assert world.program.sections.filter(title="Mục mới").exists()
    n = world.program.sections.count()
    c.post(f"/tasks/programs/{world.program.pk}/sections/new/", {"title": "  "})
    assert world.program.sections.count() == n
    t = full_task(world)
    Notification.objects.create(user=hn_clerk, task=t, message="Thử")
    assert c.post("/tasks/notifications/read/").status_code == 302
    assert not Notification.objects.filter(user=hn_clerk, read=False).exists()
