import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tree_expand_search_and_unit_page(page):
    make_tree(SMALL_TREE)
    make_user("carol", role="viewer")
    login(page, "carol")

    page.goto(f"{page.base_url}/apparatus/?as_of=2025-06-30")
    assert page.locator("h1").inner_text().endswith("30/06/2025")
    hanoi = page.locator(".tree-node", has_text="Thành phố Hà Nội").locator(".tree-toggle")
    hanoi.click()  # children come by HTMX
    page.wait_for_selector("text=Quận Ba Đình")
    assert hanoi.get_attribute("aria-expanded") == "true"
    page.locator(".tree-node", has_text="Quận Ba Đình").locator(".tree-toggle").click()
    page.wait_for_selector("text=Phường Phúc Xá")
    screenshot(page, "apparatus-tree")
    hanoi.click()  # collapse again
    assert not page.locator("text=Quận Ba Đình").is_visible()

    page.fill("#tree-q", "phuc xa")
    page.click("form.searchbar button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/apparatus/units/" in page.url
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "Phường Phúc Xá" in rows.first.inner_text()
    screenshot(page, "apparatus-search")

    rows.first.locator("a", has_text="Phường Phúc Xá").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Phường Phúc Xá")
    crumbs = page.locator("nav.breadcrumbs").inner_text()
    assert "Thành phố Hà Nội" in crumbs and "Quận Ba Đình" in crumbs
    screenshot(page, "apparatus-unit")


def test_define_edit_and_delete_a_function(page):
    from tinhgon.apparatus import services
    from tinhgon.apparatus.models import Function

    units = make_tree(SMALL_TREE)
    make_user("ada", role="administrator")
    login(page, "ada")

    page.goto(f"{page.base_url}/apparatus/coverage/")
    page.click("a[href$='/functions/new/']")
    page.fill("#id_code", "giao-duc")
    page.fill("#id_name", "Giáo dục")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    row = page.locator("table.list tr", has_text="Giáo dục")
    row.locator("a[href$='/edit/']").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_code").is_disabled()
    page.fill("#id_name", "Giáo dục và Đào tạo")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Function.objects.get(code="giao-duc").name == "Giáo dục và Đào tạo"
    screenshot(page, "apparatus-coverage-definitions")

    services.function_holding_create(unit=units["001"], function=Function.objects.get(code="giao-duc"),
                                     valid_from=dt.date(2021, 1, 1))
    page.locator("table.list tr", has_text="Giáo dục và Đào tạo").locator("a[href$='/delete/']").click()
    page.click("main form button[type=submit]")  # held by a unit: refused, with the reason
    page.wait_for_selector(".errorlist.nonfield li")
    assert Function.objects.filter(code="giao-duc").exists()
