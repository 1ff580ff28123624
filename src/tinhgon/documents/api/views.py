"""REST API of the documents registry.

Reads go through :func:`tinhgon.core.scoping.restrict` (404 outside the scope).  ``POST
/api/documents/`` registers an issued document (the number proposed when left out),
``POST /api/documents/receive/`` records a received one; ``GET /api/documents/propose/``
answers the next number without writing; ``/api/documents/counts/`` counts by type.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import MayChange, RestrictedViewSetMixin, date_param, int_param
from tinhgon.core.pagination import Pagination
from tinhgon.core.scoping import may_change_everywhere, restrict

from .. import selectors, services
from ..filtersets import DocumentFilterSet
from ..models import Document, DocumentType
from . import serializers as s


class IdsFirstPagination(Pagination):
    """The usual page and exact count; the page's ids read first, then its rows by id."""

    def django_paginator_class(self, queryset, size):
        return selectors.paginator(queryset, size)


class DocumentViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """Documents of the bodies in your scopes; ``?q=`` searches the number and symbol (accents optional) or title."""

    queryset = Document.objects.select_related("doc_type", "unit", "term").prefetch_related(
        "relations_out__target").order_by("-issued_on", "-id")
    serializer_class = s.DocumentSerializer
    pagination_class = IdsFirstPagination
    permission_classes = [IsAuthenticated, MayChange]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = DocumentFilterSet
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _out(self, doc, status=200):
        return Response(s.DocumentSerializer(doc, context=self.get_serializer_context()).data, status=status)

    def _in_scope(self, ids):
        docs = list(restrict(Document.objects.filter(pk__in=ids), self.request.user))
        if len(docs) != len(set(ids)):
            raise ValidationError({"replaces": ["No such document within your scope."]})
        return docs

    @extend_schema(request=s.DocumentRegisterSerializer, responses={201: s.DocumentSerializer})
    def create(self, request, *args, **kwargs):
        ser = s.DocumentRegisterSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = dict(ser.validated_data)
        d["replaces"] = self._in_scope(d.pop("replaces", []))
        d["amends"] = self._in_scope(d.pop("amends", []))
        return self._out(services.document_register(user=request.user, **d), status=201)

    @extend_schema(request=s.DocumentReceiveSerializer, responses={201: s.DocumentSerializer})
    @action(detail=False, methods=["post"])
    def receive(self, request):
        ser = s.DocumentReceiveSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._out(services.document_receive(user=request.user, **ser.validated_data), status=201)

    @extend_schema(request=s.DocumentUpdateSerializer, responses=s.DocumentSerializer)
    def partial_update(self, request, *args, **kwargs):
        doc = self.get_object()
        ser = s.DocumentUpdateSerializer(data=request.data, partial=True)
        ser.is_valid(raise_exception=True)
        return self._out(services.document_update(user=request.user, document=doc, **ser.validated_data))

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.document_delete(user=self.request.user, document=instance)

    @extend_schema(parameters=[
        OpenApiParameter("doc_type", OpenApiTypes.INT, required=True, description="Document type id."),
        OpenApiParameter("unit", OpenApiTypes.INT, required=True, description="Issuing body (unit id)."),
        OpenApiParameter("issued_on", OpenApiTypes.DATE, required=False, description="Default today."),
    ], responses=s.ProposalSerializer)
    @action(detail=False, methods=["get"])
    def propose(self, request):
        """The number, term or year and symbol an issued document would get (nothing is written)."""
        type_id, unit_id = int_param(request, "doc_type"), int_param(request, "unit")
        day = date_param(request, "issued_on", timezone.localdate())
        if type_id is None or unit_id is None:
            raise ValidationError({"detail": ["Give doc_type and unit."]})
        t = DocumentType.objects.filter(pk=type_id).first()
        unit = restrict(Unit.objects.all(), request.user, "view").filter(pk=unit_id).first()
        if t is None or unit is None:
            raise ValidationError({"doc_type" if t is None else "unit": ["No such document type or unit."]})
        p = services.document_propose(doc_type=t, unit=unit, issued_on=day)
        return Response({"doc_type": t.pk, "unit": unit.pk, "issued_on": day, "term": getattr(p.term, "pk", None),
                         "term_label": getattr(p.term, "label", None), "year": p.year, "number": p.number,
                         "issuer_symbol": p.issuer_symbol, "symbol": p.symbol, "errors": p.errors})

    @extend_schema(parameters=[
        OpenApiParameter("unit", OpenApiTypes.STR, required=False,
                         description="Unit code: its subtree and predecessors (default: your scope)."),
        OpenApiParameter("start", OpenApiTypes.DATE, required=False,
                         description="Default: the start of the unit's current party term, else 1 January."),
        OpenApiParameter("end", OpenApiTypes.DATE, required=False),
    ], responses=s.TypeCountSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def counts(self, request):
        """Documents per type (issued and received) in the period."""
        from tinhgon.apparatus.selectors import term_on

        today = timezone.localdate()
        unit = None
        code = (request.query_params.get("unit") or "").strip()[:40]
        if code:
            unit = unit_for_code(code, today)
            if unit is None:
                raise ValidationError({"unit": [f"No unit has the code {code}."]})
        start, end = date_param(request, "start"), date_param(request, "end")
        if not start and not end:
            term = term_on(unit, today) if unit is not None else None
            start = term.valid_from if term is not None else today.replace(month=1, day=1)
        rows = selectors.documents_counts(selectors.documents_for(request.user), unit=unit, start=start, end=end)
        return Response(s.TypeCountSerializer(rows, many=True).data)

    @extend_schema(request=s.LinkSerializer, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        """Make a plan, work program, assignment or discipline cite this document (``unlink``: remove it)."""
        doc = get_object_or_404(restrict(Document.objects.all(), request.user, "view"), pk=pk)
        ser = s.LinkSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        services.document_link(user=request.user, document=None if d["unlink"] else doc, kind=d["kind"],
                               pk=d["record"])
        return self._out(doc)

    @extend_schema(request=s.RelateSerializer, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def relate(self, request, pk=None):
        """Record that this document replaces or amends an earlier one."""
        doc = self.get_object()
        ser = s.RelateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        target = restrict(Document.objects.filter(pk=ser.validated_data["target"]), request.user).first()
        if target is None:
            raise ValidationError({"target": ["No such document within your scope."]})
        services.document_relate(user=request.user, document=doc, target=target, kind=ser.validated_data["kind"])
        return self._out(doc)

    @extend_schema(request=s.StatusSerializer, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change the validity: in force, expired, replaced."""
        doc = self.get_object()
        ser = s.StatusSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return self._out(services.document_set_status(user=request.user, document=doc,
                                                      status=ser.validated_data["status"],
                                                      on=ser.validated_data.get("on")))


class DocumentTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Document types (data): read by every signed-in user, created and changed by users who change records
    everywhere."""

    queryset = DocumentType.objects.all()
    serializer_class = s.DocumentTypeSerializer
    permission_classes = [IsAuthenticated, MayChange]
    filterset_fields = ["system", "abbreviation"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _save(self, serializer):
        from rest_framework.exceptions import PermissionDenied

        if not may_change_everywhere(self.request.user):
            raise PermissionDenied("Only users who may change records everywhere maintain document types.")
        instance = serializer.instance or DocumentType()
        for k, v in serializer.validated_data.items():
            setattr(instance, k, v)
        serializer.instance = services.document_type_save(user=self.request.user, instance=instance)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)


__all__ = ["DocumentViewSet", "DocumentTypeViewSet"]
