"""Writes on users, scopes and sign-in throttling."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.models import AuditEvent

from .models import LoginFailure, User, UserScope
from .roles import ADMINISTRATOR, ROLE_ACTIONS


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.TINHGON_LOGIN_WINDOW_SECONDS)


def login_is_locked(*, username: str, ip: str | None) -> bool:
    """Too many recent failures for this user name, or from this address."""
    limit = settings.TINHGON_LOGIN_MAX_FAILURES
    recent = LoginFailure.objects.filter(time__gte=_window_start())
    if recent.filter(username__iexact=username).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip_address=ip).count() >= limit * 4


def login_failure_record(*, username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _check_role(role: str) -> None:
    if role not in ROLE_ACTIONS:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})


@transaction.atomic
def user_create(
    *, username: str, role: str, full_name: str = "", email: str = "", position_title: str = "",
    scope_units=(), password: str | None = None, is_superuser: bool = False,
) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when not given)."""
    _check_role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user named %(name)s already exists.") % {"name": username}})
    generated = password or generate_password()
    user = User(
        username=username, role=role, full_name=full_name, email=email,
        position_title=position_title, is_superuser=is_superuser,
        is_staff=is_superuser or role == ADMINISTRATOR, must_change_password=password is None,
    )
    user.set_password(generated)
    user.full_clean()
    user.save()
    _set_scopes(user, scope_units)
    AuditEvent.objects.create(kind="user.created", message=username, data={"role": role})
    return user, generated


def _set_scopes(user: User, units) -> None:
    wanted = {u.pk: u for u in units}
    current = {s.unit_id: s for s in user.scopes.all()}
    for unit_id, scope in current.items():
        if unit_id not in wanted:
            scope.delete()
    for unit_id, unit in wanted.items():
        if unit_id not in current:
            UserScope.objects.create(user=user, unit=unit)
    user.forget_scope_cache()


@transaction.atomic
def user_update(
    *, user: User, role: str, full_name: str, email: str, position_title: str,
    is_active: bool, scope_units,
) -> User:
    _check_role(role)
    user.role, user.full_name, user.email = role, full_name, email
    user.position_title, user.is_active = position_title, is_active
    user.is_staff = user.is_superuser or role == ADMINISTRATOR
    user.full_clean()
    user.save()
    _set_scopes(user, scope_units)
    return user


@transaction.atomic
def user_reset_password(*, user: User) -> str:
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    AuditEvent.objects.create(kind="user.password_reset", message=user.username)
    return password


@transaction.atomic
def admin_ensure(*, username: str = "admin") -> tuple[User, str | None]:
    """Make sure an administrator exists; a new one gets a generated password (returned once)."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, None
    return user_create(username=username, role=ADMINISTRATOR, full_name="Quản trị hệ thống", is_superuser=True)


def api_token_for(*, user: User) -> str:
    from rest_framework.authtoken.models import Token

    token, _created = Token.objects.get_or_create(user=user)
    return token.key
