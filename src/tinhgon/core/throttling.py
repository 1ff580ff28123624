"""DRF rate limits keyed on :func:`tinhgon.core.net.client_ip`.

DRF's own ``get_ident`` believes ``X-Forwarded-For`` from any peer unless
``NUM_PROXIES`` is set, so a client could pick a fresh address for every request.
"""

from __future__ import annotations

from rest_framework import throttling

from .net import client_ip


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    def get_ident(self, request):
        return client_ip(request) or ""
