"""REST API of the assessment: cycles (workflow actions call one service each), results with
their explanation, unit results, and the what-if classification that stores nothing."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.core import jobs
from tinhgon.core.api import MayChange, RestrictedReadOnlyViewSet, ServiceViewSet, int_param
from tinhgon.core.rulesets import NoRuleSet, rule_set_for
from tinhgon.core.scoping import require_scope, restrict

from .. import rules, services
from ..jobs import KIND as COMPUTE_JOB
from ..models import Cycle, Result, UnitResult
from . import serializers as s


class CycleViewSet(ServiceViewSet):
    """Assessment cycles of the units in your scopes; the workflow's steps are actions."""

    queryset = Cycle.objects.select_related("unit").order_by("-period_end", "id")
    serializer_class = s.CycleSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "kind", "unit"]

    def perform_create(self, serializer):
        serializer.instance = services.cycle_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        d = serializer.validated_data
        serializer.instance = services.cycle_update(user=self.request.user, cycle=serializer.instance,
                                                    label=d.get("label"), note=d.get("note"))

    def _answer(self, cycle):
        cycle.refresh_from_db()
        return Response(s.CycleSerializer(cycle).data)

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """Start computing the cycle's results as a background job (202 and the job)."""
        cycle = self.get_object()
        require_scope(request.user, [cycle.scope_path], "change")
        if cycle.is_locked:
            raise ValidationError({"detail": [str(_locked_message(cycle))]})
        job = jobs.job_start(kind=COMPUTE_JOB, user=request.user, label=cycle.label, params={"cycle": cycle.pk})
        return Response({"job": job.pk, "state": job.state}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        return self._answer(services.cycle_advance(user=request.user, cycle=self.get_object()))

    @extend_schema(request=None, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.cycle_approve(user=request.user, cycle=self.get_object()))

    @extend_schema(request=s.ReasonSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        data = s.ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.cycle_reopen(user=request.user, cycle=self.get_object(),
                                                  reason=data.validated_data["reason"]))

    @extend_schema(request=s.OverrideSerializer, responses=s.CycleSerializer)
    @action(detail=True, methods=["post"], url_path="cap-override")
    def cap_override(self, request, pk=None):
        data = s.OverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(services.cycle_cap_override(user=request.user, cycle=self.get_object(),
                                                        ratio=data.validated_data["ratio"],
                                                        decision=data.validated_data["decision"]))

    @extend_schema(responses=s.UnitResultSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="units")
    def units(self, request, pk=None):
        """The units ranked by the completion of their tasks (their subtree included)."""
        cycle = self.get_object()
        qs = restrict(UnitResult.objects.filter(cycle=cycle).select_related("unit"), request.user, "view")
        page = self.paginate_queryset(qs.order_by("rank", "unit_path"))
        return self.get_paginated_response(s.UnitResultSerializer(page, many=True).data)


def _locked_message(cycle):
    from django.utils.translation import gettext as _

    return _("The cycle “%(cycle)s” is approved and locked; reopen it with a reason first.") % {"cycle": cycle.label}


CYCLE_PARAM = OpenApiParameter("cycle", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                               description="The cycle's id.")


class ResultViewSet(RestrictedReadOnlyViewSet):
    """Each person's result in a cycle: score, level, and the explanation of how it was reached."""

    queryset = Result.objects.select_related("cadre", "body", "cycle").order_by("cycle", "unit_path", "-score", "id")
    serializer_class = s.ResultSerializer
    permission_classes = [IsAuthenticated, MayChange]
    filterset_fields = ["level", "is_leader", "moved_down"]

    def get_queryset(self):
        qs = super().get_queryset()
        cycle = int_param(self.request, "cycle")
        if cycle is not None:
            qs = qs.filter(cycle_id=cycle)
        return qs

    @extend_schema(parameters=[CYCLE_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.ReviewSerializer, responses=s.ResultSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The direct leader's review: the general criteria points (out of 30) and remarks."""
        data = s.ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        r = services.result_review(user=request.user, result=self.get_object(),
                                   general_points=data.validated_data.get("general_points"),
                                   remarks=data.validated_data.get("remarks", ""))
        return Response(s.ResultSerializer(r).data)

    @extend_schema(request=s.SelfAssessmentSerializer, responses=s.ResultSerializer)
    @action(detail=True, methods=["post"], url_path="self-assessment")
    def self_assessment(self, request, pk=None):
        data = s.SelfAssessmentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        r = services.result_self_assess(user=request.user, result=self.get_object(), **data.validated_data)
        return Response(s.ResultSerializer(r).data)


class ClassifyView(APIView):
    """What-if: classify a list of people under a rule set, storing nothing.

    Everyone in one call is one body and one group for the cap.  Decree 335 and Regulation
    366 take a ``score``; Decree 90/48 takes ``criteria`` (``on_time_pct``, ``done_pct``,
    ``exceeded_pct``; leaders ``leader``, ``unit_completion_pct``).  A missing input is a 400
    naming it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ClassifyInput, responses=s.ClassifyOutput)
    def post(self, request):
        data = s.ClassifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if not d.get("as_of") and not d.get("rule_set"):
            raise ValidationError({"as_of": ["Give as_of (the rule set in force) or rule_set (its code)."]})
        try:
            if d.get("rule_set"):
                kind = rules.KIND_PARTY if d["rule_set"].startswith("assessment-party") else rules.KIND
                rs = rule_set_for(kind, d.get("as_of") or _today(), code=d["rule_set"])
            else:
                rs = rule_set_for(rules.KIND, d["as_of"])
        except NoRuleSet as exc:
            raise ValidationError({"rule_set" if d.get("rule_set") else "as_of": [str(exc)]}) from None
        ids = [p["id"] for p in d["people"]]
        if len(set(ids)) != len(ids):
            raise ValidationError({"people": ["Each person's id must be unique."]})
        people = [rules.Person(p["id"], score=p.get("score"), criteria=p.get("criteria"),
                               discipline=(p["discipline"],) if p.get("discipline") else (),
                               exceeded_pct=p.get("exceeded_pct")) for p in d["people"]]
        try:
            out = rules.classify_group(people, {"code": rs.code, "parameters": rs.parameters},
                                       override_ratio=d.get("override_ratio"),
                                       override_decision=d.get("override_decision", ""))
        except rules.InputError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        results = []
        for o in out:
            steps = [st.as_dict() for st in o.steps]
            results.append({"id": o.id, "level": o.level, "level_before_cap": o.level_before_cap,
                            "score": None if o.score is None else str(o.score), "moved_down": o.moved_down,
                            "explanation": rules.summary(o.level, steps), "steps": steps})
        return Response({"rule_set": rs.code, "results": results})


def _today():
    from django.utils import timezone

    return timezone.localdate()

