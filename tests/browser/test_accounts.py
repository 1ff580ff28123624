import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGOUT = "header form[action$='/accounts/logout/'] button"


def test_admin_creates_user_who_then_signs_in(page):
    make_tree(SMALL_TREE)
    make_user("chief", role="administrator")
    login(page, "chief")

    page.goto(f"{page.base_url}/accounts/users/")
    page.click("#new-user")
    page.fill("#id_username", "thu-ha")
    page.fill("#id_full_name", "Phạm Thu Hà")
    page.select_option("#id_role", "clerk")
    page.fill("#unit-search", "vinh phuc")  # accents optional
    page.click("#unit-results button[data-code='26']")
    page.wait_for_selector("#scope-chips .chip[data-code='26']")
    page.fill("#id_scope_codes", "01")
    screenshot(page, "user-create")
    page.click("#save-user")
    page.wait_for_selector("#generated-password")
    password = page.locator("#generated-password").inner_text().strip()
    assert len(password) >= 12
    screenshot(page, "user-created")

    page.click("#to-user")
    scopes = page.locator("#scope-table").inner_text()
    assert "Vĩnh Phúc" in scopes and "Hà Nội" in scopes
    assert password not in page.content()

    page.click(LOGOUT)
    page.wait_for_load_state("networkidle")
    login(page, "thu-ha", password)
    assert "/accounts/me/password/" in page.url  # a generated password must be replaced first
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Thu-Ha-own-pass-2025")
    page.fill("#id_new_password2", "Thu-Ha-own-pass-2025")
    page.click("#save-password")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/accounts/me/")
    assert page.locator(".whoami").inner_text().startswith("Phạm Thu Hà")
    assert "Vĩnh Phúc" in page.locator("#scope-table").inner_text()
    screenshot(page, "me")


def test_non_admin_cannot_open_user_pages(page):
    make_user("plain", role="viewer")
    login(page, "plain")
    response = page.goto(f"{page.base_url}/accounts/users/")
    assert response.status == 403
