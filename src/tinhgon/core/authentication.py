"""API authentication that also names the actor for the change log.

A user whose password was reset by an administrator (``must_change_password``) is
refused on the whole API, whatever the credential: the temporary password is meant
for one thing only, choosing a new password on the web pages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .changelog import Actor, _actor

PASSWORD_CHANGE_REQUIRED = "password_change_required"


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_detail = _(
        "Change your password first: sign in on the web pages with the temporary password "
        "and choose a new one, then ask for an API token."
    )
    default_code = PASSWORD_CHANGE_REQUIRED

    def __init__(self):
        super().__init__({"detail": self.default_detail, "code": self.default_code})


def _checked(result):
    if result is not None:
        user = result[0]
        if getattr(user, "must_change_password", False):
            raise PasswordChangeRequired()
        _actor.set(Actor(user_id=user.pk, username=user.get_username(), source="api"))
    return result


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        return _checked(super().authenticate(request))


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _checked(super().authenticate(request))
