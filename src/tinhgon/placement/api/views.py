"""REST API of placement: rounds (create, solve, approve, reopen, apply, close, surplus, report),
their units, posts (count), candidates (pin, unpin, exclude, include, swap, surplus decision,
pending) and the log. Reads go through :func:`tinhgon.core.scoping.restrict` (404 outside the
scopes); each action calls one service (a refused one: 400 with its message, nothing written)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.core.api import RestrictedReadOnlyViewSet, int_param
from tinhgon.core.scoping import require_scope, restrict

from .. import jobs, selectors, services
from ..models import Candidate, Round, RoundEvent, RoundUnit, Slot
from . import serializers as s

ROUND_PARAM = OpenApiParameter("round", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                               description="Only the rows of this round.")
UNIT_PARAM = OpenApiParameter("round_unit", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                              description="Only the rows of this unit of a round.")


def _need(user, action_name: str) -> None:
    if not user.may(action_name):
        raise PermissionDenied()


class _ByRound:
    def _filter_round(self, qs, field: str = "round"):
        r = int_param(self.request, "round")
        return qs.filter(**{field: r}) if r is not None else qs


class RoundViewSet(mixins.CreateModelMixin, RestrictedReadOnlyViewSet):
    """Placement rounds in your scopes."""

    lookup_value_regex = "[0-9]+"  # a malformed id is a 404, never a server error
    queryset = Round.objects.select_related("scope_unit", "plan").order_by("-id")
    serializer_class = s.PlacementRoundSerializer
    permission_classes = [IsAuthenticated]

    def _round(self, action_name: str) -> Round:
        _need(self.request.user, action_name)
        return get_object_or_404(restrict(self.get_queryset(), self.request.user, action_name), pk=self.kwargs["pk"])

    @extend_schema(request=s.PlacementRoundCreateSerializer, responses={201: s.PlacementRoundSerializer, 202: OpenApiTypes.OBJECT})
    def create(self, request, *args, **kwargs):
        from tinhgon.apparatus.selectors import unit_for_code
        from tinhgon.restructuring.models import Plan

        _need(request.user, "change")
        ser = s.PlacementRoundCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        plan = Plan.objects.filter(pk=d["plan"]).first()
        if plan is None:
            raise ValidationError({"plan": ["No such plan."]})
        scope = None
        if d.get("scope"):
            scope = unit_for_code(d["scope"], plan.effective_date)
            if scope is None:
                raise ValidationError({"scope": ["No unit has this code."]})
        if jobs.in_background(scope):
            require_scope(request.user, [scope.path if scope else ""], "change")
            job = jobs.start(plan=plan, scope_unit=scope, user=request.user, leave_date=d.get("leave_date"))
            return Response({"job": job.pk, "status": job.state if hasattr(job, "state") else "queued"},
                            status=status.HTTP_202_ACCEPTED)
        rnd = services.round_create(plan=plan, scope_unit=scope, user=request.user, leave_date=d.get("leave_date"))
        return Response(s.PlacementRoundSerializer(rnd).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.PlacementRoundSerializer)
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        rnd = services.round_solve(round=self._round("change"), user=request.user)
        return Response(s.PlacementRoundSerializer(rnd).data)

    @extend_schema(request=s.PlacementApproveSerializer, responses=s.PlacementRoundSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        rnd = self._round("approve")
        ser = s.PlacementApproveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        doc = None
        if d.pop("document", None):
            from tinhgon.documents.models import Document

            doc = Document.objects.filter(pk=ser.validated_data["document"]).first()
            if doc is None:
                raise ValidationError({"document": ["No such document."]})
        rnd = services.round_approve(round=rnd, user=request.user, document=doc, **d)
        return Response(s.PlacementRoundSerializer(rnd).data)

    @extend_schema(request=s.PlacementReasonSerializer, responses=s.PlacementRoundSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        ser = s.PlacementReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rnd = services.round_reopen(round=self._round("approve"), reason=ser.validated_data["reason"],
                                    user=request.user)
        return Response(s.PlacementRoundSerializer(rnd).data)

    @extend_schema(request=None, responses=s.PlacementRoundSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        rnd = services.round_apply(round=self._round("approve"), user=request.user)
        return Response(s.PlacementRoundSerializer(rnd).data)

    @extend_schema(request=None, responses={200: s.PlacementRoundSerializer, 400: OpenApiResponse(
        description="Somebody is neither placed, nor surplus with a decision, nor pending with a reason.")})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        rnd = services.round_close(round=self._round("approve"), user=request.user)
        return Response(s.PlacementRoundSerializer(rnd).data)

    @extend_schema(responses=s.PlacementSurplusSerializer(many=True), parameters=[
        OpenApiParameter("page", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False)])
    @action(detail=True, methods=["get"])
    def surplus(self, request, pk=None):
        rnd = self._round("view")
        page = max(1, int_param(request, "page", 1) or 1)
        qs = restrict(selectors.surplus_candidates(rnd), request.user)[(page - 1) * 100: page * 100]
        out = []
        for row in selectors.surplus_rows(rnd, list(qs)):
            out.append({
                "candidate": row.candidate, "retirement_date": row.retirement_date, "months_early": row.months_early,
                "options": row.options,
                "estimates": [{"option": e.option, "eligible": e.eligible, "amount": e.amount, "formula": e.formula,
                               "missing": e.missing, "notes": e.notes, "rule_set": e.rule_set} for e in row.estimates],
                "transfers": [{"round_unit": u.pk, "unit": u.unit_id, "name": u.name, "free": n, "distance": d}
                              for u, n, d in row.transfers]})
        return Response(s.PlacementSurplusSerializer(out, many=True).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        rnd = self._round("view")
        rep = selectors.round_report(rnd)
        return Response({
            "progress": rep["progress"], "by_option": rep["by_option"], "cost": rep["cost"], "seats": rep["seats"],
            "placed": rep["placed"], "quota": rep["quota"] if rep["quota_known"] else None,
            "units": [{"round_unit": r["unit"].pk, "code": r["unit"].code, "name": r["unit"].name,
                       "seats": r["seats"], "placed": r["placed"], "quota": r["quota"]} for r in rep["units"]]})


class RoundUnitViewSet(_ByRound, RestrictedReadOnlyViewSet):
    """The new units of the rounds."""

    lookup_value_regex = "[0-9]+"  # a malformed id is a 404, never a server error
    queryset = RoundUnit.objects.order_by("round", "path")
    serializer_class = s.PlacementRoundUnitSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ROUND_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return self._filter_round(super().get_queryset())


class SlotViewSet(_ByRound, RestrictedReadOnlyViewSet):
    """The posts of the new units (title and count)."""

    lookup_value_regex = "[0-9]+"  # a malformed id is a 404, never a server error
    queryset = Slot.objects.select_related("round_unit").order_by("round_unit", "order", "id")
    serializer_class = s.PlacementSlotSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ROUND_PARAM, UNIT_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = self._filter_round(super().get_queryset(), "round_unit__round")
        u = int_param(self.request, "round_unit")
        return qs.filter(round_unit=u) if u is not None else qs

    @extend_schema(request=s.PlacementSlotCountSerializer, responses=s.PlacementSlotSerializer)
    @action(detail=True, methods=["post"], url_path="set-count")
    def set_count(self, request, pk=None):
        _need(request.user, "change")
        slot = get_object_or_404(restrict(Slot.objects.all(), request.user, "change"), pk=pk)
        ser = s.PlacementSlotCountSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        slot = services.slot_set_count(slot=slot, user=request.user, **ser.validated_data)
        return Response(s.PlacementSlotSerializer(slot).data)


class CandidateViewSet(_ByRound, RestrictedReadOnlyViewSet):
    """Candidates and the proposal: ``slot`` is the post proposed (or pinned), empty for the surplus."""

    lookup_value_regex = "[0-9]+"  # a malformed id is a 404, never a server error
    queryset = (Candidate.objects.select_related("cadre", "from_unit").prefetch_related("options")
                .order_by("round", "id"))
    serializer_class = s.PlacementCandidateSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ROUND_PARAM, UNIT_PARAM, OpenApiParameter(
        "outcome", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, enum=["placed", "surplus", "pending"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = self._filter_round(super().get_queryset())
        u = int_param(self.request, "round_unit")
        if u is not None:
            qs = qs.filter(candidacies__round_unit=u)
        outcome = self.request.query_params.get("outcome")
        if outcome == "placed":
            qs = qs.filter(slot__isnull=False)
        elif outcome == "surplus":
            qs = qs.filter(slot__isnull=True, pending_reason="")
        elif outcome == "pending":
            qs = qs.filter(slot__isnull=True).exclude(pending_reason="")
        return qs

    def _candidate(self) -> Candidate:
        _need(self.request.user, "change")
        return get_object_or_404(restrict(Candidate.objects.all(), self.request.user, "change"), pk=self.kwargs["pk"])

    def _done(self, c: Candidate) -> Response:
        return Response(s.PlacementCandidateSerializer(self.get_queryset().model.objects.get(pk=c.pk)).data)

    @extend_schema(request=s.PlacementPinSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def pin(self, request, pk=None):
        c = self._candidate()
        ser = s.PlacementPinSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        slot = Slot.objects.filter(pk=ser.validated_data["slot"], round_unit__round=c.round_id).first()
        if slot is None:
            raise ValidationError({"slot": ["No such post in this round."]})
        return self._done(services.candidate_pin(candidate=c, slot=slot, reason=ser.validated_data["reason"],
                                                 override_reason=ser.validated_data["override_reason"],
                                                 user=request.user))

    @extend_schema(request=s.PlacementReasonSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def unpin(self, request, pk=None):
        ser = s.PlacementReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._done(services.candidate_unpin(candidate=self._candidate(), user=request.user,
                                                   **ser.validated_data))

    @extend_schema(request=s.PlacementReasonSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def exclude(self, request, pk=None):
        ser = s.PlacementReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._done(services.candidate_exclude(candidate=self._candidate(), user=request.user,
                                                     **ser.validated_data))

    @extend_schema(request=s.PlacementReasonSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def include(self, request, pk=None):
        ser = s.PlacementReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._done(services.candidate_include(candidate=self._candidate(), user=request.user,
                                                     **ser.validated_data))

    @extend_schema(request=s.PlacementSwapSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        c = self._candidate()
        ser = s.PlacementSwapSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        other = restrict(Candidate.objects.filter(round=c.round_id), request.user, "change") \
            .filter(pk=ser.validated_data["other"]).first()
        if other is None:
            raise ValidationError({"other": ["No such candidate in this round."]})
        a, _b = services.candidates_swap(first=c, second=other, reason=ser.validated_data["reason"],
                                         override_reason=ser.validated_data["override_reason"], user=request.user)
        return self._done(a)

    @extend_schema(request=s.PlacementSurplusDecisionSerializer, responses=s.PlacementCandidateSerializer, operation_id=
                   "placement_candidates_surplus_decision")
    @action(detail=True, methods=["post"], url_path="surplus-decision")
    def surplus_decision(self, request, pk=None):
        from tinhgon.apparatus.models import Unit

        c = self._candidate()
        ser = s.PlacementSurplusDecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        unit = None
        if d.pop("transfer_unit", None):
            unit = Unit.objects.filter(pk=ser.validated_data["transfer_unit"]).first()
            if unit is None:
                raise ValidationError({"transfer_unit": ["No such unit."]})
        return self._done(services.candidate_decide_surplus(candidate=c, transfer_unit=unit, user=request.user, **d))

    @extend_schema(request=s.PlacementReasonSerializer, responses=s.PlacementCandidateSerializer)
    @action(detail=True, methods=["post"])
    def pending(self, request, pk=None):
        ser = s.PlacementReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._done(services.candidate_keep_pending(candidate=self._candidate(), user=request.user,
                                                          **ser.validated_data))


class RoundEventViewSet(_ByRound, RestrictedReadOnlyViewSet):
    """The log of every action on the rounds."""

    lookup_value_regex = "[0-9]+"  # a malformed id is a 404, never a server error
    queryset = RoundEvent.objects.order_by("-time", "-id")
    serializer_class = s.PlacementEventSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ROUND_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return self._filter_round(super().get_queryset())



