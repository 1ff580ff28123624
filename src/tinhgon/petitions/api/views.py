"""REST API of citizen petitions.

Reads go through :func:`tinhgon.core.scoping.restrict`: a matter is visible when its place
or its handling unit lies in the user's scopes, changed only through its handling unit (404
elsewhere).  Each workflow transition is an action endpoint calling one service.
``/api/petitions/deadline/`` computes a deadline from the rule set in force and stores
nothing.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import (
    MayChange,
    RestrictedViewSetMixin,
    ServiceViewSet,
    date_param,
    int_param,
)
from tinhgon.core.scoping import restrict

from .. import rules, selectors, services
from ..models import HotSpot, Petition
from . import serializers as s


def _unit_or_400(code, on=None, field="unit"):
    unit = unit_for_code(code, on or timezone.localdate()) or unit_for_code(code) if code else None
    if unit is None:
        raise ValidationError({field: [_("No unit has the code %(code)s.") % {"code": (code or "")[:40]}]})
    return unit


def _choice(request, name, choices, default=None):
    raw = request.query_params.get(name)
    if raw in (None, ""):
        if default is None:
            raise ValidationError({name: [_("This parameter is required.")]})
        return default
    if raw not in choices:
        raise ValidationError({name: [_("Choose one of: %(values)s.") % {"values": ", ".join(choices)}]})
    return raw


DEADLINE_PARAMS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=list(rules.KINDS), required=True),
    OpenApiParameter("round", OpenApiTypes.INT, enum=[1, 2], required=False, description="Default 1."),
    OpenApiParameter("accepted", OpenApiTypes.DATE, required=True, description="Acceptance date (YYYY-MM-DD)."),
    OpenApiParameter("complexity", OpenApiTypes.STR, enum=list(rules.COMPLEXITIES), required=False),
    OpenApiParameter("remote", OpenApiTypes.BOOL, required=False),
    OpenApiParameter("extensions", OpenApiTypes.INT, enum=[0, 1, 2], required=False),
    OpenApiParameter("suspended_days", OpenApiTypes.INT, required=False),
]
SIMILAR_PARAMS = [
    OpenApiParameter("text", OpenApiTypes.STR, required=False, description="Summary and content, accents optional."),
    OpenApiParameter("unit", OpenApiTypes.STR, required=False, description="Code of the place (its subtree)."),
    OpenApiParameter("subject", OpenApiTypes.STR, required=False),
    OpenApiParameter("names", OpenApiTypes.STR, required=False, description="Petitioners' names, comma-separated."),
]


class PetitionViewSet(ServiceViewSet):
    """Matters: intake (POST), their deadline and the rule set that set it, workflow actions."""

    queryset = Petition.objects.select_related("place", "handling_unit", "first_round").order_by("-received_on", "-id")
    serializer_class = s.PetitionSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["kind", "status", "subject", "round"]

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        code = (d.pop("first_round_code", "") or "").strip().upper()
        first = None
        if code:
            first = restrict(Petition.objects.filter(code=code), self.request.user).first()
            if first is None:
                raise ValidationError({"first_round_code": [_("No matter %(code)s in your scopes.") % {"code": code}]})
        serializer.instance = services.petition_receive(
            user=self.request.user, kind=d["kind"], round=d.get("round", 1), first_round=first,
            channel=d.get("channel", "desk"), subject=d["subject"], title=d["title"], content=d.get("content", ""),
            place_text=d["place_text"], received_on=d["received_on"], petitioners=d["petitioner_rows"],
            people=d.get("people_count"))

    def _run(self, serializer_class, call):
        p = self.get_object()
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        call(p, dict(ser.validated_data))
        p.refresh_from_db()
        return Response(s.PetitionSerializer(p, context=self.get_serializer_context()).data)

    @extend_schema(request=s.PetitionAcceptSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._run(s.PetitionAcceptSerializer, lambda p, d: services.petition_accept(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionReasonSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._run(s.PetitionReasonSerializer, lambda p, d: services.petition_reject(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionNoteSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._run(s.PetitionNoteSerializer, lambda p, d: services.petition_verify(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionExtendSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._run(s.PetitionExtendSerializer, lambda p, d: services.petition_extend(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionSuspendSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._run(s.PetitionSuspendSerializer,
                         lambda p, d: services.petition_suspend(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionConcludeSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        return self._run(s.PetitionConcludeSerializer,
                         lambda p, d: services.petition_conclude(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionNoteSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._run(s.PetitionNoteSerializer, lambda p, d: services.petition_close(user=request.user, petition=p, **d))

    @extend_schema(request=s.PetitionRouteSerializer, responses=s.PetitionSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        def call(p, d):
            unit = _unit_or_400(d.pop("unit"), d.get("on"))
            return services.petition_route(user=request.user, petition=p, unit=unit, **d)

        return self._run(s.PetitionRouteSerializer, call)

    @extend_schema(methods=["GET"], responses=s.PetitionContactSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.PetitionContactSerializer, responses={201: s.PetitionContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def contacts(self, request, pk=None):
        """The contacts of a matter; POST links a repeat contact to it."""
        p = self.get_object()
        if request.method == "GET":
            return Response(s.PetitionContactSerializer(p.contacts.order_by("on", "id"), many=True).data)
        ser = s.PetitionContactSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        c = services.contact_add(user=request.user, petition=p, **ser.validated_data)
        return Response(s.PetitionContactSerializer(c).data, status=201)

    @extend_schema(responses=s.PetitionEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def events(self, request, pk=None):
        return Response(s.PetitionEventSerializer(self.get_object().events.order_by("on", "id"), many=True).data)

    @extend_schema(parameters=SIMILAR_PARAMS, responses=s.PetitionSimilarSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request):
        """Existing matters like a new one (same place and subject, similar text, same petitioners —
        never a denouncer's name)."""
        q = request.query_params
        text = (q.get("text") or "")[:4000]
        names = [n for n in (q.get("names") or "").split(",") if n.strip()][:50]
        if not text.strip() and not names:
            raise ValidationError({"text": [_("Give a text or names to compare.")]})
        place = _unit_or_400(q["unit"]) if q.get("unit") else None
        hits = selectors.similar(request.user, text=text, place=place, subject=q.get("subject", ""), names=names)
        return Response(s.PetitionSimilarSerializer(hits, many=True).data)

    @extend_schema(parameters=DEADLINE_PARAMS, responses=s.PetitionDeadlineSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def deadline(self, request):
        """The statutory settlement deadline (ISO date), the raw last day before the holiday rule,
        and the rule set that gives it; nothing is stored."""
        kind = _choice(request, "kind", rules.KINDS)
        accepted = date_param(request, "accepted")
        if accepted is None:
            raise ValidationError({"accepted": [_("This parameter is required.")]})
        round_ = int(_choice(request, "round", ("1", "2"), "1"))
        complexity = _choice(request, "complexity", rules.COMPLEXITIES, rules.NORMAL)
        remote = _choice(request, "remote", ("true", "false", "1", "0"), "false") in ("true", "1")
        extensions = int_param(request, "extensions", 0)
        suspended = int_param(request, "suspended_days", 0)
        if extensions < 0 or extensions > 10:
            raise ValidationError({"extensions": [_("Enter 0, 1 or 2.")]})
        if suspended < 0 or suspended > 3650:
            raise ValidationError({"suspended_days": [_("Enter a number of days between 0 and 3650.")]})
        d = services.deadline_for(kind=kind, accepted=accepted, round=round_, complexity=complexity, remote=remote,
                                  extensions=extensions, suspended_days=suspended)
        return Response(s.PetitionDeadlineSerializer(d.as_dict()).data)


class HotSpotViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Hot spots: the evidence of the sliding window, an owner, a plan and a resolution."""

    queryset = HotSpot.objects.select_related("place", "owner").prefetch_related("petitions").order_by("-updated_on", "-id")
    serializer_class = s.HotSpotSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "patch", "post", "head", "options"]
    filterset_fields = ["status", "subject"]

    def perform_update(self, serializer):
        from tinhgon.cadres.models import Cadre

        d = serializer.validated_data
        h = serializer.instance
        owner = h.owner
        if "owner_id" in d:
            owner = restrict(Cadre.objects.all(), self.request.user).filter(pk=d["owner_id"]).first() \
                if d["owner_id"] else None
            if d["owner_id"] and owner is None:
                raise ValidationError({"owner_id": [_("No cadre with this record number in your scopes.")]})
        serializer.instance = services.hotspot_update(user=self.request.user, hotspot=h, owner=owner,
                                                      plan_kind=d.get("plan_kind", h.plan_kind),
                                                      plan=d.get("plan", h.plan))

    @extend_schema(request=s.HotSpotResolveSerializer, responses=s.HotSpotSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        if not request.user.may("change"):
            raise PermissionDenied
        h = self.get_object()
        ser = s.HotSpotResolveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.hotspot_resolve(user=request.user, hotspot=h, **ser.validated_data)
        h.refresh_from_db()
        return Response(s.HotSpotSerializer(h).data)
