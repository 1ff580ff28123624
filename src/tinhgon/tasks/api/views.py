"""REST API of work programs and tasks.

Reads go through :func:`tinhgon.core.scoping.restrict`: a task is visible when its lead,
a coordinating or its accepting unit lies in the user's scopes, changed only through its
lead unit, accepted or returned only through its authority (404 elsewhere).  Each
workflow transition is an action endpoint calling one service; a refused issue answers
400 with ``missing_clears`` naming each clear that is missing.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import MayChange, ServiceViewSet, date_param
from tinhgon.core.scoping import restrict

from .. import rules, selectors, services
from ..models import Program, Task
from . import serializers as s

APPROVE_ACTIONS = {"accept", "return_", "extension_decision"}


class ProgramViewSet(ServiceViewSet):
    """Work programs of the units in your scopes (per term and/or year, from a source document)."""

    queryset = Program.objects.select_related("unit", "term").prefetch_related("sections").order_by("-year", "id")
    serializer_class = s.ProgramSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["year", "unit"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        sections = data.pop("section_titles", [])
        serializer.instance = services.program_create(user=self.request.user, sections=sections, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("section_titles", None)
        serializer.instance = services.program_update(user=self.request.user, program=serializer.instance, **data)


PERIOD_PARAM = OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                description="2026 (a year), 2026-Q1 (a quarter) or 2026-03 (a month); "
                                            "default: the current quarter.")
UNIT_PARAM = OpenApiParameter("unit", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                              description="Unit code (default: everything in your scopes).")
SUBTREE_PARAM = OpenApiParameter("subtree", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
                                 description="Count the units below too (default true).")
ON_PARAM = OpenApiParameter("on", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                            description="Reading date: events after it are ignored (default today).")


def _task_response(viewset, task):
    return Response(s.TaskSerializer(task, context=viewset.get_serializer_context()).data)


class TaskViewSet(ServiceViewSet):
    """Tasks with the six clears; workflow transitions are action endpoints."""

    queryset = (Task.objects.select_related("program", "lead_unit", "authority_unit", "authority_power",
                                            "assignee", "leader")
                .prefetch_related("coordinating_units").order_by("due", "id"))
    serializer_class = s.TaskSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["status", "program", "lead_unit", "leader", "assignee"]

    def get_queryset(self):
        if getattr(self, "action", None) in APPROVE_ACTIONS:
            return restrict(Task.objects.select_related("authority_unit", "lead_unit"), self.request.user, "approve")
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.TaskUpdateSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = services.task_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        coordinating = data.pop("coordinating_units", None)
        serializer.instance = services.task_update(user=self.request.user, task=serializer.instance,
                                                   coordinating_units=coordinating, **data)

    def _run(self, serializer_class, call):
        if self.action in APPROVE_ACTIONS and not self.request.user.may("approve"):
            raise PermissionDenied(_("Your role may not accept or return products."))
        task = self.get_object()
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        result = call(task, dict(ser.validated_data))
        task.refresh_from_db()
        return _task_response(self, task) if result is not None else Response(status=204)

    @extend_schema(request=s.TaskOnSerializer, responses={200: s.TaskSerializer, 400: OpenApiResponse(
        s.TaskMissingClearsSerializer, description="Refused: the clears that are missing, by name.")})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._run(s.TaskOnSerializer, lambda t, d: services.task_issue(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskReportSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        return self._run(s.TaskReportSerializer, lambda t, d: services.task_report(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskSubmitSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(s.TaskSubmitSerializer, lambda t, d: services.task_submit(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskAcceptSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(s.TaskAcceptSerializer, lambda t, d: services.task_accept(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskReasonSerializer, responses=s.TaskSerializer, operation_id="tasks_return_create")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._run(s.TaskReasonSerializer, lambda t, d: services.task_return(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskExtendSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._run(s.TaskExtendSerializer,
                         lambda t, d: services.task_extension_request(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskExtensionDecisionSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"], url_path="extension-decision")
    def extension_decision(self, request, pk=None):
        return self._run(s.TaskExtensionDecisionSerializer,
                         lambda t, d: services.task_extension_decide(user=request.user, task=t, **d))

    @extend_schema(request=s.TaskReasonSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._run(s.TaskReasonSerializer, lambda t, d: services.task_cancel(user=request.user, task=t, **d))

    @extend_schema(responses=s.TaskEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        task = self.get_object()
        return Response(s.TaskEventSerializer(task.events.order_by("on", "id"), many=True).data)

    @extend_schema(parameters=[PERIOD_PARAM, UNIT_PARAM, SUBTREE_PARAM, ON_PARAM], responses=s.TaskAccountingSerializer)
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def accounting(self, request):
        """The periodic accounting (kiểm đếm): assigned, on time, late, overdue, in progress, cancelled
        and the completion rate, for the unit (with its subtree and predecessors) and per leader in
        charge and per assignee."""
        on = date_param(request, "on", timezone.localdate())
        try:
            raw = request.query_params.get("period") or rules.current_quarter(timezone.localdate()).key
            period = rules.period_of(raw)
        except ValueError:
            raise ValidationError({"period": [_("Write the period as 2026, 2026-Q1 or 2026-03.")]}) from None
        subtree = request.query_params.get("subtree", "true").lower() not in ("false", "0", "no")
        code = request.query_params.get("unit")
        unit = None
        if code:
            unit = unit_for_code(code, min(on, period.end)) or unit_for_code(code)
            if unit is None:
                raise ValidationError({"unit": [_("No unit has the code %(code)s.") % {"code": code}]})
        qs = selectors.tasks_for(request.user, unit=unit, subtree=subtree)
        totals = selectors.accounting(qs, period, on)[0]

        def named(by):
            return [{"id": r.key, "name": r.label, **r.as_dict()}
                    for r in selectors.label_rows(selectors.accounting(qs, period, on, by=by), by)]

        return Response({"period": period.key, "start": period.start, "end": period.end, "on": on,
                         "unit": unit.code if unit else None, "subtree": subtree, "totals": totals.as_dict(),
                         "leaders": named("leader"), "assignees": named("assignee")})


def task_or_404(user, pk, action="view"):
    return get_object_or_404(restrict(Task.objects.all(), user, action), pk=pk)
