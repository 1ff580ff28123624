"""REST API of the cadre records.

Every queryset goes through :func:`tinhgon.core.scoping.restrict` (a cadre belongs to
the unit of its current primary position): elsewhere a record does not exist (404).
Writes need the ``change`` action, the record in scope for changes and the target unit
in scope.  Citizen IDs and birth dates are masked for users without the
``personal_data`` action; every response carrying unmasked records writes one
personal-data access row per record (channel ``api``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tinhgon.core import jobs
from tinhgon.core.api import MayChange, RestrictedViewSetMixin, ensure_in_scope, int_param
from tinhgon.core.api_jobs import JobSerializer
from tinhgon.core.exports import XLSX, xlsx_response
from tinhgon.core.pagination import CappedPagination
from tinhgon.core.scoping import restrict

from .. import export_job, exports, importers, selectors, services
from ..filtersets import PARAMS, CadreFilterSet
from ..models import Assignment, Cadre, PoolEntry, SavedSearch
from ..views.common import photo_response
from . import serializers as s

CADRE_LIST_DOC = gettext_lazy(
    "Cadres inside your scopes matching every criterion given (women under 40, master's degree or higher, "
    "in the pool for a title, retiring within N months, …). Citizen ID and birth date are masked without "
    "the personal_data right; every unmasked record answered is logged."
)
DIRECT_XLSX_MAX = 50_000  # rows in an Excel file built within the request; more: the background job
FORMAT_PARAM = OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                enum=["xlsx", "csv"], description="xlsx (default) or csv (UTF-8).")
MONTHS_PARAM = OpenApiParameter("months", OpenApiTypes.INT, OpenApiParameter.QUERY, required=False,
                                description="Horizon in months (default 12).")


def _today() -> dt.date:
    return timezone.localdate()


def _log_unmasked(request, cadres) -> None:
    """One access-log row per unmasked record in the response."""
    if not selectors.may_see_personal_data(request.user):
        return
    cadres = list({c.pk: c for c in cadres}.values())
    if len(cadres) == 1:
        services.personal_data_access_log(user=request.user, cadre=cadres[0], channel="api", path=request.path)
    elif cadres:
        ids = [c.pk for c in cadres]
        services.personal_data_access_log_many(user=request.user, cadre_ids=ids, channel="api", path=request.path)


def _sub_list(serializer_class, many=True):
    return extend_schema(methods=["GET"], responses=serializer_class(many=many), filters=False)


def _sub_create(request_class, response_class, description=""):
    return extend_schema(methods=["POST"], request=request_class, responses={201: response_class},
                         description=description, filters=False)


@extend_schema_view(
    list=extend_schema(description=CADRE_LIST_DOC),
    retrieve=extend_schema(description=gettext_lazy("One cadre record (logged when unmasked).")),
    create=extend_schema(request=s.CadreCreateSerializer, responses={201: s.CadreSerializer},
                         description=gettext_lazy(
                             "Create a record, optionally with its current position (required for users bound "
                             "to scopes: the position's unit must lie inside them).")),
    update=extend_schema(request=s.CadreUpdateSerializer, responses={200: s.CadreSerializer},
                         description=gettext_lazy("Replace the record's fields; `lock_version` is required "
                                                  "and a stale one is refused (400).")),
    partial_update=extend_schema(request=s.CadreUpdateSerializer, responses={200: s.CadreSerializer},
                                 description=gettext_lazy("Change some fields; `lock_version` is required.")),
)
class CadreViewSet(RestrictedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                   viewsets.GenericViewSet):
    """Cadre records (hồ sơ cán bộ) with their career, planning pools, discipline, training, commendations."""

    queryset = Cadre.objects.select_related("unit", "hometown")
    serializer_class = s.CadreSerializer
    filterset_class = CadreFilterSet
    pagination_class = CappedPagination
    permission_classes = [IsAuthenticated, MayChange]
    lookup_value_regex = "[0-9]+"

    def get_serializer_class(self):
        if self.action == "create":
            return s.CadreCreateSerializer
        if self.action in ("update", "partial_update"):
            return s.CadreUpdateSerializer
        return super().get_serializer_class()

    def _answer(self, cadre: Cadre, code=status.HTTP_200_OK) -> Response:
        cadre = Cadre.objects.select_related("unit", "hometown").get(pk=cadre.pk)
        data = s.CadreSerializer(cadre, context=self.get_serializer_context()).data
        _log_unmasked(self.request, [cadre])
        return Response(data, status=code)

    def list(self, request, *args, **kwargs):
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        data = s.CadreSerializer(page, many=True, context=self.get_serializer_context()).data
        _log_unmasked(request, page)
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def create(self, request, *args, **kwargs):
        data = s.CadreCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        position = data.validated_data.get("position")
        user = request.user
        if position:
            unit = position["unit"]
            ensure_in_scope(user, unit.path, _("Unit %(code)s (%(name)s)") % {"code": unit.code, "name": unit.name})
        elif not user.is_unrestricted:
            raise ValidationError({"position": [_(
                "Give the current position: the record must fall inside your scope.")]})
        with transaction.atomic():
            cadre = services.cadre_create(**data.service_fields())
            if position:
                services.assignment_create(cadre=cadre, **position)
        return self._answer(cadre, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        cadre = self.get_object()  # restricted for change: 404 outside the scope
        data = s.CadreUpdateSerializer(data=request.data, instance=cadre, partial_update=partial)
        data.is_valid(raise_exception=True)
        cadre = services.cadre_update(cadre=cadre, lock_version=data.validated_data["lock_version"],
                                      **data.service_fields())
        return self._answer(cadre)

    # Lists --------------------------------------------------------------------------------

    @extend_schema(parameters=[MONTHS_PARAM], responses=s.CadreSerializer(many=True), filters=True,
                   description=gettext_lazy(
                       "Cadres inside your scopes reaching their statutory retirement date within `months` "
                       "(from `on`, default today), soonest first; the search criteria apply too."))
    @action(detail=False, methods=["get"])
    def retiring(self, request):
        months = int_param(request, "months", 12)
        if months is None or not 0 <= months <= 600:
            raise ValidationError({"months": [_("Give a number of months from 0 to 600.")]})
        params = request.query_params.copy()
        params["retiring_within_months"] = str(months)
        fs = CadreFilterSet(params, queryset=self.get_queryset(), request=request)
        if not fs.is_valid():
            raise ValidationError(fs.errors)
        rule = selectors.retirement_rule()
        cadres = sorted(fs.qs, key=lambda c: (selectors.cadre_retirement(c, rule=rule).retirement_date,
                                              c.name_folded, c.pk))
        page = self.paginate_queryset(cadres)
        data = s.CadreSerializer(page, many=True, context=self.get_serializer_context()).data
        _log_unmasked(request, page)
        return self.get_paginated_response(data)

    @extend_schema(parameters=[FORMAT_PARAM], filters=True,
                   responses={(200, XLSX): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.STR,
                              400: OpenApiResponse(description="Unknown format, bad criteria, or more rows than "
                                                               "a direct Excel download holds.")},
                   description=gettext_lazy(
                       "The cadres matching the criteria, with the import's columns (re-importable), at once: "
                       "CSV streamed whatever the count, Excel up to 50,000 rows (more: POST, a background job). "
                       "Masked without the personal_data right; unmasked rows are logged."))
    @action(detail=False, methods=["get"], pagination_class=None, permission_classes=[IsAuthenticated])
    def export(self, request):
        qs = self.filter_queryset(self.get_queryset())
        fmt = request.query_params.get("file_format") or "xlsx"
        stamp = _today().strftime("%Y%m%d")
        if fmt == "csv":
            response = StreamingHttpResponse(exports.primed(exports.cadres_csv(qs, request.user, path=request.path)),
                                             content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="can-bo-{stamp}.csv"'
            return response
        if fmt != "xlsx":
            raise ValidationError({"file_format": [_("Choose xlsx or csv.")]})
        if qs.order_by().values("pk")[:DIRECT_XLSX_MAX + 1].count() > DIRECT_XLSX_MAX:
            raise ValidationError({"file_format": [_(
                "More than %(n)s cadres match: ask for CSV, or POST to this address to prepare the Excel file in "
                "the background.") % {"n": f"{DIRECT_XLSX_MAX:,}"}]})
        return xlsx_response(f"can-bo-{stamp}.xlsx", exports.cadres_xlsx(qs, request.user, path=request.path))

    @extend_schema(parameters=[FORMAT_PARAM], filters=True, request=None,
                   responses={202: JobSerializer, 400: OpenApiResponse(description="Unknown format or bad criteria.")},
                   description=gettext_lazy(
                       "Prepare the export in the background (any size): answers the job (202) at once; follow it "
                       "at /api/jobs/{id}/ and download the file at /api/jobs/{id}/output/ (only its starter may). "
                       "The job runs the search as the user, masks as for the user, and logs unmasked rows."))
    @export.mapping.post
    def export_start(self, request):
        criteria = {k: v for k, v in request.query_params.items() if k in PARAMS}
        fmt = request.query_params.get("file_format") or request.data.get("file_format") or "xlsx"
        try:
            params = export_job.export_params(criteria, fmt, path=request.get_full_path())
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}) \
                from None
        job = jobs.job_start(kind=export_job.KIND, user=request.user, params=params,
                             label=export_job.export_label(criteria, fmt))
        response = Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = f"/api/jobs/{job.pk}/"
        return response

    # Import -------------------------------------------------------------------------------

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={200: s.ImportResultSerializer, 400: s.ImportErrorsSerializer,
                   (400, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The error report as XLSX."),
                   413: OpenApiResponse(description="The request is larger than TINHGON_MAX_UPLOAD_BYTES "
                                                    "(`detail` says the limit); nothing was read.")},
        filters=False,
        description=gettext_lazy(
            "Import a CSV or XLSX file of cadre records (docs/CADRES_IMPORT.md): all or nothing, errors by row "
            "and column. Rows identical to stored records are skipped; changed rows are errors unless "
            "`update` is true."))
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser],
            pagination_class=None)
    def import_file(self, request):
        data = s.ImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        try:
            result = importers.cadres_import_file(fileobj=upload, filename=upload.name, user=request.user,
                                                  update=data.validated_data["update"])
        except importers.CadreRowsInvalid as exc:
            if data.validated_data["error_report"] == "xlsx":
                response = xlsx_response(f"loi-{upload.name}.xlsx", importers.errors_xlsx(exc.errors_list,
                                                                                         upload.name))
                response.status_code = status.HTTP_400_BAD_REQUEST
                return response
            return Response({"detail": _("%(n)s errors in %(file)s; nothing was written.")
                             % {"n": len(exc.errors_list), "file": upload.name},
                             "errors": importers.errors_json(exc.errors_list)},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(s.ImportResultSerializer(
            {"created": result.created, "updated": result.updated, "skipped": result.skipped}).data)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY}, filters=False,
                   description=gettext_lazy("The import template: the header and an example row."))
    @action(detail=False, methods=["get"], url_path="import-template", pagination_class=None)
    def import_template(self, request):
        return xlsx_response("mau-nhap-can-bo.xlsx", importers.template_xlsx())

    @extend_schema(
        parameters=[OpenApiParameter("reason", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                                     description="Why the record is deleted (or `reason` in the body); required.")],
        request=s.CadreDeleteSerializer, responses={204: None},
        description=gettext_lazy(
            "Delete a record entered by mistake, with a reason (kept in the audit events; the change log keeps "
            "every deleted row). A record with a history beyond its one position (further positions, planning "
            "pool, training, commendations, discipline) may be deleted by an administrator only (403 otherwise)."))
    def destroy(self, request, *args, **kwargs):
        cadre = self.get_object()  # restricted for change: 404 outside the scope
        data = s.CadreDeleteSerializer(data={"reason": request.data.get("reason")
                                             or request.query_params.get("reason", "")})
        data.is_valid(raise_exception=True)
        services.cadre_delete(cadre=cadre, user=request.user, reason=data.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Photo --------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], responses={(200, "image/jpeg"): OpenApiTypes.BINARY, 404: None},
                   filters=False, description=gettext_lazy(
                       "The portrait (JPEG, at most 600 × 800, no metadata), for users who may see personal "
                       "data (404 otherwise or when there is none); each answer is logged."))
    @extend_schema(methods=["PUT"], request={"multipart/form-data": s.CadrePhotoSerializer},
                   responses={200: s.CadreSerializer}, filters=False, description=gettext_lazy(
                       "Set the portrait from a JPEG, PNG or WebP of at most 5 MiB (field `photo`): it is turned "
                       "upright, reduced to fit 600 × 800 and re-encoded without metadata."))
    @extend_schema(methods=["DELETE"], responses={200: s.CadreSerializer}, filters=False,
                   description=gettext_lazy("Remove the portrait."))
    @action(detail=True, methods=["get", "put", "delete"], pagination_class=None, filterset_class=None,
            parser_classes=[MultiPartParser, FormParser])
    def photo(self, request, pk=None):
        if request.method == "GET":
            cadre = self._cadre(pk, write=False)
            if not (cadre.photo and selectors.may_see_personal_data(request.user)):
                raise Http404(_("No photo."))
            services.personal_data_access_log(user=request.user, cadre=cadre, channel="api", path=request.path)
            return photo_response(cadre)
        cadre = self._cadre(pk, write=True)
        if request.method == "PUT":
            data = s.CadrePhotoSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            cadre = services.cadre_photo_set(cadre=cadre, fileobj=data.validated_data["photo"])
        else:
            cadre = services.cadre_photo_remove(cadre=cadre)
        return self._answer(cadre)

    # Sub-resources ------------------------------------------------------------------------

    def _cadre(self, pk, *, write: bool) -> Cadre:
        qs = restrict(Cadre.objects.select_related("unit"), self.request.user, "change" if write else "view")
        return get_object_or_404(qs, pk=pk)

    def _sub(self, request, pk, *, related: str, read_class, write_class, add, description=""):
        cadre = self._cadre(pk, write=request.method == "POST")
        if request.method == "GET":
            rows = getattr(cadre, related).all()
            if related == "assignments":
                rows = rows.select_related("unit")
            elif related == "pool_entries":
                rows = rows.select_related("unit", "term")
            return Response(read_class(rows, many=True).data)
        data = write_class(data=request.data)
        data.is_valid(raise_exception=True)
        obj = add(cadre, dict(data.validated_data))
        return Response(read_class(obj).data, status=status.HTTP_201_CREATED)

    @_sub_list(s.AssignmentSerializer)
    @_sub_create(s.AssignmentCreateSerializer, s.AssignmentSerializer, gettext_lazy(
        "Record a position held (refused: outside the unit's period, decision dated after the start, under 18, "
        "two primary positions at once, a full position without a reason). The unit must lie in your scope."))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def assignments(self, request, pk=None):
        def add(cadre, fields):
            unit = fields["unit"]
            ensure_in_scope(request.user, unit.path,
                            _("Unit %(code)s (%(name)s)") % {"code": unit.code, "name": unit.name})
            return services.assignment_create(cadre=cadre, **fields)

        return self._sub(request, pk, related="assignments", read_class=s.AssignmentSerializer,
                         write_class=s.AssignmentCreateSerializer, add=add)

    @extend_schema(request=s.AssignmentEndSerializer, responses={200: s.AssignmentSerializer}, filters=False,
                   description=gettext_lazy("End a position: `on` is the first day it is no longer held."))
    @action(detail=True, methods=["post"], url_path=r"assignments/(?P<assignment_id>[0-9]+)/end",
            pagination_class=None, filterset_class=None)
    def assignment_end(self, request, pk=None, assignment_id=None):
        cadre = self._cadre(pk, write=True)
        assignment = get_object_or_404(Assignment.objects.select_related("unit"), pk=assignment_id, cadre=cadre)
        data = s.AssignmentEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = services.assignment_end(assignment=assignment, **data.validated_data)
        return Response(s.AssignmentSerializer(ended).data)

    @_sub_list(s.PoolEntrySerializer)
    @_sub_create(s.PoolEntryCreateSerializer, s.PoolEntrySerializer, gettext_lazy(
        "Add the cadre to the planning pool for a title and term (refused while ineligible)."))
    @action(detail=True, methods=["get", "post"], url_path="pool-entries", pagination_class=None,
            filterset_class=None)
    def pool_entries(self, request, pk=None):
        def add(cadre, fields):
            unit = fields["unit"]
            ensure_in_scope(request.user, unit.path,
                            _("Unit %(code)s (%(name)s)") % {"code": unit.code, "name": unit.name})
            return services.pool_entry_add(cadre=cadre, **fields)

        return self._sub(request, pk, related="pool_entries", read_class=s.PoolEntrySerializer,
                         write_class=s.PoolEntryCreateSerializer, add=add)

    @extend_schema(methods=["GET"], responses=s.PoolReviewSerializer(many=True), filters=False)
    @extend_schema(methods=["POST"], request=s.PoolReviewSerializer, responses={201: s.PoolReviewSerializer},
                   filters=False, description=gettext_lazy("Review a pool entry; `remove` takes it out of the pool."))
    @action(detail=True, methods=["get", "post"], url_path=r"pool-entries/(?P<entry_id>[0-9]+)/reviews",
            pagination_class=None, filterset_class=None)
    def pool_reviews(self, request, pk=None, entry_id=None):
        cadre = self._cadre(pk, write=request.method == "POST")
        entry = get_object_or_404(PoolEntry, pk=entry_id, cadre=cadre)
        if request.method == "GET":
            return Response(s.PoolReviewSerializer(entry.reviews.all(), many=True).data)
        data = s.PoolReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.pool_review_add(entry=entry, **data.validated_data)
        return Response(s.PoolReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @_sub_list(s.DisciplineSerializer)
    @_sub_create(s.DisciplineSerializer, s.DisciplineSerializer, gettext_lazy(
        "Record a disciplinary measure (it weighs on eligibility for the period the rule set gives)."))
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def disciplines(self, request, pk=None):
        return self._sub(request, pk, related="disciplines", read_class=s.DisciplineSerializer,
                         write_class=s.DisciplineSerializer,
                         add=lambda cadre, f: services.discipline_add(cadre=cadre, **f))

    @_sub_list(s.TrainingSerializer)
    @_sub_create(s.TrainingSerializer, s.TrainingSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def trainings(self, request, pk=None):
        return self._sub(request, pk, related="trainings", read_class=s.TrainingSerializer,
                         write_class=s.TrainingSerializer,
                         add=lambda cadre, f: services.training_add(cadre=cadre, **f))

    @_sub_list(s.CommendationSerializer)
    @_sub_create(s.CommendationSerializer, s.CommendationSerializer)
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_class=None)
    def commendations(self, request, pk=None):
        return self._sub(request, pk, related="commendations", read_class=s.CommendationSerializer,
                         write_class=s.CommendationSerializer,
                         add=lambda cadre, f: services.commendation_add(cadre=cadre, **f))


class SavedSearchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your own saved cadre searches (criteria = the query parameters of /api/cadres/)."""

    serializer_class = s.SavedSearchSerializer
    permission_classes = [IsAuthenticated]
    queryset = SavedSearch.objects.all()
    lookup_value_regex = "[0-9]+"
    filter_backends = []

    def get_queryset(self):
        return restrict(SavedSearch.objects.all(), self.request.user).filter(user=self.request.user)

    @extend_schema(responses={201: s.SavedSearchSerializer, 200: s.SavedSearchSerializer},
                   description=gettext_lazy("Save a search under a name (an existing name is overwritten, 200)."))
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        existed = self.get_queryset().filter(name=data.validated_data["name"].strip()).exists()
        obj = services.saved_search_save(user=request.user, **data.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.saved_search_delete(saved_search=instance)
