import pytest

from tinhgon.accounts.tests.factories import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGOUT = "header form[action$='/accounts/logout/'] button"


def test_login_and_logout(page):
    make_user("alice", role="viewer")
    login(page, "alice")
    assert "/accounts/login/" not in page.url
    # The start page belongs to another app; "my account" always extends base.html.
    page.goto(f"{page.base_url}/accounts/me/")
    assert page.locator(".whoami").inner_text().startswith("alice")
    screenshot(page, "after-login")
    page.click(LOGOUT)
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url
    page.goto(f"{page.base_url}/accounts/me/")
    assert "/accounts/login/" in page.url  # signed out for real


def test_wrong_password_is_refused(page):
    make_user("bob", role="viewer")
    login(page, "bob", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").count() == 1


def test_lock_after_repeated_failures(page):
    make_user("carol", role="viewer")
    for _ in range(5):
        login(page, "carol", "not-the-password")
    login(page, "carol")  # the right password, too late
    assert "/accounts/login/" in page.url
    assert page.locator("main .errorlist[role=alert]").count() == 1
    screenshot(page, "login-locked")
