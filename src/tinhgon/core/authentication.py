"""API authentication that also names the actor for the change log."""

from __future__ import annotations

from rest_framework import authentication

from .changelog import Actor, _actor


def _set_actor(user):
    _actor.set(Actor(user_id=user.pk, username=user.get_username(), source="api"))


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _set_actor(result[0])
        return result


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _set_actor(result[0])
        return result
