"""Sign-in throttling and password hashing."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from tinhgon.accounts.forms import LoginForm
from tinhgon.accounts.models import LoginFailure
from tinhgon.accounts.tests.factories import make_user

PW = "Pw-for-tests-123"


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_five_failures_lock_the_user_name(client, hanoi_viewer):
    assert django_settings.TINHGON_LOGIN_MAX_FAILURES == 5
    for _ in range(5):
        assert _login(client, "hn-viewer", "wrong").status_code == 200
    response = _login(client, "hn-viewer", PW)  # the right password no longer helps
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    errors = response.context["form"].non_field_errors().as_data()
    assert errors[0].code == "locked"
    # The message as the page shows it, in whatever language the page is in.
    with translation.override(response.headers["Content-Language"]):
        message = str(LoginForm.error_messages["locked"]) % errors[0].params
    assert escape(message) in response.content.decode()
    # another user name is not locked
    make_user("other")
    assert _login(client, "other", PW).status_code == 302


def test_lock_ignores_case(client, hanoi_viewer):
    for _ in range(5):
        _login(client, "HN-VIEWER", "wrong")
    assert _login(client, "hn-viewer", PW).status_code == 200


def test_success_clears_failures(client, hanoi_viewer):
    for _ in range(4):
        _login(client, "hn-viewer", "wrong")
    assert _login(client, "hn-viewer", PW).status_code == 302
    assert not LoginFailure.objects.filter(username="hn-viewer").exists()
    client.logout()
    for _ in range(4):
        _login(client, "hn-viewer", "wrong")
    assert _login(client, "hn-viewer", PW).status_code == 302


def test_failures_expire_after_the_window(client, hanoi_viewer, settings):
    for _ in range(5):
        _login(client, "hn-viewer", "wrong")
    settings.TINHGON_LOGIN_WINDOW_SECONDS = 0
    assert _login(client, "hn-viewer", PW).status_code == 302


def test_token_endpoint_is_throttled(api_client, hanoi_viewer, settings):
    url = "/api/auth/token/"
    for _ in range(5):
        assert api_client.post(url, {"username": "hn-viewer", "password": "x"}, format="json").status_code == 400
    response = api_client.post(url, {"username": "hn-viewer", "password": PW}, format="json")
    assert response.status_code == 429
    assert "token" not in response.json()


def test_reset_password_unlocks(client, hanoi_viewer):
    from tinhgon.accounts.services import user_reset_password

    for _ in range(5):
        _login(client, "hn-viewer", "wrong")
    password = user_reset_password(user=hanoi_viewer)
    assert _login(client, "hn-viewer", password).status_code == 302


def test_argon2_is_the_production_hasher():
    from tinhgon import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_users_get_argon2_hashes(db, settings):
    from tinhgon import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the test conftest uses MD5 for speed
    user = make_user("argon")
    assert user.password.startswith("argon2$")
    assert user.check_password(PW)


@pytest.mark.parametrize("username", ["", "ghost"])
def test_unknown_user_is_refused(client, db, username):
    assert _login(client, username, "whatever").status_code == 200
