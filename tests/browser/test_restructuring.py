"""An organizer drafts a plan with a merge and validates it; an administrator approves and applies it;
the report shows the counts."""

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_from_draft_to_report(page, browser, live_server):
    make_tree(SMALL_TREE)
    from tinhgon.apparatus.models import Unit

    make_user("org", role="organizer", scopes=[Unit.objects.get(code="01")])
    make_user("boss", role="administrator")
    login(page, "org")
    page.goto(f"{page.base_url}/restructuring/new/")
    page.fill("#id_name", "Sáp nhập phường Ba Đình")
    page.fill("#id_effective_date", "2025-07-01")
    page.fill("#id_scope_code", "01")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/restructuring/" in page.url and page.locator("#plan-status").count() == 1
    page.select_option("select[name=kind]", "merge")
    page.wait_for_selector("#id_sources")
    page.fill("#id_sources", "00001 00004")
    page.fill("#id_target_code", "00001")
    page.fill("#id_name", "Phường Ba Đình")
    page.select_option("#id_unit_kind", "phuong")
    page.click("#op-form button[type=submit]")
    page.wait_for_selector("text=00001, 00004 → 00001 Phường Ba Đình")
    screenshot(page, "restructuring-plan-draft")
    page.click("button[value=validate]")
    page.wait_for_load_state("networkidle")
    assert page.locator("button[value=approve]").count() == 0
    screenshot(page, "restructuring-plan-validated")

    context = browser.new_context(viewport={"width": 1366, "height": 850}, locale="vi-VN")
    admin = context.new_page()
    admin.base_url = page.base_url
    login(admin, "boss")
    admin.goto(page.url)
    admin.click("button[value=approve]")
    admin.wait_for_load_state("networkidle")
    admin.once("dialog", lambda d: d.accept())
    admin.click("button[value=apply]")
    admin.wait_for_load_state("networkidle")
    assert admin.locator("button[value=revert]").count() == 1
    screenshot(admin, "restructuring-plan-applied")
    admin.click(".workflow a[href$='/report/']")  # the before/after report, whatever the language
    admin.wait_for_load_state("networkidle")
    table = admin.locator("#level-counts").inner_text()
    assert "3" in table and "2" in table
    assert admin.locator("svg.chart rect").count() >= 4
    screenshot(admin, "restructuring-report")
    context.close()
