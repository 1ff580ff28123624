"""Writes on users, scopes and sign-in throttling."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.audit import audit_event

from .models import LoginFailure, User, UserScope
from .roles import ADMINISTRATOR, ROLE_ACTIONS


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
    audit_event(kind="user.created", message=username, data={"role": role})
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
    scope_units, is_active: bool | None = None, by: User | None = None,
) -> User:
    """Change a user's role, details and scopes (``is_active`` left alone when ``None``).

    ``by`` is the administrator making the change: they may not take away their own
    administrator role nor deactivate themselves (nobody would be left to undo it).
    """
    _check_role(role)
    if by is not None and by.pk == user.pk:
        if user.role == ADMINISTRATOR and role != ADMINISTRATOR and not user.is_superuser:
            raise ValidationError({"role": _("You cannot remove your own administrator role.")}, code="self")
        if is_active is False:
            raise ValidationError(_("You cannot deactivate your own account."), code="self")
    user.role, user.full_name, user.email = role, full_name, email
    user.position_title = position_title
    if is_active is not None:
        user.is_active = is_active
    user.is_staff = user.is_superuser or role == ADMINISTRATOR
    user.full_clean()
    user.save()
    _set_scopes(user, scope_units)
    audit_event(kind="user.updated", message=user.username, data={"role": role})
    return user


_CODE_SPLIT = re.compile(r"[\s,;]+")


def split_codes(values: str | Iterable[str]) -> list[str]:
    """Unit codes typed by a person: separated by commas, semicolons or spaces; duplicates dropped."""
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        for code in _CODE_SPLIT.split(value or ""):
            if code and code not in out:
                out.append(code)
    return out


def scope_units_lookup(*, codes: Iterable[str], on: dt.date | None = None) -> tuple[list, list[str]]:
    """The unit versions valid on ``on`` (today) for ``codes``, and the codes that match none."""
    from tinhgon.apparatus.selectors import unit_version_on

    day = on or timezone.localdate()
    units, unknown = [], []
    for code in split_codes(list(codes)):
        unit = unit_version_on(code, day)
        if unit is None:
            unknown.append(code)
        else:
            units.append(unit)
    return units, unknown


def scope_units_for_codes(*, codes: Iterable[str], on: dt.date | None = None) -> list:
    """Like :func:`scope_units_lookup`, but any unknown code is an error naming them all."""
    units, unknown = scope_units_lookup(codes=codes, on=on)
    if unknown:
        raise ValidationError(
            {"scope_codes": _("Unknown unit code (no unit with this code exists today): %(codes)s.")
             % {"codes": ", ".join(unknown)}},
            code="unknown_unit",
        )
    return units


@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    """Stop a user from signing in (nothing is deleted; the account can be reactivated)."""
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="self")
    if user.is_active:
        user.is_active = False
        user.save()
        audit_event(kind="user.deactivated", message=user.username)
    return user


@transaction.atomic
def user_reactivate(*, user: User) -> User:
    if not user.is_active:
        user.is_active = True
        user.save()
        login_failures_clear(username=user.username)
        audit_event(kind="user.reactivated", message=user.username)
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Set a password the user chose (validated by the project's password rules)."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save()
    _api_tokens_rotate(user, keep=True)
    audit_event(kind="user.password_changed", message=user.username)
    return user


def _api_tokens_rotate(user: User, *, keep: bool) -> None:
    """A new password ends the old API token: replaced by a new one (``keep``) or simply revoked.

    Sessions end by themselves (Django checks a hash of the password); tokens do not.
    """
    from rest_framework.authtoken.models import Token

    had_token = Token.objects.filter(user=user).delete()[0] > 0
    if keep and had_token:
        Token.objects.create(user=user)


@transaction.atomic
def user_reset_password(*, user: User) -> str:
    """A temporary password (shown once) that must be changed before anything else.

    The user's API token is revoked, and the API refuses the user until the change.
    """
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    _api_tokens_rotate(user, keep=False)
    login_failures_clear(username=user.username)
    audit_event(kind="user.password_reset", message=user.username)
    return password


@transaction.atomic
def admin_ensure(*, username: str = "admin") -> tuple[User, str | None]:
    """Make sure an administrator exists; a new one gets a generated password (returned once)."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing, None
    # The generated password is strong and shown once to whoever installs the system: it is
    # not a temporary one, so the first sign-in is not diverted to a password change.
    return user_create(username=username, role=ADMINISTRATOR, full_name="", is_superuser=True,
                       password=generate_password())


def user_by_username(*, username: str) -> User:
    user = User.objects.filter(username__iexact=username).first()
    if user is None:
        raise ValidationError({"username": _("No user named %(name)s.") % {"name": username}}, code="unknown_user")
    return user


@transaction.atomic
def api_token_for(*, user: User) -> str:
    """The user's REST API token, created when there is none."""
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_event(kind="user.token_created", message=user.username)
    return token.key


@transaction.atomic
def api_token_regenerate(*, user: User) -> str:
    """Replace the user's API token: the old one stops working at once."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_event(kind="user.token_regenerated", message=user.username)
    return token.key


def api_token_of(user: User) -> str | None:
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).values_list("key", flat=True).first()
