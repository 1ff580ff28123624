"""Shared REST API pieces: pagination, errors, authentication, scoped viewsets."""

from __future__ import annotations

import datetime as _dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as _SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from .filters import DATE_MAX, DATE_MIN, INT64_MAX, in_date_range
from .rulesets import NoRuleSet
from .scoping import in_scope, restrict


class NoRuleSetInForce(APIException):
    """A date no rule set covers (before the first one took effect): the question has no answer."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "no_rule_set"
    default_detail = gettext_lazy("No rule set is in force on that date.")


def exception_handler(exc, context):
    """Turn model/service validation errors into 400 answers with their messages; a date
    that no rule set covers is a 400 too."""
    if isinstance(exc, NoRuleSet):
        exc = NoRuleSetInForce(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
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


class ServiceViewSet(RestrictedModelViewSet):
    """A model viewset whose writes go through services, scoped through :func:`restrict`.

    Declare the services (``staticmethod``) and the keyword the update and delete services
    take the object by::

        class PositionViewSet(ServiceViewSet):
            queryset = Position.objects.select_related("unit")
            serializer_class = PositionSerializer
            create_service = staticmethod(services.position_create)
            update_service = staticmethod(services.position_update)
            delete_service = staticmethod(services.position_delete)
            service_keyword = "position"

    Objects outside the user's scopes are 404 (the queryset is restricted for "change" on
    writes); a service's ``ValidationError`` is a 400 with its field messages (see
    :func:`exception_handler`), and nothing is written.  A service left ``None`` makes
    that method answer 405.
    """

    create_service = update_service = delete_service = None
    service_keyword = ""

    def _require(self, service):
        if service is None:
            from rest_framework.exceptions import MethodNotAllowed

            raise MethodNotAllowed(self.request.method)
        return service

    def perform_create(self, serializer):
        serializer.instance = self._require(self.create_service)(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self._require(self.update_service)(
            **{self.service_keyword: serializer.instance}, **serializer.validated_data)

    def perform_destroy(self, instance):
        self._require(self.delete_service)(**{self.service_keyword: instance})


def enum_field(component: str, choices, *, integer: bool = False) -> type[serializers.ChoiceField]:
    """A choice field whose OpenAPI enum is its own named component (no enum name collisions)."""
    from drf_spectacular.utils import extend_schema_field

    schema = {"type": "integer" if integer else "string", "enum": [c for c, _label in choices]}
    return extend_schema_field(schema, component_name=component)(
        type(f"{component}Field", (serializers.ChoiceField,), {}))


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
        value = _dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a valid date (YYYY-MM-DD).")]}) from None
    if not in_date_range(value):
        raise ValidationError({name: [_("Enter a date between %(min)s and %(max)s.") % {
            "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}]})
    return value


def int_param(request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("Enter a whole number.")]}) from None
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValidationError({name: [_("Enter a number between %(min)s and %(max)s.") % {
            "min": -INT64_MAX - 1, "max": INT64_MAX}]})
    return value


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


# OpenAPI: the error answers every operation really gives ----------------------------------

_ERROR_SCHEMAS = {
    "ErrorDetail": {
        "type": "object",
        "description": "An error that is not about one field: refused, not found, signed out, throttled.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationErrors": {
        "description": "What was wrong with the request: messages by field (or ``detail``), "
                       "or a list of messages.",
        "anyOf": [{"type": "object", "additionalProperties": {}}, {"type": "array", "items": {}}],
    },
}
_ERRORS = {
    "400": ("ValidationErrors", "Bad input, or a change the rules refuse: the messages say why."),
    "401": ("ErrorDetail", "Not signed in (no or an unknown token)."),
    "403": ("ErrorDetail", "Signed in, but your role may not do this (or must change its password first)."),
    "404": ("ErrorDetail", "No such record inside your scopes (records of other scopes are not found either), "
                           "or a page past the end."),
    "415": ("ErrorDetail", "The body's Content-Type is none of those listed for it (or is missing)."),
    "429": ("ErrorDetail", "Too many requests: wait the seconds the Retry-After header gives."),
}
_WRITES = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(_SpectacularAutoSchema):
    """drf-spectacular's schema plus the error answers the API gives, so that a client (and the
    schema fuzzing in CI) can rely on them: 400 where there is input (a body or query
    parameters) or a write the rules may refuse, 401 and 403 wherever authentication applies,
    404 where a path names a record or a list is paged, 415 where there is a body, 429 where a
    throttle applies.  An error
    an operation documents itself may also come in the generic shape (a body that does not
    parse, a permission refused before the view runs).  Writes are never paged.  E-mail addresses and links are answered
    as they are stored, blank ones included: no format is claimed for them in answers.
    """

    def _component(self, name: str):
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name,
                                      schema=_ERROR_SCHEMAS[name])
        self.registry.register_on_missing(component)
        return component.ref

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        params = operation.get("parameters", [])
        codes = []
        if "requestBody" in operation or self.method in _WRITES or any(p.get("in") == "query" for p in params):
            codes.append("400")
        if self.get_auth():
            codes += ["401", "403"]
        elif getattr(self.view, "permission_classes", None):
            codes.append("403")
        if any(p.get("in") == "path" for p in params) or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if "requestBody" in operation:
            codes.append("415")
        if getattr(self.view, "throttle_classes", None):
            codes.append("429")
        responses = operation["responses"]
        for code in codes:
            name, description = _ERRORS[code]
            generic = self._component(name)
            declared = responses.get(code)
            if declared is None:
                responses[code] = {"description": description, "content": {"application/json": {"schema": generic}}}
                continue
            content = declared.setdefault("content", {}).setdefault("application/json", {})
            if "schema" in content and content["schema"] != generic:
                content["schema"] = {"anyOf": [content["schema"], generic]}
            else:
                content["schema"] = generic
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _get_paginator(self):
        """Only reads are paged: an action whose GET lists a page and whose POST answers the
        created rows (a plan's operations) answers those as a plain list."""
        return super()._get_paginator() if self.method == "GET" else None

    def _map_basic_serializer(self, serializer, direction):
        result = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            for prop in result.get("properties", {}).values():
                if prop.get("format") in ("email", "uri"):
                    del prop["format"]
        return result
