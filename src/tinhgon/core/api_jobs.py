"""Background jobs in the API: list and read the jobs one may see, cancel one's own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from . import jobs
from .models import Job


class JobSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, allow_null=True, default=None)
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=Job.STATES, read_only=True)

    class Meta:
        model = Job
        fields = ["id", "kind", "label", "user", "scope_path", "params", "input_name", "state", "done", "total",
                  "percent", "message", "result", "error", "errors", "output_name", "cancel_requested", "created_at",
                  "started_at", "finished_at"]
        read_only_fields = fields


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Background jobs: one's own and those inside one's scopes (administrators: all)."""

    serializer_class = JobSerializer
    queryset = Job.objects.none()

    def get_queryset(self):
        qs = jobs.jobs_visible(self.request.user).select_related("user").order_by("-created_at", "-id")
        if self.action == "list":
            state = self.request.query_params.get("state")
            if state:
                if state not in dict(Job.STATES):
                    raise ValidationError({"state": [gettext_lazy("Unknown state.")]})
                qs = qs.filter(state=state)
            if self.request.query_params.get("mine") in ("1", "true"):
                qs = qs.filter(user=self.request.user)
        return qs

    @extend_schema(request=None, responses={200: JobSerializer},
                   description=gettext_lazy("Cancel a queued or running job; nothing of it is written."))
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        job = self.get_object()
        try:
            job = jobs.job_cancel(job=job, user=request.user)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise ValidationError({"detail": exc.messages}) from None
        return Response(JobSerializer(job).data)

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                                            404: OpenApiResponse(description="No file, or not the user who "
                                                                             "started the job.")},
                   description=gettext_lazy("The file the job wrote (an export), for the user who started it "
                                            "only; never cached."))
    @action(detail=True, methods=["get"])
    def output(self, request, pk=None):
        from .views_jobs import job_output_response

        return job_output_response(request.user, self.get_object())
