"""``/api/addresses/``: one address, up to a thousand at once, and a file as a background job."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhgon.core.api import as_of_parameter, date_param
from tinhgon.core.api_jobs import JobSerializer
from tinhgon.core.parsers import FormParser, JSONParser, MultiPartParser

from .. import bulk, jobs, selectors
from . import serializers as s


class AddressConvertView(APIView):
    """An address as written (no commas needed) → the unit(s) on a date, and what was understood."""

    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="addresses_convert_retrieve", responses={200: s.AddressResultSerializer},
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, OpenApiParameter.QUERY, required=True,
                             description="The address as written: any order of house number and street, then "
                                         "commune, district, province; commas, accents and type words optional."),
            as_of_parameter("Day the answer holds on (default today)."),
            OpenApiParameter("reverse", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
                             description="true: a new address back to the old unit(s) it came from."),
        ])
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()
        if not q:
            raise ValidationError({"q": [_("This parameter is required.")]})
        if len(q) > 500:
            raise ValidationError({"q": [_("At most 500 characters.")]})
        day = date_param(request, "as_of", timezone.localdate())
        reverse = (request.query_params.get("reverse") or "").lower() in ("1", "true", "yes")
        return Response(s.AddressResultSerializer(
            selectors.convert_address(q, as_of=day, reverse=reverse).as_dict()).data)

    @extend_schema(operation_id="addresses_convert_many", request=s.ConvertManySerializer,
                   responses={200: s.AddressResultSerializer(many=True)},
                   description="Up to 1,000 addresses in one request; a file goes to `/api/addresses/bulk/`.")
    def post(self, request):
        data = s.ConvertManySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        results = selectors.convert_many(d["addresses"], as_of=d.get("as_of"), reverse=d["reverse"])
        return Response(s.AddressResultSerializer([r.as_dict() for r in results], many=True).data)


class AddressBulkView(APIView):
    """A CSV or XLSX file of addresses converted in the background (a job)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="addresses_bulk_create", request={"multipart/form-data": s.BulkRequestSerializer},
        responses={202: JobSerializer,
                   400: OpenApiResponse(description="Not a CSV/XLSX file, unreadable, empty, or without the "
                                                    "chosen column; nothing was started."),
                   413: OpenApiResponse(description="Larger than TINHGON_MAX_UPLOAD_BYTES; nothing was read.")},
        description="Starts a job (follow it at `/api/jobs/{id}/`); the converted file — the same rows with the "
                    "new columns — is then at `/api/jobs/{id}/output/` for the user who started it.")
    def post(self, request):
        data = s.BulkRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        spec = bulk.Spec.from_params(d)
        try:
            job = jobs.start(user=request.user, upload=d["file"], spec=spec,
                             as_of=d.get("as_of") or timezone.localdate(), reverse=d["reverse"])
        except DjangoValidationError as exc:
            field = "file" if exc.code in ("file_kind", "unreadable", "empty") else "column"
            raise ValidationError({field: exc.messages}) from None
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
