"""REST API of restructuring plans: CRUD while draft, workflow actions calling one service each.

Plans are public to read; writes go through the services, which check roles and scopes
(``PermissionDenied`` → 403) and refuse transitions (``PlanRefused`` → 400 with every
violation).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.apparatus.models import Unit
from tinhgon.core.api import RestrictedReadOnlyViewSet, as_of_parameter, date_param
from tinhgon.core.scoping import restrict

from .. import selectors, services
from .. import violations as V
from ..filtersets import PlanFilterSet, SuccessionFilterSet
from ..models import Plan, Succession
from . import serializers as s


class MayDraftOrApprove(permissions.BasePermission):
    """Reads for every signed-in user; writes for the roles that draft or approve plans."""

    message = gettext_lazy("Your role may not draft or approve restructuring plans.")

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.may("view")):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return user.may("plan") or user.may("approve")


def _refused(exc: services.PlanRefused) -> Response:
    return Response({"detail": " ".join(exc.messages), "violations": [V.as_dict(f) for f in exc.findings]},
                    status=status.HTTP_400_BAD_REQUEST)


def _forbidden(exc: DjangoPermissionDenied):
    raise PermissionDenied(str(exc) or None)


PLAN_REFUSED = {400: s.RefusalSerializer, 403: OpenApiTypes.OBJECT}


@extend_schema_view(
    list=extend_schema(description=gettext_lazy("Restructuring plans, newest effective date first.")),
    retrieve=extend_schema(description=gettext_lazy("One plan, with its status and counts.")),
    create=extend_schema(request=s.PlanWriteSerializer, responses={201: s.PlanSerializer, 403: OpenApiTypes.OBJECT},
                         description=gettext_lazy("Draft a plan (organizers inside the scope; a national plan "
                                                  "needs an administrator).")),
    update=extend_schema(request=s.PlanWriteSerializer, responses={200: s.PlanSerializer, **PLAN_REFUSED},
                         description=gettext_lazy("Change the header of a draft (or validated) plan.")),
    partial_update=extend_schema(request=s.PlanWriteSerializer, responses={200: s.PlanSerializer, **PLAN_REFUSED}),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                  mixins.UpdateModelMixin, viewsets.GenericViewSet):
    queryset = Plan.objects.all()
    serializer_class = s.PlanSerializer
    filterset_class = PlanFilterSet
    permission_classes = [IsAuthenticated, MayDraftOrApprove]

    def get_queryset(self):
        qs = restrict(super().get_queryset(), self.request.user)  # plans are public to read
        if self.action in ("list", "retrieve"):
            qs = qs.annotate(n_operations=Count("operations")).order_by("-effective_date", "-id")
        return qs

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return s.PlanWriteSerializer
        return super().get_serializer_class()

    def _answer(self, plan: Plan, code=status.HTTP_200_OK) -> Response:
        plan = Plan.objects.annotate(n_operations=Count("operations")).get(pk=plan.pk)
        return Response(s.PlanSerializer(plan, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = s.PlanWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            plan = services.plan_create(**data.validated_data, user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        return self._answer(plan, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        plan = self.get_object()
        partial = kwargs.pop("partial", False)
        data = s.PlanWriteSerializer(plan, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        try:
            plan = services.plan_update(plan=plan, user=request.user, **data.validated_data)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return self._answer(plan)

    @extend_schema(methods=["get"], responses=s.OperationSerializer(many=True), filters=False,
                   description=gettext_lazy("The operations of the plan, in order."))
    @extend_schema(methods=["post"], request=s.OperationInputSerializer(many=True),
                   responses={201: s.OperationSerializer(many=True), **PLAN_REFUSED},
                   description=gettext_lazy("Append one operation (an object) or several (a list); "
                                            "the plan goes back to draft."))
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def operations(self, request, pk=None):
        plan = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(plan.operations.order_by("seq"))
            return self.get_paginated_response(s.OperationSerializer(page, many=True).data)
        many = isinstance(request.data, list)
        data = s.OperationInputSerializer(data=request.data, many=many)
        data.is_valid(raise_exception=True)
        items = data.validated_data if many else [data.validated_data]
        if not items:
            raise ValidationError({"detail": [_("Give at least one operation.")]})
        try:
            ops = services.operations_add(plan=plan, operations=[(i["kind"], i["data"]) for i in items],
                                          user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return Response(s.OperationSerializer(ops, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ValidationResultSerializer, **PLAN_REFUSED},
                   description=gettext_lazy("Validate the plan: every violation is stored and returned; "
                                            "without errors the plan becomes validated."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def validate(self, request, pk=None):
        plan = self.get_object()
        try:
            found = services.plan_validate(plan=plan, user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        plan.refresh_from_db()
        return Response({"valid": plan.status == Plan.VALIDATED, "status": plan.status, "violations": found})

    @extend_schema(request=None, responses={200: s.PlanSerializer, **PLAN_REFUSED},
                   description=gettext_lazy("Approve a validated plan (administrators, or leaders with its scope)."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        return self._transition(services.plan_approve)

    @extend_schema(request=None, responses={200: s.ApplicationSerializer, **PLAN_REFUSED},
                   description=gettext_lazy("Apply an approved plan, all or nothing."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def apply(self, request, pk=None):
        plan = self.get_object()
        try:
            app = services.plan_apply(plan=plan, user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        plan = Plan.objects.annotate(n_operations=Count("operations")).get(pk=plan.pk)
        return Response({"plan": s.PlanSerializer(plan).data, "ended": len(app.ended), "created": len(app.created)})

    @extend_schema(request=None, responses={200: s.PlanSerializer, **PLAN_REFUSED},
                   description=gettext_lazy("Revert an applied plan exactly (administrators)."))
    @action(detail=True, methods=["post"], filterset_class=None)
    def revert(self, request, pk=None):
        return self._transition(services.plan_revert)

    def _transition(self, service) -> Response:
        plan = self.get_object()
        try:
            plan = service(plan=plan, user=self.request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return self._answer(plan)

    @extend_schema(responses=s.BodyOperationSerializer(many=True), filters=False,
                   description=gettext_lazy("The body operations derived for the plan, in order, with their "
                                            "review status."))
    @action(detail=True, methods=["get"], filterset_class=None, url_path="body-operations")
    def body_operations(self, request, pk=None):
        plan = self.get_object()
        page = self.paginate_queryset(plan.body_operations.order_by("seq"))
        return self.get_paginated_response(s.BodyOperationSerializer(page, many=True).data)

    @extend_schema(request=None, responses={201: s.BodyOperationSerializer(many=True), **PLAN_REFUSED},
                   description=gettext_lazy("Derive the body operations of the plan's territorial operations "
                                            "(replacing proposals not yet added); a name already in use is "
                                            "refused and nothing is written."))
    @action(detail=True, methods=["post"], filterset_class=None, url_path="body-operations/derive")
    def derive_body_operations(self, request, pk=None):
        plan = self.get_object()
        try:
            rows = services.body_operations_derive(plan=plan, user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return Response(s.BodyOperationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BodyTransferRouteSerializer,
                   responses={201: s.BodyOperationSerializer(many=True), **PLAN_REFUSED},
                   description=gettext_lazy("Send every transfer of one field (a function and the powers that "
                                            "belong to it) not yet added to the plan to the province or to the "
                                            "communes; the new proposals keep the review status. Refused with "
                                            "nothing written when the field, the level or a commune is missing."))
    @action(detail=True, methods=["post"], filterset_class=None, url_path="body-operations/route")
    def route_body_transfers(self, request, pk=None):
        plan = self.get_object()
        if not services.plan_may_edit(request.user, plan):  # refused before the body is read
            raise PermissionDenied(_("Only organizers with this plan's scope may draft it."))
        data = s.BodyTransferRouteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            rows = services.body_operations_route_field(plan=plan, function=data.validated_data["function"],
                                                        to=data.validated_data["to"], user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return Response(s.BodyOperationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: s.OperationSerializer(many=True), **PLAN_REFUSED},
                   description=gettext_lazy("Add the accepted body operations to the plan (it goes back to draft)."))
    @action(detail=True, methods=["post"], filterset_class=None, url_path="body-operations/include")
    def include_body_operations(self, request, pk=None):
        plan = self.get_object()
        try:
            ops = services.body_operations_include(plan=plan, user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return Response(s.OperationSerializer(ops, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.BodyOperationDecisionSerializer,
                   responses={200: s.BodyOperationSerializer, **PLAN_REFUSED, 404: OpenApiTypes.OBJECT},
                   parameters=[OpenApiParameter("body_pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
                   description=gettext_lazy("Review one body operation: accept or reject it, change where a "
                                            "transfer goes or the name a rename or merge gives."))
    @action(detail=True, methods=["patch"], filterset_class=None,
            url_path=r"body-operations/(?P<body_pk>[0-9]+)")
    def review_body_operation(self, request, pk=None, body_pk=None):
        plan = self.get_object()
        proposal = plan.body_operations.filter(pk=body_pk).first()
        if proposal is None:
            raise Http404
        data = s.BodyOperationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            with transaction.atomic():
                if "to" in v or "name" in v:
                    proposal = services.body_operation_edit(proposal=proposal, to=v.get("to"), name=v.get("name"),
                                                            user=request.user)
                if "status" in v:
                    proposal = services.body_operation_decide(proposal=proposal, decision=v["status"],
                                                              user=request.user)
        except DjangoPermissionDenied as exc:
            _forbidden(exc)
        except services.PlanRefused as exc:
            return _refused(exc)
        return Response(s.BodyOperationSerializer(proposal).data)

    @extend_schema(responses=s.FocalPointsSerializer, filters=False,
                   description=gettext_lazy("Focal points (bodies) on the eve of and on the effective date, per "
                                            "kind and level and per province."))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None, url_path="focal-points")
    def focal_points(self, request, pk=None):
        from .. import bodies

        f = bodies.focal_points(self.get_object(), user=request.user)
        return Response(s.FocalPointsSerializer({"before": f.before, "after": f.after, "change": f.change,
                                                 "kinds": f.kinds, "provinces": f.provinces}).data)

    @extend_schema(responses=s.PlanReportSerializer, filters=False,
                   parameters=[OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                                                description="Payroll quota year (default: the effective year).")],
                   description=gettext_lazy("Before/after counts by level and kind, payroll quota and every "
                                            "new unit with its predecessors."))
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def report(self, request, pk=None):
        plan = self.get_object()
        year = request.query_params.get("year")
        try:
            year = int(year) if year else None
        except ValueError:
            raise ValidationError({"year": [_("Enter a whole number.")]}) from None
        if year is not None and not 1900 <= year <= 2200:
            raise ValidationError({"year": [_("Enter a year between 1900 and 2200.")]})
        r = selectors.plan_report(plan, user=request.user, year=year)
        return Response(s.PlanReportSerializer({
            "before": r.before, "after": r.after, "quota_before": r.quota_before, "quota_after": r.quota_after,
            "reduction": r.reduction, "quota_scoped": r.scoped, "new_units": r.new_units}).data)


class SuccessionViewSet(RestrictedReadOnlyViewSet):
    """Edges of the succession graph (old version → new version), read-only."""

    queryset = Succession.objects.select_related("predecessor", "successor").order_by("id")
    serializer_class = s.SuccessionSerializer
    filterset_class = SuccessionFilterSet


class UnitLineageView(APIView):
    """What a unit version became and came from, across plans."""

    @extend_schema(responses={200: s.LineageSerializer}, operation_id="units_lineage_retrieve")
    def get(self, request, pk: int):
        unit = restrict(Unit.objects.all(), request.user).filter(pk=pk).first()
        if unit is None:
            raise Http404
        lin = selectors.unit_lineage(unit)
        return Response(s.LineageSerializer(lin).data)


class UnitResolveView(APIView):
    """An old address ("phường phúc xá, ba đình, hà nội") to the unit(s) it is on a date."""

    @extend_schema(
        responses={200: s.ResolutionSerializer(many=True)}, operation_id="units_resolve_list",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                             description="Names or codes, most specific first, comma-separated; accents optional."),
            as_of_parameter("Day the answer holds on (default today)."),
        ])
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()
        if not q:
            raise ValidationError({"q": [_("This parameter is required.")]})
        day = date_param(request, "as_of", timezone.localdate())
        return Response(s.ResolutionSerializer(selectors.resolve_address(q, as_of=day), many=True).data)
