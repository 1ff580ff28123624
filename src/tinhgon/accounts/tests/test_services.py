import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

from tinhgon.accounts import services
from tinhgon.accounts.models import User, UserScope
from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.models import AuditEvent


def test_create_with_generated_password(tree):
    user, password = services.user_create(username="an", role="clerk", scope_units=[tree["01"]])
    assert user.must_change_password
    assert len(password) >= 12 and password not in user.password
    assert authenticate(username="an", password=password) == user
    assert user.scope_paths() == [tree["01"].path]
    assert AuditEvent.objects.filter(kind="user.created", message="an").exists()


@pytest.mark.parametrize("kwargs,field", [
    ({"username": "x", "role": "emperor"}, "role"),
    ({"username": "bad name!", "role": "viewer"}, "username"),
    ({"username": "x", "role": "viewer", "email": "not-an-email"}, "email"),
])
def test_create_bad_input_changes_nothing(db, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        services.user_create(**kwargs)
    assert field in exc.value.message_dict
    assert not User.objects.exists()


def test_duplicate_user_name_ignores_case(db):
    make_user("Minh")
    with pytest.raises(ValidationError):
        services.user_create(username="minh", role="viewer")
    assert User.objects.count() == 1


def test_scope_codes(tree):
    units = services.scope_units_for_codes(codes=["01, 79", "01"])
    assert [u.code for u in units] == ["01", "79"]
    with pytest.raises(ValidationError) as exc:
        services.scope_units_for_codes(codes=["01", "nope", "zz"])
    assert "nope, zz" in str(exc.value)


def test_update_replaces_scopes(tree, hanoi_viewer):
    services.user_update(user=hanoi_viewer, role="clerk", full_name="A", email="", position_title="",
                         scope_units=[tree["79"]])
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.role == "clerk"
    assert list(UserScope.objects.filter(user=hanoi_viewer).values_list("unit__code", flat=True)) == ["79"]


def test_admin_cannot_demote_or_deactivate_self(db):
    admin = make_user("boss", role="administrator")
    with pytest.raises(ValidationError):
        services.user_update(user=admin, role="viewer", full_name="", email="", position_title="",
                             scope_units=[], by=admin)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=admin, by=admin)
    admin.refresh_from_db()
    assert admin.role == "administrator" and admin.is_active


def test_deactivate_and_reactivate(hanoi_viewer):
    services.user_deactivate(user=hanoi_viewer)
    assert authenticate(username="hn-viewer", password="Pw-for-tests-123") is None
    services.user_reactivate(user=hanoi_viewer)
    assert authenticate(username="hn-viewer", password="Pw-for-tests-123") == hanoi_viewer


def test_reset_password(hanoi_viewer):
    password = services.user_reset_password(user=hanoi_viewer)
    hanoi_viewer.refresh_from_db()
    assert hanoi_viewer.must_change_password
    assert authenticate(username="hn-viewer", password=password) == hanoi_viewer
    assert authenticate(username="hn-viewer", password="Pw-for-tests-123") is None


def test_password_change_is_validated(hanoi_viewer):
    with pytest.raises(ValidationError):
        services.user_password_change(user=hanoi_viewer, password="123")
    services.user_password_change(user=hanoi_viewer, password="A-much-better-pass-9")
    assert not hanoi_viewer.must_change_password


def test_api_token(hanoi_viewer):
    key = services.api_token_for(user=hanoi_viewer)
    assert services.api_token_for(user=hanoi_viewer) == key
    new = services.api_token_regenerate(user=hanoi_viewer)
    assert new != key and services.api_token_of(hanoi_viewer) == new
