"""REST API of citizen petitions.

Reads go through :func:`tinhgon.core.scoping.restrict`: a matter is visible when its place
or its handling unit lies in the user's scopes, changed only through its handling unit (404
elsewhere).  Each workflow transition is an action endpoint calling one service.
``/api/petitions/deadline/`` computes a deadline from the rule set in force and stores
nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
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
from ..models import DialogueSession, HotSpot, Petition, ReceptionSession
from . import serializers as s


class MayView(BasePermission):
    """A read sent as a POST (names in the body): the ``view`` action suffices."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.may("view"))


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

    @extend_schema(request=s.PetitionOfficersSerializer, responses=s.PetitionOfficersAnswerSerializer)
    @action(detail=True, methods=["post"])
    def officers(self, request, pk=None):
        """Name the handling officers (user names: active users whose scopes hold the handling unit;
        they alone see a denunciation's petitioners) and, when given, the leader in charge."""
        from tinhgon.accounts.models import User
        from tinhgon.cadres.models import Cadre

        p = self.get_object()
        ser = s.PetitionOfficersSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        names = sorted({n.strip() for n in d["officers"] if n.strip()})
        users = list(User.objects.filter(username__in=names))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise ValidationError({"officers": [_("Unknown users: %(names)s.") % {"names": ", ".join(missing)}]})
        kwargs = {}
        if "leader_id" in d:
            leader = None
            if d["leader_id"]:
                leader = restrict(Cadre.objects.all(), request.user).filter(pk=d["leader_id"]).first()
                if leader is None:
                    raise ValidationError({"leader_id": [_("No cadre with this record number in your scopes.")]})
            kwargs["leader"] = leader
        services.petition_officers_set(user=request.user, petition=p, officers=users, **kwargs)
        p.refresh_from_db()
        return Response({"code": p.code, "officers": sorted(p.handling_officers.values_list("username", flat=True)),
                         "leader_id": p.leader_id})

    @extend_schema(methods=["GET"], parameters=SIMILAR_PARAMS, responses=s.PetitionSimilarSerializer(many=True))
    @extend_schema(methods=["POST"], request=s.PetitionSimilarQuerySerializer,
                   responses={200: s.PetitionSimilarSerializer(many=True)})
    @action(detail=False, methods=["get", "post"], pagination_class=None, filter_backends=[],
            permission_classes=[IsAuthenticated, MayView])
    def similar(self, request):
        """Existing matters like a new one (same place and subject, similar text, same petitioners —
        never a denouncer's name).  GET compares a text in a place; names are compared only when
        POSTed in the body, so that they stay out of addresses and the server's access logs."""
        if request.method == "POST":
            ser = s.PetitionSimilarQuerySerializer(data=request.data)
            ser.is_valid(raise_exception=True)
            d = ser.validated_data
            names = [] if d.get("kind") == rules.DENUNCIATION else [n for n in d.get("names", []) if n.strip()]
            text, unit, subject = d.get("text", ""), d.get("unit", ""), d.get("subject", "")
        else:
            q = request.query_params
            if "names" in q:
                raise ValidationError({"names": [_("Names are not sent in the address: POST them in the body.")]})
            names, text, unit, subject = [], (q.get("text") or "")[:4000], q.get("unit", ""), q.get("subject", "")
        if not text.strip() and not names:
            raise ValidationError({"text": [_("Give a text or names to compare.")]})
        place = _unit_or_400(unit) if unit else None
        hits = selectors.similar(request.user, text=text, place=place, subject=subject, names=names)
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


def _matters_by_codes(user, codes) -> list[Petition]:
    codes = sorted({(c or "").strip().upper() for c in codes or () if (c or "").strip()})
    found = list(restrict(Petition.objects.filter(code__in=codes), user))
    missing = sorted(set(codes) - {p.code for p in found})
    if missing:
        raise ValidationError({"petition_codes": [_("No matters %(codes)s in your scopes.")
                                                  % {"codes": ", ".join(missing)}]})
    return found


def _leader_or_400(user, pk):
    from tinhgon.cadres.models import Cadre

    leader = restrict(Cadre.objects.all(), user).filter(pk=pk).first()
    if leader is None:
        raise ValidationError({"leader_id": [_("No cadre with this record number in your scopes.")]})
    return leader


class _SessionViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "head", "options"]


class ReceptionSessionViewSet(_SessionViewSet):
    """Citizen reception sessions held by leaders (seen and recorded within the unit's scope), and
    each leader's statutory reception duty for a month (``duty/``)."""

    queryset = (ReceptionSession.objects.select_related("unit", "leader").prefetch_related("petitions")
                .order_by("-on", "-id"))
    serializer_class = s.ReceptionSessionSerializer
    filterset_fields = ["leader_role", "online"]

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        user = self.request.user
        unit = _unit_or_400(d.pop("unit_code"), d.get("on"), field="unit_code")
        leader = _leader_or_400(user, d.pop("leader_id"))
        matters = _matters_by_codes(user, d.pop("petition_codes", []))
        serializer.instance = services.reception_session_create(user=user, unit=unit, leader=leader,
                                                                petitions=matters, **d)

    @extend_schema(parameters=[
        OpenApiParameter("month", OpenApiTypes.STR, required=False, description="YYYY-MM (default this month)."),
        OpenApiParameter("leader", OpenApiTypes.INT, required=False, description="Cadre record number."),
    ], responses=s.ReceptionDutyAnswerSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def duty(self, request):
        """Whether each leader who held sessions in the month met the reception duty of the rule set
        in force (the 2013 law; from 2026-07-01 the commune chair at least 2 days a month); a duty
        the rule set does not state is "unknown"."""
        today = timezone.localdate()
        raw = request.query_params.get("month") or f"{today.year}-{today.month:02d}"
        try:
            year, month = (int(x) for x in raw.split("-"))
            dt.date(year, month, 1)
        except ValueError:
            raise ValidationError({"month": [_("Enter a month as YYYY-MM.")]}) from None
        if not 1900 <= year <= 2200:
            raise ValidationError({"month": [_("Enter a month as YYYY-MM.")]})
        leader = int_param(request, "leader")
        if leader is not None and leader < 1:
            raise ValidationError({"leader": [_("Enter a cadre record number.")]})
        rows, code = selectors.reception_duty(request.user, year, month, leader_id=leader)
        return Response(s.ReceptionDutyAnswerSerializer(
            {"month": f"{year}-{month:02d}", "rule_set": code, "leaders": rows}).data)


class DialogueSessionViewSet(_SessionViewSet):
    """Dialogue sessions between leaders and citizens, their outcome linked to matters and a hot spot."""

    queryset = (DialogueSession.objects.select_related("unit", "leader", "hotspot").prefetch_related("petitions")
                .order_by("-on", "-id"))
    serializer_class = s.DialogueSessionSerializer

    def perform_create(self, serializer):
        d = dict(serializer.validated_data)
        user = self.request.user
        unit = _unit_or_400(d.pop("unit_code"), d.get("on"), field="unit_code")
        leader = _leader_or_400(user, d.pop("leader_id"))
        matters = _matters_by_codes(user, d.pop("petition_codes", []))
        hotspot = None
        if d.get("hotspot_id"):
            hotspot = restrict(HotSpot.objects.all(), user).filter(pk=d["hotspot_id"]).first()
            if hotspot is None:
                raise ValidationError({"hotspot_id": [_("No hot spot with this number in your scopes.")]})
        d.pop("hotspot_id", None)
        serializer.instance = services.dialogue_create(user=user, unit=unit, leader=leader, petitions=matters,
                                                       hotspot=hotspot, **d)
