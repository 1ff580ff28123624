"""Response headers that keep what a signed-in user sees out of caches and lock pages to this site.

- :class:`PrivateCacheMiddleware`: every answer to a signed-in user (web session or API
  token) says ``Cache-Control: private, no-store``. Most of them carry personal data or
  data scoped to the user; a rule on "every authenticated answer" cannot be forgotten by
  a new page. Static files are left cacheable.
- :class:`ContentSecurityPolicyMiddleware`: a strict Content-Security-Policy on every
  answer (Django 5.2 has none built in). Two exceptions, both narrow: a third-party page
  wrapped in :func:`csp_allow_own_inline` may run the inline blocks it rendered (by hash),
  and DRF's browsable API pages may use style attributes. A view that sets its own header
  keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control

CSP_HEADER = "Content-Security-Policy"

# Only this site's own files: no inline script or style, no eval, no framing, no plugins.
# htmx runs with its eval-based features off and its indicator styles in the stylesheet
# (the htmx-config meta tag in base.html).
DEFAULT_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "style-src": ("'self'",),
    "script-src": ("'self'",),
    "frame-ancestors": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "object-src": ("'none'",),
}


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        # DRF puts the user it authenticated (token or session) on the Django request too.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response


def policy_text(policy: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def _extended(policy: dict, **extra: tuple[str, ...]) -> dict:
    out = dict(policy)
    for name, values in extra.items():
        name = name.replace("_", "-")
        out[name] = tuple(dict.fromkeys([*out.get(name, ()), *values]))
    return out


_INLINE = {
    "script-src": re.compile(r"<script>(.*?)</script>", re.S),
    "style-src": re.compile(r"<style>(.*?)</style>", re.S),
}


def _inline_hashes(html: str) -> dict[str, tuple[str, ...]]:
    """The hash source of every inline ``<script>`` and ``<style>`` block of a page."""
    out = {}
    for directive, pattern in _INLINE.items():
        hashes = [
            "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
            for block in pattern.findall(html)
        ]
        if hashes:
            out[directive] = tuple(hashes)
    return out


def csp_allow_own_inline(view):
    """Let ``view``'s page run exactly the inline ``<script>``/``<style>`` blocks it renders.

    For third-party pages that carry inline blocks (the Swagger UI of the API docs): the
    policy lists the SHA-256 of each block the page was rendered with, so nothing injected
    into it runs. Style attributes stay forbidden.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.csp_allow_own_inline = True
        return response

    return wrapper


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if CSP_HEADER in response or request.path.startswith(self.static_prefix):
            return response
        policy = DEFAULT_POLICY
        if getattr(response, "csp_allow_own_inline", False) and not getattr(response, "streaming", False):
            policy = _extended(policy, **_inline_hashes(response.content.decode(response.charset or "utf-8")))
        renderer = getattr(response, "accepted_renderer", None)
        if getattr(renderer, "format", None) == "api":
            # DRF's browsable API templates carry style="…" attributes; its scripts are files.
            policy = _extended(policy, style_src=("'unsafe-inline'",))
        response[CSP_HEADER] = policy_text(policy)
        return response
