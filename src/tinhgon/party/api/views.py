"""REST API of party members and the development rate.

Members are visible and changed inside the scope of their organization (404 elsewhere); a
transfer needs the scope of both organizations (the service checks it)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import MayChange, ServiceViewSet, int_param

from .. import selectors, services
from ..models import PartyMember
from . import serializers as s


class PartyMemberViewSet(ServiceViewSet):
    """Party members of the organizations in your scopes; admission, official membership,
    transfer and leaving are services."""

    queryset = PartyMember.objects.select_related("organization", "cadre").order_by("organization_path", "id")
    serializer_class = s.PartyMemberSerializer
    permission_classes = [IsAuthenticated, MayChange]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["organization", "card_number"]

    def perform_create(self, serializer):
        serializer.instance = services.member_admit(user=self.request.user, **serializer.validated_data)

    def _run(self, serializer_class, call):
        member = self.get_object()
        ser = serializer_class(data=self.request.data)
        ser.is_valid(raise_exception=True)
        call(member, dict(ser.validated_data))
        member.refresh_from_db()
        return Response(s.PartyMemberSerializer(member, context=self.get_serializer_context()).data)

    @extend_schema(request=s.PartyOfficialSerializer, responses=s.PartyMemberSerializer)
    @action(detail=True, methods=["post"])
    def official(self, request, pk=None):
        return self._run(s.PartyOfficialSerializer,
                         lambda m, d: services.member_make_official(user=request.user, member=m, **d))

    @extend_schema(request=s.PartyTransferSerializer, responses=s.PartyMemberSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._run(s.PartyTransferSerializer, lambda m, d: services.member_transfer(user=request.user, member=m, **d))

    @extend_schema(request=s.PartyLeaveSerializer, responses=s.PartyMemberSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        return self._run(s.PartyLeaveSerializer, lambda m, d: services.member_leave(user=request.user, member=m, **d))

    @extend_schema(responses=s.MembershipSerializer(many=True))
    @action(detail=True, methods=["get"])
    def memberships(self, request, pk=None):
        member = self.get_object()
        return Response(s.MembershipSerializer(selectors.memberships_of(request.user, member), many=True).data)


class DevelopmentRateView(APIView):
    """The development rate (members admitted in the year ÷ members on 1 January) of every party
    organization in your scopes (or under ``unit``) and of every unit above them, rolled up."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.DevelopmentRateRowSerializer(many=True), parameters=[
        OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                         description="Year (default: this year)."),
        OpenApiParameter("unit", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                         description="Unit code: only the organizations under it."),
        OpenApiParameter("depth", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                         description="Levels below the top row to keep (default: all)."),
    ])
    def get(self, request):
        year = int_param(request, "year", timezone.localdate().year)
        if not 1930 <= year <= 9999:
            raise ValidationError({"year": ["Enter a year between 1930 and 9999."]})
        depth = int_param(request, "depth")
        if depth is not None and not 0 <= depth <= 50:
            raise ValidationError({"depth": ["Enter a number between 0 and 50."]})
        code = (request.query_params.get("unit") or "").strip()
        root = None
        if code:
            root = unit_for_code(code[:40])
            if root is None:
                raise ValidationError({"unit": [f"No unit has the code {code[:40]}."]})
        rows = selectors.development_rate(year=year, prefixes=selectors.scope_prefixes(request.user, root),
                                          floor=root.path if root else "", depth=depth)
        return Response(s.DevelopmentRateRowSerializer(rows, many=True).data)
