"""An administrator derives the body operations of a plan merging two provinces and ending the district
level, accepts them, adds them to the plan, validates it and reads the focal points in the report."""

import pytest

from tinhgon.accounts.tests.factories import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_body_operations_from_derivation_to_focal_points(page, live_server):
    from tinhgon.restructuring.tests.test_bodies import build_world, make_plan

    build_world()
    plan = make_plan()
    make_user("boss", role="administrator")
    login(page, "boss")
    page.goto(f"{page.base_url}/restructuring/{plan.pk}/")
    page.click("#body-operations-link")
    page.wait_for_load_state("networkidle")
    assert page.locator("#no-body-operations").count() == 1
    page.click("#derive-bodies")
    page.wait_for_selector("#body-operations")
    rows = page.locator("#body-operations tbody tr")
    assert rows.count() == 6
    assert "Sở Y tế tỉnh Phú Thọ" in page.locator("#body-operations").inner_text()
    screenshot(page, "bodies-derived")
    page.click("#accept-all")
    page.wait_for_selector("#include-accepted")
    page.click("#include-accepted")
    page.wait_for_load_state("networkidle")
    assert f"/restructuring/{plan.pk}/" in page.url
    page.click("button[value=validate]")
    page.wait_for_load_state("networkidle")
    assert page.locator("button[value=approve]").count() == 1  # valid: no body left behind
    screenshot(page, "bodies-plan-validated")
    page.click("button[value=approve]")
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda d: d.accept())
    page.click("button[value=apply]")
    page.wait_for_load_state("networkidle")
    page.click(".workflow a[href$='/report/']")
    page.wait_for_load_state("networkidle")
    focal = page.locator("#focal-kinds").inner_text()
    assert "UBND huyện" in focal
    foot = page.locator("#focal-kinds tfoot").inner_text().split()
    assert foot[-3:] == ["7", "3", "-4"]
    assert page.locator("#focal-points svg.chart rect").count() >= 4
    screenshot(page, "bodies-focal-points")
