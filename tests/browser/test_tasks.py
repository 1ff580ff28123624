"""A new user creates a program, issues a task (told which clears are missing until all are there),
moves it to acceptance and sees it counted in the quarter's accounting for the unit and its leader."""

import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_program_task_acceptance_and_accounting(page):
    from tinhgon.tasks.models import Task
    from tinhgon.tasks.tests.factories import make_world

    world = make_world(make_tree(SMALL_TREE))
    make_user("lan", role="leader", scopes=[world.hn])
    login(page, "lan")
    today = dt.date.today()

    page.goto(f"{page.base_url}/tasks/programs/new/")
    page.fill("#id_title", "Chương trình công tác quý")
    page.fill("#id_source_symbol", "09-NQ/TU")
    page.fill("#id_sections", "Xây dựng Đảng\nKinh tế")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/tasks/programs/" in page.url and page.locator("h1").inner_text() == "Chương trình công tác quý"
    page.click("a[href$='/tasks/new/']")
    page.fill("#id_title", "Báo cáo sơ kết")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    task = Task.objects.get(title="Báo cáo sơ kết")
    page.click("#issue")
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg-error").count() == 1
    missing = page.locator("#clears li.missing")
    assert sorted(missing.evaluate_all("els => els.map(e => e.dataset.clear)")) == [
        "authority", "product", "time", "work"]
    screenshot(page, "tasks-missing-clears")
    task.refresh_from_db()
    assert task.status == Task.DRAFT

    page.click(f"a[href$='/tasks/{task.pk}/edit/']")
    page.fill("#id_content", "Tổng hợp kết quả thực hiện")
    page.fill("#id_start", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_deadline", today.isoformat())
    page.select_option("#id_product_type", "report")
    page.fill("#id_product_description", "Báo cáo sơ kết quý")
    page.fill("#id_authority_code", "01")
    page.select_option("#id_authority_power", world.power.code)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#clears li.missing").count() == 0
    page.click("#issue")
    page.wait_for_load_state("networkidle")
    assert page.locator(".msg-success").count() == 1
    page.goto(f"{page.base_url}/tasks/{task.pk}/do/submit/")
    page.fill("#id_product_note", "Báo cáo số 12-BC/VP")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}/tasks/{task.pk}/decide/accept/")
    page.select_option("#id_grade", "exceeded")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    task.refresh_from_db()
    assert task.status == Task.ACCEPTED
    screenshot(page, "tasks-accepted")

    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    page.goto(f"{page.base_url}/tasks/accounting/?period={quarter}&unit=01")
    totals = page.locator("#totals .stat .n").all_inner_texts()
    assert totals[:2] == ["1", "1"]  # assigned, on time
    leader_row = page.locator("#per-leader tbody tr", has_text=world.head.full_name)
    assert leader_row.locator("td").nth(2).inner_text() == "1"
    screenshot(page, "tasks-accounting")
    leader_row.locator("td").nth(2).locator("a").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("table.list tbody tr", has_text="Báo cáo sơ kết").count() == 1
