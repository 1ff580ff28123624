from __future__ import annotations

from .changelog import _actor, Actor


class ChangeActorMiddleware:
    """Attribute writes made while serving a request to the signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        source = "api" if request.path.startswith("/api/") else "web"
        if user is not None and user.is_authenticated:
            actor = Actor(user_id=user.pk, username=user.get_username(), source=source)
        else:
            actor = Actor(source=source)
        token = _actor.set(actor)
        request.actor = actor
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
