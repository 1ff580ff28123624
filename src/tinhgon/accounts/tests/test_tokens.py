"""API tokens after password resets and changes: a temporary password opens nothing on the API."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tinhgon.accounts import services

PW = "Pw-for-tests-123"
NEW_PW = "A-much-better-pass-9"


def _with_token(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def test_reset_revokes_the_old_token(api_client, hanoi_viewer):
    key = services.api_token_for(user=hanoi_viewer)
    assert _with_token(api_client, key).get("/api/me/").status_code == 200
    services.user_reset_password(user=hanoi_viewer)
    assert not Token.objects.filter(user=hanoi_viewer).exists()
    assert _with_token(api_client, key).get("/api/me/").status_code in (401, 403)


def test_reset_through_the_api_revokes_the_old_token(api_client, admin_user, hanoi_viewer):
    key = services.api_token_for(user=hanoi_viewer)
    api_client.force_authenticate(admin_user)
    assert api_client.post(f"/api/users/{hanoi_viewer.pk}/reset-password/").status_code == 200
    api_client.force_authenticate(None)
    assert _with_token(api_client, key).get("/api/me/").status_code in (401, 403)


def test_temporary_password_obtains_no_token(api_client, hanoi_viewer):
    password = services.user_reset_password(user=hanoi_viewer)
    response = api_client.post("/api/auth/token/", {"username": "hn-viewer", "password": password}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert "token" not in body and body["code"] == "password_change_required"
    assert "password" in body["detail"].lower() or "mật khẩu" in body["detail"].lower()
    assert not Token.objects.filter(user=hanoi_viewer).exists()


def test_api_refuses_a_user_who_must_change_password(api_client, hanoi_viewer):
    """A token made before the flag was set (e.g. in the admin site) opens nothing either."""
    key = services.api_token_for(user=hanoi_viewer)
    hanoi_viewer.must_change_password = True
    hanoi_viewer.save()
    response = _with_token(api_client, key).get("/api/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_api_refuses_a_session_that_must_change_password(client, hanoi_viewer):
    password = services.user_reset_password(user=hanoi_viewer)
    assert client.post(reverse("accounts:login"), {"username": "hn-viewer", "password": password}).status_code == 302
    response = client.get("/api/me/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"


def test_after_the_change_a_token_works_again(api_client, client, hanoi_viewer):
    password = services.user_reset_password(user=hanoi_viewer)
    client.post(reverse("accounts:login"), {"username": "hn-viewer", "password": password})
    response = client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": NEW_PW, "new_password2": NEW_PW,
    })
    assert response.status_code == 302
    assert client.get("/api/me/").status_code == 200
    response = api_client.post("/api/auth/token/", {"username": "hn-viewer", "password": NEW_PW}, format="json")
    assert response.status_code == 200
    assert _with_token(api_client, response.json()["token"]).get("/api/me/").status_code == 200


@pytest.mark.parametrize("had_token", [True, False])
def test_own_password_change_rotates_the_token(api_client, hanoi_viewer, had_token):
    old = services.api_token_for(user=hanoi_viewer) if had_token else None
    services.user_password_change(user=hanoi_viewer, password=NEW_PW)
    new = services.api_token_of(hanoi_viewer)
    if had_token:
        assert new is not None and new != old
        assert _with_token(api_client, old).get("/api/me/").status_code in (401, 403)
        assert _with_token(api_client, new).get("/api/me/").status_code == 200
    else:
        assert new is None  # nothing is created for a user who never asked for a token
