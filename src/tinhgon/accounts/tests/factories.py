"""Users for tests, made through the accounts services (password hashing, scopes, change log)."""

from __future__ import annotations

import factory

from tinhgon.accounts.models import User

PASSWORD = "Pw-for-tests-123"


class UserFactory(factory.Factory):
    """``UserFactory(role="organizer", scopes=[unit])``: a user of that role bound to those units."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user-{n}")
    role = "viewer"
    scopes = ()

    @classmethod
    def _create(cls, model_class, *, username, role, scopes, **extra):
        from tinhgon.accounts.services import user_create

        user, _password = user_create(username=username, role=role, scope_units=list(scopes), password=PASSWORD,
                                      **extra)
        return user


def make_user(username: str, role: str = "viewer", scopes=(), **extra) -> User:
    """A user named ``username`` (the password is :data:`PASSWORD`)."""
    return UserFactory(username=username, role=role, scopes=scopes, **extra)
