import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from tinhgon.accounts.models import User
from tinhgon.core.models import ObjectChange


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _password(text: str) -> str:
    line = next(line for line in text.splitlines() if "Password:" in line)
    return line.split("Password:")[1].strip()


def test_ensure_admin_prints_password_once(db):
    first = run("ensure_admin")
    assert "http://127.0.0.1:8000/" in first and "admin" in first
    password = _password(first)
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_unrestricted and not user.must_change_password  # shown once, not temporary
    second = run("ensure_admin")
    assert password not in second and "Password:" not in second
    assert "tinhgon reset-password admin" in second
    assert User.objects.count() == 1
    assert ObjectChange.objects.filter(user_name="", source="cli").exists()


def test_ensure_admin_passwords_are_generated(db):
    a = _password(run("ensure_admin", "--username", "root1"))
    b = _password(run("ensure_admin", "--username", "root2"))
    assert a != b and len(a) >= 12


def test_reset_password_command(db):
    run("ensure_admin")
    out = run("reset_password", "admin")
    password = out.split("New password for admin:")[1].split()[0]
    assert authenticate(username="admin", password=password) is not None
    with pytest.raises(CommandError):
        run("reset_password", "nobody")


def test_api_token_command(hanoi_viewer):
    key = run("api_token", "hn-viewer").strip()
    assert len(key) == 40
    assert run("api_token", "hn-viewer").strip() == key
    assert run("api_token", "hn-viewer", "--regenerate").strip() != key
    with pytest.raises(CommandError):
        run("api_token", "nobody")
