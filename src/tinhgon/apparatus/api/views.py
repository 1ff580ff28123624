"""REST API of the apparatus registry: NetBox-style viewsets, writes through services.

Every queryset goes through :func:`tinhgon.core.scoping.restrict` (the restricted
viewsets of :mod:`tinhgon.core.api`): the structure (units, levels, kinds,
functions, powers and who holds them) is public to every signed-in user;
positions and payroll quotas exist only inside the user's scopes, elsewhere 404.
Writes need the ``change`` role action and a target unit inside the user's scope.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.core.api import (
    MayAdminister,
    MayChange,
    RestrictedReadOnlyViewSet,
    RestrictedViewSetMixin,
    ServiceViewSet,
    as_of_parameter,
    date_param,
    ensure_in_scope,
    int_param,
)
from tinhgon.core.dated import valid_on
from tinhgon.core.filters import FilterSet
from tinhgon.core.models import RuleSet
from tinhgon.core.scoping import may_change_everywhere, restrict

from .. import selectors, services
from ..filtersets import PayrollQuotaFilterSet, PositionFilterSet, UnitFilterSet
from ..models import (
    BodyKind,
    Function,
    FunctionHolding,
    Level,
    PayrollQuota,
    Position,
    Power,
    PowerHolding,
    Term,
    Unit,
    UnitKind,
)
from . import serializers as s

UNIT_LIST_DOC = gettext_lazy(
    "Unit versions, filtered. Without `as_of` every version is listed (history included); "
    "with `as_of` only the versions valid on that day. `valid_to` is exclusive: the first day "
    "the version no longer holds."
)


def _today() -> dt.date:
    return timezone.localdate()


def _default_day(unit: Unit) -> dt.date:
    """Today when the unit version holds today, else the version's own start date."""
    today = _today()
    return today if unit.is_valid_on(today) else unit.valid_from


def _root_path(request, name: str = "within", day: dt.date | None = None) -> str | None:
    code = request.query_params.get(name)
    if not code:
        return None
    unit = selectors.unit_for_code(code, day or _today())
    if unit is None:
        raise ValidationError({name: [_("Unknown unit code %(code)s.") % {"code": code}]})
    return unit.path


def _ensure_unit_in_scope(user, unit: Unit) -> None:
    ensure_in_scope(user, unit.path, _("Unit %(code)s (%(name)s)") % {"code": unit.code, "name": unit.name})


WITHIN_PARAM = OpenApiParameter("within", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                description="Only the subtree of the unit with this code.")


# Units --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description=UNIT_LIST_DOC),
    retrieve=extend_schema(description=gettext_lazy("One unit version.")),
)
class UnitViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):
    """Dated unit versions. Versions are immutable: no PUT, PATCH or DELETE; a change
    ends a version and starts another (``change``), ``end`` closes one."""

    queryset = Unit.objects.select_related("level", "kind")
    lookup_value_regex = "[0-9]+"  # leaves /api/units/resolve/ to the address converter
    serializer_class = s.UnitSerializer
    filterset_class = UnitFilterSet
    permission_classes = [IsAuthenticated, MayChange]

    @extend_schema(request=s.UnitCreateSerializer, responses={201: s.UnitSerializer},
                   description=gettext_lazy("Create a unit version (below a parent inside your scope)."))
    def create(self, request, *args, **kwargs):
        data = s.UnitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.to_service_kwargs()
        self._check_parent_scope(fields["parent_code"], fields["valid_from"])
        unit = services.unit_create(**fields)
        return self._answer(unit, status.HTTP_201_CREATED)

    @extend_schema(parameters=[as_of_parameter(
        "Day to look on; default today, or the unit's start date when today lies outside its period.")],
        responses=s.UnitSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None)
    def children(self, request, pk=None):
        """Units directly below this one on a day."""
        unit = self.get_object()
        day = date_param(request, "as_of", _default_day(unit))
        qs = restrict(selectors.unit_children(unit, day), request.user).order_by("path")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[as_of_parameter(
        "Day to look on; default today, or the unit's start date when today lies outside its period.")],
        responses=s.UnitSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def ancestors(self, request, pk=None):
        """The units above this one on a day, top first."""
        unit = self.get_object()
        day = date_param(request, "as_of", _default_day(unit))
        return Response(self.get_serializer(selectors.unit_ancestors(unit, day), many=True).data)

    @extend_schema(responses=s.UnitSerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def versions(self, request, pk=None):
        """Every version of this unit's code, oldest first."""
        unit = self.get_object()
        qs = restrict(selectors.unit_versions(unit.code), request.user)
        return Response(self.get_serializer(qs, many=True).data)

    @extend_schema(request=s.UnitChangeSerializer, responses={201: s.UnitSerializer},
                   description=gettext_lazy(
                       "End this version the day before `on` and start a new one with the changes; "
                       "a move re-versions the whole subtree. Answers the new version."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def change(self, request, pk=None):
        unit = self.get_object()  # restricted to the user's scope for writes: 404 outside
        data = s.UnitChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.to_service_kwargs()
        parent = fields.get("parent_code")
        if parent and parent != unit.parent_code:
            target = selectors.unit_version_on(parent, fields["on"])
            if target is None:
                raise ValidationError({"parent_code": [_("No unit with code %(code)s exists on %(on)s.")
                                                       % {"code": parent, "on": fields["on"]}]})
            _ensure_unit_in_scope(request.user, target)
        elif parent == "" and unit.parent_code:
            self._check_parent_scope("", fields["on"])
        new = services.unit_change(unit=unit, **fields)
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(request=s.UnitEndSerializer, responses={200: s.UnitSerializer},
                   description=gettext_lazy("End this version on `on` (exclusive); refused while units "
                                            "below it still hold on that day."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def end(self, request, pk=None):
        unit = self.get_object()
        data = s.UnitEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = services.unit_end(unit=unit, **data.validated_data)
        return self._answer(ended, status.HTTP_200_OK)

    def _check_parent_scope(self, parent_code: str, day: dt.date) -> None:
        """A new or moved unit must land below a unit inside the user's scope."""
        user = self.request.user
        if not parent_code:
            ensure_in_scope(user, None, _("The top of the apparatus"))
            return
        parent = selectors.unit_for_code(parent_code, day or _today())
        if parent is not None:  # an unknown parent is reported by the service as a 400
            _ensure_unit_in_scope(user, parent)

    def _answer(self, unit: Unit, code: int) -> Response:
        unit = Unit.objects.select_related("level", "kind").get(pk=unit.pk)
        return Response(s.UnitSerializer(unit, context=self.get_serializer_context()).data, status=code)


# Reference data -----------------------------------------------------------------------------------


class _ReadCreateViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Reference data: read for everyone signed in, create for administrators."""

    permission_classes = [IsAuthenticated, MayAdminister]


class LevelViewSet(_ReadCreateViewSet):
    queryset = Level.objects.all()
    serializer_class = s.LevelSerializer
    filterset_fields = ["code"]


class UnitKindViewSet(_ReadCreateViewSet):
    queryset = UnitKind.objects.select_related("level")
    serializer_class = s.UnitKindSerializer
    filterset_fields = ["code", "category"]


class BodyKindViewSet(mixins.UpdateModelMixin, _ReadCreateViewSet):
    """Kinds of bodies (what a restructuring needs to know of them): read by every signed-in user,
    created and changed by administrators."""

    queryset = BodyKind.objects.select_related("unit_kind", "territory_level")
    serializer_class = s.BodyKindSerializer
    filterset_fields = ["code", "per"]
    http_method_names = ["get", "post", "patch", "head", "options"]


class MayDefine(MayChange):
    """Reads as for any record; writes for users who may change records everywhere (the
    definitions of functions and powers are national reference data)."""

    message = gettext_lazy("Only users who may change records everywhere may define functions and powers.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return super().has_permission(request, view)
        return may_change_everywhere(request.user)


class _DefinitionViewSet(ServiceViewSet):
    """Functions and powers: read by everyone signed in; created, changed (not the code) and
    deleted (only when no unit holds them) by users who may change records everywhere."""

    permission_classes = [IsAuthenticated, MayDefine]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    filterset_fields = ["code"]


@extend_schema_view(
    create=extend_schema(description=gettext_lazy("Define a function (field of work).")),
    update=extend_schema(description=gettext_lazy("Change a function; its code does not change.")),
    partial_update=extend_schema(description=gettext_lazy("Change a function; its code does not change.")),
    destroy=extend_schema(description=gettext_lazy(
        "Delete a function that no unit holds and no power belongs to (400 otherwise).")),
)
class FunctionViewSet(_DefinitionViewSet):
    queryset = Function.objects.all()
    serializer_class = s.FunctionSerializer
    create_service = staticmethod(services.function_create)
    update_service = staticmethod(services.function_update)
    delete_service = staticmethod(services.function_delete)
    service_keyword = "function"


@extend_schema_view(
    create=extend_schema(description=gettext_lazy("Define a power (competence) with its legal basis.")),
    update=extend_schema(description=gettext_lazy("Change a power; its code does not change.")),
    partial_update=extend_schema(description=gettext_lazy("Change a power; its code does not change.")),
    destroy=extend_schema(description=gettext_lazy("Delete a power that no unit holds (400 otherwise).")),
)
class PowerViewSet(_DefinitionViewSet):
    queryset = Power.objects.select_related("function")
    serializer_class = s.PowerSerializer
    create_service = staticmethod(services.power_create)
    update_service = staticmethod(services.power_update)
    delete_service = staticmethod(services.power_delete)
    service_keyword = "power"


class _HoldingFilterSet(FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", label=gettext_lazy("Unit (id)"))
    unit_code = django_filters.CharFilter(field_name="unit__code", label=gettext_lazy("Unit code"))
    as_of = django_filters.DateFilter(method="filter_as_of", label=gettext_lazy("As of (YYYY-MM-DD)"))

    def filter_as_of(self, queryset, name, value: dt.date):
        return queryset.filter(valid_on(value)) if value else queryset


class FunctionHoldingFilterSet(_HoldingFilterSet):
    function = django_filters.CharFilter(field_name="function__code", label=gettext_lazy("Function code"))

    class Meta:
        model = FunctionHolding
        fields = ["unit", "unit_code", "as_of", "function", "role"]


class PowerHoldingFilterSet(_HoldingFilterSet):
    power = django_filters.CharFilter(field_name="power__code", label=gettext_lazy("Power code"))

    class Meta:
        model = PowerHolding
        fields = ["unit", "unit_code", "as_of", "power"]


class FunctionHoldingViewSet(RestrictedReadOnlyViewSet):
    queryset = FunctionHolding.objects.select_related("unit", "function")
    serializer_class = s.FunctionHoldingSerializer
    filterset_class = FunctionHoldingFilterSet


class PowerHoldingViewSet(RestrictedReadOnlyViewSet):
    queryset = PowerHolding.objects.select_related("unit", "power")
    serializer_class = s.PowerHoldingSerializer
    filterset_class = PowerHoldingFilterSet


class RuleSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     viewsets.GenericViewSet):
    """Dated statutory parameters: read for everyone signed in, create for administrators.

    Rule sets hold no unit, so there is no scope to restrict them to.
    """

    queryset = RuleSet.objects.all()
    serializer_class = s.RuleSetSerializer
    permission_classes = [IsAuthenticated, MayAdminister]
    filterset_fields = ["kind", "code"]


# Positions and payroll quotas (scoped) ------------------------------------------------------------


class PositionViewSet(ServiceViewSet):
    """Positions: the serializer refuses a unit outside the user's scope (403)."""

    queryset = Position.objects.select_related("unit")
    serializer_class = s.PositionSerializer
    filterset_class = PositionFilterSet
    permission_classes = [IsAuthenticated, MayChange]
    create_service = staticmethod(services.position_create)
    update_service = staticmethod(services.position_update)
    delete_service = staticmethod(services.position_delete)
    service_keyword = "position"


class PayrollQuotaViewSet(ServiceViewSet):
    queryset = PayrollQuota.objects.select_related("unit")
    serializer_class = s.PayrollQuotaSerializer
    filterset_class = PayrollQuotaFilterSet
    permission_classes = [IsAuthenticated, MayChange]

    @extend_schema(responses={200: s.PayrollQuotaSerializer, 201: s.PayrollQuotaSerializer},
                   description=gettext_lazy(
                       "Set a unit's quota for a year and category: creates it (201) or, when that "
                       "unit, year and category already have one, changes it (200)."))
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = PayrollQuota.objects.filter(
            unit=data["unit"], year=data["year"], category=data.get("category", PayrollQuota.CIVIL_SERVANT),
        ).exists()
        serializer.instance = services.payroll_quota_set(**data)
        return Response(serializer.data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    update_service = staticmethod(services.payroll_quota_update)
    delete_service = staticmethod(services.payroll_quota_delete)
    service_keyword = "payroll_quota"


class TermViewSet(ServiceViewSet):
    """Terms of office of the bodies: read by everyone signed in; recorded and deleted (when nothing
    names them) by users who may change records of that body."""

    queryset = Term.objects.select_related("body").order_by("body_code", "kind", "valid_from")
    serializer_class = s.TermSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "delete", "head", "options"]
    filterset_fields = ["body_code", "kind", "label"]
    create_service = staticmethod(services.term_create)
    delete_service = staticmethod(services.term_delete)
    service_keyword = "term"


# Reports -------------------------------------------------------------------------------------------


class PayrollRoadmapView(APIView):
    """The ≥ 5 % payroll reduction roadmap per unit and in total, inside the user's scope."""

    permission_classes = [IsAuthenticated, MayChange]

    @extend_schema(
        operation_id="payroll_roadmap_retrieve",
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                             enum=[c for c, _label in PayrollQuota.CATEGORIES],
                             description="Quota category (default civil_servant)."),
            OpenApiParameter("baseline_year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                             description="Default: the rule set's baseline year."),
            OpenApiParameter("target_year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                             description="Default: the rule set's target year."),
            WITHIN_PARAM,
            as_of_parameter("Day whose roadmap rule set applies (default today)."),
        ],
        responses=s.PayrollRoadmapSerializer,
    )
    def get(self, request):
        category = request.query_params.get("category") or PayrollQuota.CIVIL_SERVANT
        if category not in dict(PayrollQuota.CATEGORIES):
            raise ValidationError({"category": [_("Unknown category %(c)s.") % {"c": category}]})
        day = date_param(request, "as_of", _today())
        roadmap = selectors.payroll_roadmap(
            request.user, category=category, on=day, root_path=_root_path(request, day=day),
            baseline_year=int_param(request, "baseline_year"), target_year=int_param(request, "target_year"),
        )
        return Response(s.PayrollRoadmapSerializer(s.PayrollRoadmapSerializer.from_roadmap(roadmap)).data)


class CoverageView(APIView):
    """Overlaps (two units leading one function in one territory) and gaps (a required
    function or power nobody holds) on a day."""

    permission_classes = [IsAuthenticated, MayChange]

    @extend_schema(
        operation_id="coverage_retrieve",
        parameters=[as_of_parameter("Day to check (default today)."), WITHIN_PARAM],
        responses=s.CoverageSerializer,
    )
    def get(self, request):
        day = date_param(request, "as_of", _today())
        root = _root_path(request, day=day)
        overlaps = selectors.function_overlaps(day, root_path=root)
        gaps = selectors.coverage_gaps(day, root_path=root)
        return Response(s.CoverageSerializer(s.CoverageSerializer.build(day, overlaps, gaps)).data)
