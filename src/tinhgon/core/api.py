"""Shared REST API pieces: pagination, errors, authentication, scoped viewsets."""

from __future__ import annotations

import datetime as _dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from .scoping import in_scope, restrict


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


# Generic helpers for app APIs ---------------------------------------------------------


def _may(user, action: str) -> bool:
    return bool(user and user.is_authenticated and getattr(user, "may", None) and user.may(action))


class MayChange(permissions.BasePermission):
    """Reads need the ``view`` action, writes the ``change`` action (scope is checked per object)."""

    message = gettext_lazy("Your role may not change records.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return _may(request.user, "view")
        return _may(request.user, "change")


class MayAdminister(permissions.BasePermission):
    """Reads for every signed-in user who may view; writes for administrators only."""

    message = gettext_lazy("Only administrators may change this reference data.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return _may(request.user, "view")
        return _may(request.user, "administer")


def ensure_in_scope(user, path: str | None, what: str = "") -> None:
    """Raise 403 unless the unit ``path`` lies inside the user's scopes."""
    if not in_scope(user, path):
        raise PermissionDenied(
            _("%(what)s lies outside your scope.") % {"what": what} if what else _("Outside your scope.")
        )


def date_param(request, name: str = "as_of", default: _dt.date | None = None) -> _dt.date | None:
    """A ``YYYY-MM-DD`` query parameter; a bad value is a 400 naming the parameter."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a valid date (YYYY-MM-DD).")]}) from None


def int_param(request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


def as_of_parameter(description: str = "") -> OpenApiParameter:
    """The ``as_of`` query parameter for drf-spectacular."""
    return OpenApiParameter(
        "as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
        description=description or "Date (YYYY-MM-DD) the apparatus is viewed on.",
    )


class ValidatedModelSerializer(serializers.ModelSerializer):
    """Runs the model's ``full_clean()`` (constraints included) on the data before saving.

    For plain reference data; domain writes go through services instead.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        fields = {k: v for k, v in attrs.items() if k not in {f.name for f in model._meta.many_to_many}}
        if self.instance is None:
            instance = model(**fields)
        else:
            instance = model._base_manager.get(pk=self.instance.pk)
            for k, v in fields.items():
                setattr(instance, k, v)
        instance.full_clean()
        return attrs
