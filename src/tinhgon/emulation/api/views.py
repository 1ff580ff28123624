"""REST API of good models and practices (scoped through ``restrict``; writes through the services)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import MayChange, ServiceViewSet, int_param
from tinhgon.documents.selectors import within_q

from .. import selectors, services
from ..forms import GoodModelFilterSet
from ..models import GoodModel
from . import serializers as s


class GoodModelViewSet(ServiceViewSet):
    """Good models and practices of the units in your scopes."""

    queryset = GoodModel.objects.select_related("unit", "document").order_by("-year", "title", "id")
    serializer_class = s.GoodModelSerializer
    permission_classes = [IsAuthenticated, MayChange]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = GoodModelFilterSet
    service_keyword = "good_model"

    def perform_create(self, serializer):
        serializer.instance = services.good_model_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.good_model_update(user=self.request.user, good_model=serializer.instance,
                                                         **serializer.validated_data)

    def perform_destroy(self, instance):
        services.good_model_delete(user=self.request.user, good_model=instance)

    @extend_schema(parameters=[
        OpenApiParameter("unit", OpenApiTypes.STR, required=False,
                         description="Unit code: its subtree and predecessors; by_unit lists its children."),
        OpenApiParameter("year_from", OpenApiTypes.INT, required=False),
        OpenApiParameter("year_to", OpenApiTypes.INT, required=False),
    ], responses=s.GoodModelCountsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def counts(self, request):
        """Counts by field, year and unit (each unit with its subtree)."""
        qs = selectors.good_models_for(request.user)
        root = None
        code = (request.query_params.get("unit") or "").strip()[:40]
        if code:
            root = unit_for_code(code, timezone.localdate())
            if root is None:
                raise ValidationError({"unit": [f"No unit has the code {code}."]})
            qs = qs.filter(within_q(root))
        y0, y1 = int_param(request, "year_from"), int_param(request, "year_to")
        if y0 is not None:
            qs = qs.filter(year__gte=y0)
        if y1 is not None:
            qs = qs.filter(year__lte=y1)
        by_field = [{"key": c, "label": label, "count": n} for c, label, n in selectors.counts_by_field(qs)]
        return Response({
            "total": sum(r["count"] for r in by_field), "by_field": by_field,
            "by_year": [{"key": str(y), "label": str(y), "count": n} for y, n in selectors.counts_by_year(qs)],
            "by_unit": [{"key": r["unit"].code, "label": r["unit"].name, "count": r["count"]}
                        for r in selectors.counts_by_unit(qs, root, on=timezone.localdate())]})
