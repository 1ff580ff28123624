import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_pages_are_vietnamese_whatever_the_browser_says(client):
    r = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert r.headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in r.content.decode()


def test_the_switch_selects_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get("/accounts/login/")
    assert r.headers["Content-Language"] == "en"
    r = client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert client.get("/accounts/login/").headers["Content-Language"] == "vi"


def test_api_honours_accept_language(client):
    r = client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code in (401, 403) and r.headers["Content-Language"] == "en"
    r = client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="vi")
    assert r.headers["Content-Language"] == "vi"


def test_a_reset_password_must_be_changed_first(client):
    from tinhgon.accounts.tests.factories import make_user

    user = make_user("eve")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    r = client.get("/apparatus/")
    assert r.status_code == 302 and r.url.startswith("/accounts/me/password/")
    assert client.get("/accounts/me/password/").status_code == 200
