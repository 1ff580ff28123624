import pytest

from tinhgon.accounts.models import User
from tinhgon.accounts.tests.factories import make_user

PW = "Pw-for-tests-123"


@pytest.fixture
def as_admin(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    return api_client


@pytest.fixture
def as_viewer(api_client, hanoi_viewer):
    api_client.force_authenticate(hanoi_viewer)
    return api_client


def test_me(as_viewer, tree):
    body = as_viewer.get("/api/me/").json()
    assert body["username"] == "hn-viewer" and body["role"] == "viewer"
    assert body["actions"] == ["view"]
    assert body["scopes"] == [{
        "code": "01", "name": "Thành phố Hà Nội", "path": tree["01"].path, "level": tree["01"].level.code,
        "valid_from": "2020-01-01", "valid_to": None,
    }]
    assert "password" not in body


def test_me_needs_authentication(api_client, db):
    assert api_client.get("/api/me/").status_code in (401, 403)


def test_token_then_use_it(api_client, hanoi_viewer):
    response = api_client.post("/api/auth/token/", {"username": "hn-viewer", "password": PW}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").json()["username"] == "hn-viewer"


def test_token_wrong_password(api_client, hanoi_viewer):
    response = api_client.post("/api/auth/token/", {"username": "hn-viewer", "password": "no"}, format="json")
    assert response.status_code == 400 and "token" not in response.json()


def test_users_admin_only(as_viewer, admin_user):
    assert as_viewer.get("/api/users/").status_code == 403
    assert as_viewer.get(f"/api/users/{admin_user.pk}/").status_code == 404
    assert as_viewer.patch(f"/api/users/{admin_user.pk}/", {"role": "viewer"}, format="json").status_code == 404
    assert as_viewer.post("/api/users/", {"username": "x", "role": "administrator"}, format="json").status_code == 403
    assert as_viewer.post(f"/api/users/{admin_user.pk}/reset-password/").status_code == 404
    admin_user.refresh_from_db()
    assert admin_user.role == "administrator" and not User.objects.filter(username="x").exists()


def test_users_list_and_filter(as_admin, hanoi_viewer):
    make_user("dao", full_name="Trần Thị Đào", role="clerk")
    body = as_admin.get("/api/users/").json()
    assert body["count"] == 3
    assert [u["username"] for u in as_admin.get("/api/users/", {"q": "dao"}).json()["results"]] == ["dao"]
    assert [u["username"] for u in as_admin.get("/api/users/", {"scope": "01"}).json()["results"]] == ["hn-viewer"]
    assert [u["username"] for u in as_admin.get("/api/users/", {"role": "clerk"}).json()["results"]] == ["dao"]


def test_users_create_returns_password_once(as_admin, tree):
    response = as_admin.post("/api/users/", {
        "username": "api-user", "role": "organizer", "full_name": "Đỗ Hùng", "scope_codes": ["79", "26"],
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    user = User.objects.get(username="api-user")
    assert user.check_password(body["password"]) and user.must_change_password
    assert sorted(s["code"] for s in body["scopes"]) == ["26", "79"]
    assert "password" not in as_admin.get(f"/api/users/{user.pk}/").json()


@pytest.mark.parametrize("data,field", [
    ({"username": "x", "role": "viewer", "scope_codes": ["01", "NOPE"]}, "scope_codes"),
    ({"username": "x", "role": "overlord"}, "role"),
    ({"username": "HN-viewer", "role": "viewer"}, "username"),
    ({"role": "viewer"}, "username"),
    ({"username": "x y", "role": "viewer"}, "username"),
])
def test_users_create_bad_input(as_admin, hanoi_viewer, data, field):
    before = User.objects.count()
    response = as_admin.post("/api/users/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert User.objects.count() == before


def test_users_update(as_admin, hanoi_viewer, tree):
    url = f"/api/users/{hanoi_viewer.pk}/"
    body = as_admin.patch(url, {"role": "clerk"}, format="json").json()
    assert body["role"] == "clerk" and [s["code"] for s in body["scopes"]] == ["01"]
    body = as_admin.patch(url, {"scope_codes": ["79"], "is_active": False}, format="json").json()
    assert [s["code"] for s in body["scopes"]] == ["79"] and body["is_active"] is False
    response = as_admin.patch(url, {"scope_codes": ["XX"], "role": "leader"}, format="json")
    assert response.status_code == 400
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.role == "clerk"
    assert as_admin.patch(url, {"username": "renamed"}, format="json").status_code == 400


def test_admin_cannot_demote_self(as_admin, admin_user):
    make_user("other-admin", role="administrator")
    admin_user.is_superuser = False
    admin_user.save()
    response = as_admin.patch(f"/api/users/{admin_user.pk}/", {"role": "viewer"}, format="json")
    assert response.status_code == 400


def test_reset_password(as_admin, hanoi_viewer):
    password = as_admin.post(f"/api/users/{hanoi_viewer.pk}/reset-password/").json()["password"]
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.check_password(password)


def test_schema_lists_endpoints(as_admin):
    response = as_admin.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/me/", "/api/auth/token/", "/api/users/", "/api/users/{id}/reset-password/"):
        assert path in text


def test_schema_has_no_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
