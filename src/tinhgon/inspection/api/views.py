"""REST API of inspection and supervision.

Reads: an inspection (its findings, measures and recommendations) is visible inside the
commission's scope, and inside the inspected unit's scope once concluded; a recommendation
also to its owner's scope. Writes need the ``inspect`` action and the services check every
unit they touch (commission, inspected, disciplined person, owner); outside the scope a
record is 404. Each workflow step is an action endpoint calling one service.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.core.api import (
    RestrictedReadOnlyViewSet,
    ServiceViewSet,
    _may,
    as_of_parameter,
    date_param,
)
from tinhgon.core.scoping import restrict

from .. import selectors, services
from ..models import Inspection, InspectionPlan, Recommendation
from . import serializers as s


class MayInspect(permissions.BasePermission):
    """Reads need ``view``, writes ``inspect`` (scope is checked per object and by the services)."""

    message = "Your role may not run inspections."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return _may(request.user, "view")
        return _may(request.user, "inspect")


class _InspectScoped:
    def get_queryset(self):
        qs = self.queryset.all()
        return restrict(qs, self.request.user, "view" if self.request.method in permissions.SAFE_METHODS
                        else "inspect")


class InspectionPlanViewSet(_InspectScoped, ServiceViewSet):
    """Annual inspection plans of the commissions in your scopes (themes, period, team)."""

    queryset = InspectionPlan.objects.select_related("commission").prefetch_related("team").order_by("-year", "id")
    serializer_class = s.InspectionPlanSerializer
    permission_classes = [IsAuthenticated, MayInspect]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["year", "commission"]

    def perform_create(self, serializer):
        serializer.instance = services.plan_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("commission", None)
        plan = serializer.instance
        merged = {"title": plan.title, "period_start": plan.period_start, "period_end": plan.period_end,
                  "themes": plan.themes, "team": list(plan.team.all()), "note": plan.note, "year": plan.year, **data}
        serializer.instance = services.plan_update(user=self.request.user, plan=plan, **merged)


class InspectionViewSet(_InspectScoped, ServiceViewSet):
    """Inspections and supervisions with their findings, conclusion, measures and recommendations."""

    queryset = (Inspection.objects.select_related("commission", "subject_unit", "subject_cadre", "plan")
                .prefetch_related("findings", "measures", "recommendations").order_by("-start", "id"))
    serializer_class = s.InspectionSerializer
    permission_classes = [IsAuthenticated, MayInspect]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["status", "activity", "kind", "plan", "commission", "subject_unit"]

    def perform_create(self, serializer):
        serializer.instance = services.inspection_create(user=self.request.user, **serializer.validated_data)

    def _run(self, serializer_class, call, status=200):
        inspection = self.get_object()
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        call(inspection, dict(ser.validated_data))
        inspection = self.get_queryset().get(pk=inspection.pk)
        return Response(s.InspectionSerializer(inspection, context=self.get_serializer_context()).data, status=status)

    @extend_schema(request=s.InspectionOnSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._run(s.InspectionOnSerializer, lambda i, d: services.inspection_start(user=request.user, inspection=i, **d))

    @extend_schema(request=s.FindingSerializer, responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        return self._run(s.FindingSerializer,
                         lambda i, d: services.finding_add(user=request.user, inspection=i, **d), status=201)

    @extend_schema(request=s.InspectionConcludeSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        return self._run(s.InspectionConcludeSerializer,
                         lambda i, d: services.inspection_conclude(user=request.user, inspection=i, **d))

    @extend_schema(request=s.InspectionReasonSerializer, responses=s.InspectionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(s.InspectionReasonSerializer,
                         lambda i, d: services.inspection_cancel(user=request.user, inspection=i, **d))

    @extend_schema(request=s.MeasureSerializer, responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        def call(i, d):
            d["cadre"] = d.pop("subject_cadre", None)
            return services.measure_decide(user=request.user, inspection=i, **d)
        return self._run(s.MeasureSerializer, call, status=201)

    @extend_schema(request=s.RecommendationSerializer, responses={201: s.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def recommendations(self, request, pk=None):
        return self._run(s.RecommendationSerializer,
                         lambda i, d: services.recommendation_add(user=request.user, inspection=i, **d), status=201)


class RecommendationViewSet(RestrictedReadOnlyViewSet):
    """Recommendations after inspection, followed up until done; the owner reports on them.
    ``?overdue=1``: the open ones past their deadline."""

    queryset = Recommendation.objects.select_related("inspection", "owner_unit", "owner_cadre").order_by("due", "id")
    serializer_class = s.RecommendationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "owner_unit", "inspection"]

    def get_queryset(self):
        if getattr(self, "action", None) == "report":
            return selectors.recommendations_to_report(self.request.user)
        qs = super().get_queryset()
        if self.request.query_params.get("overdue") in ("1", "true"):
            qs = qs.filter(status=Recommendation.OPEN, due__lt=timezone.localdate())
        return qs

    @extend_schema(request=s.RecommendationReportSerializer, responses=s.RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        rec = self.get_object()
        ser = s.RecommendationReportSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rec = services.recommendation_report(user=request.user, recommendation=rec, **ser.validated_data)
        return Response(s.RecommendationSerializer(rec, context=self.get_serializer_context()).data)


class EarlyWarningView(APIView):
    """Units needing attention in your scopes: overdue tasks, overdue petitions, findings in several inspections."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.EarlyWarningSerializer(many=True),
                   parameters=[as_of_parameter("Reading date (default today).")])
    def get(self, request):
        day = date_param(request, "as_of", timezone.localdate())
        return Response(s.EarlyWarningSerializer(selectors.early_warning(request.user, on=day), many=True).data)
