import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tinhgon.accounts.models import User
from tinhgon.accounts.tests.factories import make_user

ADMIN_PAGES = ["accounts:user_list", "accounts:user_create"]
OBJECT_PAGES = ["accounts:user", "accounts:user_edit", "accounts:user_reset_password"]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_non_admin_gets_403(viewer_client, name):
    assert viewer_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_object_pages(admin_client, hanoi_viewer, name):
    assert admin_client.get(reverse(name, args=[hanoi_viewer.pk])).status_code == 200


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_non_admin_gets_404_for_objects(viewer_client, admin_user, name):
    assert viewer_client.get(reverse(name, args=[admin_user.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, admin_user):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_non_admin_cannot_post(viewer_client, hanoi_viewer, admin_user):
    for name in ("accounts:user_deactivate", "accounts:user_reset_password", "accounts:user_edit"):
        assert viewer_client.post(reverse(name, args=[admin_user.pk]), {"role": "viewer"}).status_code == 404
    assert viewer_client.post(reverse("accounts:user_create"), {"username": "x", "role": "administrator"}).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.is_active and not User.objects.filter(username="x").exists()


def test_list_search_accent_insensitive_and_filters(admin_client, tree):
    make_user("u1", role="clerk", full_name="Nguyễn Văn Ánh", scopes=[tree["01"]])
    make_user("u2", role="viewer", full_name="Trần Thị Đào")
    make_user("u3", role="viewer", full_name="Lê Văn Cũ").__class__.objects.filter(username="u3").update(is_active=False)
    url = reverse("accounts:user_list")
    assert [u.username for u in admin_client.get(url, {"q": "nguyen van anh"}).context["page"]] == ["u1"]
    assert [u.username for u in admin_client.get(url, {"q": "DAO"}).context["page"]] == ["u2"]
    assert [u.username for u in admin_client.get(url, {"role": "clerk"}).context["page"]] == ["u1"]
    assert [u.username for u in admin_client.get(url, {"is_active": "false"}).context["page"]] == ["u3"]
    assert [u.username for u in admin_client.get(url, {"scope": "01"}).context["page"]] == ["u1"]


def test_export_xlsx(admin_client, hanoi_viewer):
    response = admin_client.get(reverse("accounts:user_list"), {"q": "hn", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(ws.values)
    assert rows[0][0] == "User name" or rows[0][0]  # header (translated later)
    assert [r[0] for r in rows[1:]] == ["hn-viewer"]
    assert "01" in rows[1][6]


def test_create_user_shows_password_once(admin_client, tree):
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "new-clerk", "full_name": "Phạm Thu Hà", "role": "clerk",
        "scope_codes": ["79", "01, 26"],
    })
    assert response.status_code == 200
    password = response.context["password"]
    assert password and password.encode() in response.content
    assert "no-store" in response.get("Cache-Control", "") or "max-age=0" in response.get("Cache-Control", "")
    user = User.objects.get(username="new-clerk")
    assert user.check_password(password) and password not in user.password
    assert sorted(user.scopes.values_list("unit__code", flat=True)) == ["01", "26", "79"]
    # the detail page never shows the password again
    assert password.encode() not in admin_client.get(reverse("accounts:user", args=[user.pk])).content


@pytest.mark.parametrize("data,field", [
    ({"username": "x", "role": "viewer", "scope_codes": "01, NOPE"}, "scope_codes"),
    ({"username": "x", "role": "overlord"}, "role"),
    ({"username": "admin-TEST", "role": "viewer"}, "username"),
    ({"username": "has space", "role": "viewer"}, "username"),
    ({"username": "", "role": "viewer"}, "username"),
])
def test_create_bad_input_changes_nothing(admin_client, tree, data, field):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == before


def test_unknown_code_message_and_chips_kept(admin_client, tree):
    response = admin_client.post(reverse("accounts:user_create"), {
        "username": "x", "role": "viewer", "scope_codes": ["01", "NOPE"],
    })
    assert "NOPE" in response.context["form"].errors["scope_codes"][0]
    assert [u.code for u in response.context["form"].picked_units] == ["01"]
    assert response.context["form"].typed_codes() == "NOPE"


def test_edit_user(admin_client, tree, hanoi_viewer):
    url = reverse("accounts:user_edit", args=[hanoi_viewer.pk])
    response = admin_client.get(url)
    assert [u.code for u in response.context["form"].picked_units] == ["01"]
    response = admin_client.post(url, {"role": "organizer", "full_name": "Vũ Minh", "scope_codes": ["79"]})
    assert response.status_code == 302
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.role == "organizer" and hanoi_viewer.full_name == "Vũ Minh"
    assert list(hanoi_viewer.scopes.values_list("unit__code", flat=True)) == ["79"]


def test_edit_bad_scope_changes_nothing(admin_client, tree, hanoi_viewer):
    url = reverse("accounts:user_edit", args=[hanoi_viewer.pk])
    response = admin_client.post(url, {"role": "clerk", "full_name": "Z", "scope_codes": "XX"})
    assert response.status_code == 200
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.role == "viewer" and hanoi_viewer.full_name == ""
    assert list(hanoi_viewer.scopes.values_list("unit__code", flat=True)) == ["01"]


def test_deactivate_reactivate(admin_client, admin_user, hanoi_viewer):
    admin_client.post(reverse("accounts:user_deactivate", args=[hanoi_viewer.pk]))
    hanoi_viewer.refresh_from_db()
    assert not hanoi_viewer.is_active
    admin_client.post(reverse("accounts:user_reactivate", args=[hanoi_viewer.pk]))
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.is_active
    # not oneself
    admin_client.post(reverse("accounts:user_deactivate", args=[admin_user.pk]))
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert admin_client.get(reverse("accounts:user_deactivate", args=[hanoi_viewer.pk])).status_code == 405


def test_reset_password_page(admin_client, hanoi_viewer):
    url = reverse("accounts:user_reset_password", args=[hanoi_viewer.pk])
    admin_client.get(url)
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.check_password("Pw-for-tests-123")  # GET only asks for confirmation
    password = admin_client.post(url).context["password"]
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.check_password(password) and hanoi_viewer.must_change_password


def test_detail_shows_scopes_and_changes(admin_client, tree, hanoi_viewer):
    from tinhgon.apparatus.services import position_create
    from tinhgon.core.changelog import acting_as

    with acting_as(hanoi_viewer, source="web"):
        position_create(unit=tree["001"], title="Phó Chủ tịch")
    response = admin_client.get(reverse("accounts:user", args=[hanoi_viewer.pk]))
    assert response.status_code == 200
    assert [s.unit.code for s in response.context["scopes"]] == ["01"]
    assert any("Phó Chủ tịch" in c.object_repr for c in response.context["changes_by"])
    assert response.context["changes_to"]


def test_unit_picker(admin_client, tree):
    response = admin_client.get(reverse("accounts:unit_picker"), {"q": "ha noi"})
    assert b'data-code="01"' in response.content
    response = admin_client.get(reverse("accounts:unit_picker"), {"q": "79"})
    assert b'data-code="79"' in response.content
    chip = admin_client.get(reverse("accounts:unit_chip"), {"code": "001"})
    assert b'name="scope_codes" value="001"' in chip.content


def test_unit_picker_admin_only(viewer_client, tree):
    assert viewer_client.get(reverse("accounts:unit_picker"), {"q": "ha"}).status_code == 403


def test_me_page_and_token(viewer_client, hanoi_viewer):
    response = viewer_client.get(reverse("accounts:me"))
    assert response.status_code == 200
    assert [s.unit.code for s in response.context["scopes"]] == ["01"]
    assert response.context["token"] is None
    viewer_client.post(reverse("accounts:me_token"))
    key = viewer_client.get(reverse("accounts:me")).context["token"]
    assert key and key.encode() in viewer_client.get(reverse("accounts:me")).content
    viewer_client.post(reverse("accounts:me_token"), {"regenerate": "1"})
    assert viewer_client.get(reverse("accounts:me")).context["token"] not in (None, key)


def test_password_change(viewer_client, hanoi_viewer):
    url = reverse("accounts:password_change")
    response = viewer_client.post(url, {"old_password": "wrong", "new_password1": "Xx-new-pass-123",
                                        "new_password2": "Xx-new-pass-123"})
    assert response.status_code == 200 and response.context["form"].errors
    response = viewer_client.post(url, {"old_password": "Pw-for-tests-123", "new_password1": "Xx-new-pass-123",
                                        "new_password2": "Xx-new-pass-123"})
    assert response.status_code == 302
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.check_password("Xx-new-pass-123")
    assert viewer_client.get(reverse("accounts:me")).status_code == 200  # still signed in


def test_must_change_password_after_login(client, admin_user, hanoi_viewer):
    from tinhgon.accounts import services

    password = services.user_reset_password(user=hanoi_viewer)
    response = client.post(reverse("accounts:login"), {"username": "hn-viewer", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password1": "Xx-new-pass-123", "new_password2": "Xx-new-pass-123"})
    hanoi_viewer.refresh_from_db()
    assert not hanoi_viewer.must_change_password


def test_menu_entry_only_for_admins(client, admin_user, hanoi_viewer):
    url = f'href="{reverse("accounts:user_list")}"'.encode()
    client.force_login(admin_user)
    assert url in client.get(reverse("accounts:me")).content
    client.force_login(hanoi_viewer)
    assert url not in client.get(reverse("accounts:me")).content


def test_every_user_finds_my_account_in_the_menu(client, hanoi_viewer):
    client.force_login(hanoi_viewer)
    assert f'href="{reverse("accounts:me")}"'.encode() in client.get(reverse("home")).content
