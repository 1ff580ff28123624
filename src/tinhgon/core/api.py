"""Shared REST API pieces: pagination, errors, authentication, scoped viewsets."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from .scoping import restrict


def exception_handler(exc, context):
    """Turn model/service validation errors into 400 answers with their messages."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = ValidationError({k: [str(m) for m in v.messages] if hasattr(v, "messages") else v
                                   for k, v in exc.message_dict.items()})
        else:
            exc = ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)


class RestrictedViewSetMixin:
    """Every queryset a viewset serves goes through :func:`restrict`."""

    scope_action_map = {
        "list": "view", "retrieve": "view", "create": "change", "update": "change",
        "partial_update": "change", "destroy": "change",
    }

    def get_queryset(self):
        qs = super().get_queryset()
        action = self.scope_action_map.get(getattr(self, "action", None) or "", "view")
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            action = "change"
        return restrict(qs, self.request.user, action)


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    pass
