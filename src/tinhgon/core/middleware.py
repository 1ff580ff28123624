from __future__ import annotations

from .changelog import Actor, _actor


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


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise.

    Pages follow the language the user picked with the switch in the top bar (a
    cookie), else ``LANGUAGE_CODE`` (Vietnamese) — not the browser's language, which on
    office PCs is often English.  API requests honour ``Accept-Language``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        available = {code for code, _name in settings.LANGUAGES}
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/") and lang not in available:
            lang = translation.get_language_from_request(request)
        if lang not in available:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        response.headers["Vary"] = ", ".join(
            v for v in dict.fromkeys([*(response.headers.get("Vary", "").split(", ")), "Cookie", "Accept-Language"]) if v
        )
        return response


class PasswordChangeRequiredMiddleware:
    """After a reset, the user must choose a new password before anything else."""

    ALLOWED = ("/accounts/me/password/", "/accounts/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith("/api/")
                and not any(request.path.startswith(p) for p in self.ALLOWED)):
            from django.shortcuts import redirect
            from django.urls import reverse

            target = reverse("accounts:password_change")
            if request.path != target:
                return redirect(f"{target}?next={request.path}")
        return self.get_response(request)


class NoRuleSetMiddleware:
    """A page asked about a day that no rule set covers (before the first one took effect)
    answers 400 with an explanation instead of a server error.  The API does the same in
    :func:`tinhgon.core.api.exception_handler`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .rulesets import NoRuleSet

        if not isinstance(exception, NoRuleSet):
            return None
        return render(request, "core/no_rule_set.html", {"message": str(exception)}, status=400)


class NulCharacterMiddleware:
    """Refuse (400) a request whose path or query string holds a NUL character.

    No page or API parameter takes one, and PostgreSQL can neither store nor compare text
    that holds one: ``?within=%00`` used to be a server error there.  Request bodies are
    checked by the form fields and, in the API, by :mod:`tinhgon.core.parsers`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values)
                                         for key, values in request.GET.lists()):
            from django.core.validators import ProhibitNullCharactersValidator
            from django.http import HttpResponseBadRequest, JsonResponse

            message = str(ProhibitNullCharactersValidator.message)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
