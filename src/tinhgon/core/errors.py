"""Error pages that answer the API in JSON.

Django answers a path no route matches (``/api/cadres/%C2%84/``), a bad request or a
server error with an HTML page; under ``/api/`` a client expects the JSON body every
other API error has (``{"detail": ...}``), as the schema documents.  Pages keep
Django's templates.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _api(request):
        return exceptions.bad_request(request, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": str(exceptions.PermissionDenied.default_detail)}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return exceptions.server_error(request)
    return defaults.server_error(request)
