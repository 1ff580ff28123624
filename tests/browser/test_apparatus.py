import pytest

from tinhgon.core.testing import SMALL_TREE, make_tree, make_user

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
