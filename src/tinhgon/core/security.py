"""Response headers that keep what a signed-in user sees out of caches and lock pages to this site.

- :class:`PrivateCacheMiddleware`: every answer to a signed-in user (web session or API
  token) says ``Cache-Control: private, no-store``. Most of them carry personal data or
  data scoped to the user; a rule on "every authenticated answer" cannot be forgotten by
  a new page. Static files are left cacheable.
- :class:`ContentSecurityPolicyMiddleware`: a strict Content-Security-Policy on every
  answer (Django 5.2 has none built in). A view that needs another policy is wrapped in
  :func:`csp_override`.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control

CSP_HEADER = "Content-Security-Policy"


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
