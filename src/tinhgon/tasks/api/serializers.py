"""Serializers of programs and tasks (writes are validated by the services)."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.apparatus.models import Power, Term, Unit
from tinhgon.cadres.models import Cadre
from tinhgon.core.api import enum_field
from tinhgon.core.scoping import restrict
from tinhgon.core.uploads import validate_upload_size

from ..models import PRODUCT_TYPES, Program, Section, Task, TaskEvent
from ..services import task_missing_clears


class ProgramSourceSerializer(serializers.Serializer):
    symbol = serializers.CharField(source="source_symbol", allow_blank=True, required=False, max_length=60)
    issuer = serializers.CharField(source="source_issuer", allow_blank=True, required=False, max_length=200)
    date = serializers.DateField(source="source_date", allow_null=True, required=False)
    title = serializers.CharField(source="source_title", allow_blank=True, required=False, max_length=300)


class ProgramSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "order", "title"]


class ProgramSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.all(), allow_null=True, required=False)
    source = ProgramSourceSerializer(source="*", required=False)
    sections = ProgramSectionSerializer(many=True, read_only=True)
    section_titles = serializers.ListField(child=serializers.CharField(max_length=300), write_only=True,
                                           required=False)

    class Meta:
        model = Program
        fields = ["id", "unit", "term", "year", "title", "source", "note", "sections", "section_titles", "document"]
        read_only_fields = ["document"]


class TaskSerializer(serializers.ModelSerializer):
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all())
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    coordinating_units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    authority_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True,
                                                        required=False)
    authority_power = serializers.SlugRelatedField(slug_field="code", queryset=Power.objects.all(), allow_null=True,
                                                   required=False)
    assignee = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    leader = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all(), allow_null=True, required=False)
    section = serializers.PrimaryKeyRelatedField(queryset=Section.objects.all(), allow_null=True, required=False)
    product_type = enum_field("TaskProductType", PRODUCT_TYPES)(choices=PRODUCT_TYPES, required=False,
                                                                allow_blank=True)
    status = enum_field("TaskStatus", Task.STATUSES)(choices=Task.STATUSES, read_only=True)
    grade = serializers.CharField(read_only=True)
    missing_clears = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "program", "section", "parent", "title", "content", "assignee", "leader", "start",
                  "deadline", "due", "lead_unit", "coordinating_units", "product_type", "product_description",
                  "authority_unit", "authority_power", "status", "progress", "issued_on", "submitted_on",
                  "accepted_on", "cancelled_on", "grade", "product_note", "extension_to", "extension_reason",
                  "cancel_reason", "assignee_review", "missing_clears", "overdue", "document"]
        # the document is linked through /api/documents/{id}/link/ (kind "task"), which checks both scopes
        read_only_fields = ["document", "due", "progress", "issued_on", "submitted_on", "accepted_on", "cancelled_on",
                            "product_note", "extension_to", "extension_reason", "cancel_reason", "assignee_review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "program" in self.fields:
            # A program outside the user's scopes does not exist for them.
            self.fields["program"].queryset = restrict(Program.objects.all(), request.user, "view")
            self.fields["parent"].queryset = restrict(Task.objects.all(), request.user, "view")

    def get_missing_clears(self, obj) -> list[str]:
        return task_missing_clears(obj)

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class TaskUpdateSerializer(TaskSerializer):
    program = serializers.PrimaryKeyRelatedField(read_only=True)


class TaskOnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="The event's date (default today).")


class TaskReportSerializer(TaskOnSerializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=4000)
    attachment = serializers.FileField(required=False, allow_null=True, validators=[validate_upload_size])


class TaskSubmitSerializer(TaskOnSerializer):
    product_note = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    product_file = serializers.FileField(required=False, allow_null=True, validators=[validate_upload_size])


class TaskAcceptSerializer(TaskOnSerializer):
    grade = enum_field("TaskGrade", Task.GRADES)(choices=Task.GRADES, required=False, default=Task.MET)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class TaskReasonSerializer(TaskOnSerializer):
    reason = serializers.CharField(max_length=500)


class TaskExtendSerializer(TaskReasonSerializer):
    to = serializers.DateField()


class TaskExtensionDecisionSerializer(TaskOnSerializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class TaskEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskEvent
        fields = ["id", "kind", "on", "note", "progress", "data"]


class TaskMissingClearsSerializer(serializers.Serializer):
    missing_clears = serializers.ListField(child=serializers.CharField())


class TaskCountsSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)


class TaskNamedCountsSerializer(TaskCountsSerializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class TaskAccountingSerializer(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    on = serializers.DateField()
    unit = serializers.CharField(allow_null=True)
    subtree = serializers.BooleanField()
    totals = TaskCountsSerializer()
    leaders = TaskNamedCountsSerializer(many=True)
    assignees = TaskNamedCountsSerializer(many=True)
