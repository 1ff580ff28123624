import pytest

from tinhgon.core.testing import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_and_logout(page):
    make_user("alice", role="viewer")
    login(page, "alice")
    assert "/accounts/login/" not in page.url
    assert page.locator(".whoami").inner_text().startswith("alice")
    screenshot(page, "after-login")
    page.click("text=Đăng xuất") if page.locator("text=Đăng xuất").count() else page.click("button.link")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" in page.url


def test_wrong_password_is_refused(page):
    make_user("bob", role="viewer")
    login(page, "bob", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist").count() == 1
