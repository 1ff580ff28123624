"""Serializers of inspection and supervision (writes are validated by the services)."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.apparatus.models import Unit
from tinhgon.cadres.models import Cadre
from tinhgon.core.api import enum_field

from ..models import Finding, Inspection, InspectionPlan, Measure, Recommendation


def _document_field():
    from tinhgon.documents.models import Document

    return serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), allow_null=True, required=False)


class InspectionPlanSerializer(serializers.ModelSerializer):
    commission = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    team = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), many=True, required=False)
    year = serializers.IntegerField(min_value=1945, max_value=9999)

    class Meta:
        model = InspectionPlan
        fields = ["id", "commission", "year", "title", "themes", "period_start", "period_end", "team", "note"]


class FindingSerializer(serializers.ModelSerializer):
    severity = enum_field("FindingSeverity", Finding.SEVERITIES)(choices=Finding.SEVERITIES, required=False)

    class Meta:
        model = Finding
        fields = ["id", "topic", "description", "severity", "found_on"]


class MeasureSerializer(serializers.ModelSerializer):
    measure = enum_field("DisciplineMeasure", Measure.MEASURES)(choices=Measure.MEASURES)
    subject_kind = enum_field("DisciplineSubject", Measure.SUBJECT_KINDS)(choices=Measure.SUBJECT_KINDS, read_only=True)
    cadre = serializers.PrimaryKeyRelatedField(source="subject_cadre", queryset=Cadre.objects.all(), allow_null=True,
                                               required=False)
    subject_unit = serializers.PrimaryKeyRelatedField(read_only=True)
    discipline = serializers.PrimaryKeyRelatedField(read_only=True)
    effective_date = serializers.DateField(required=False, allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["document"] = _document_field()
        return fields

    class Meta:
        model = Measure
        fields = ["id", "subject_kind", "cadre", "subject_unit", "measure", "act_date", "decision_date",
                  "effective_date", "decision_number", "reason", "document", "rule_set", "limitation_until",
                  "discipline"]
        read_only_fields = ["rule_set", "limitation_until"]


class RecommendationSerializer(serializers.ModelSerializer):
    owner_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    owner_cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    status = enum_field("RecommendationStatus", Recommendation.STATUSES)(choices=Recommendation.STATUSES,
                                                                         read_only=True)
    inspection = serializers.PrimaryKeyRelatedField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = ["id", "inspection", "text", "owner_unit", "owner_cadre", "due", "status", "done_on", "result",
                  "overdue"]
        read_only_fields = ["done_on", "result"]

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.is_overdue(timezone.localdate())


class InspectionSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=InspectionPlan.objects.all(), allow_null=True, required=False)
    commission = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    subject_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), allow_null=True, required=False)
    subject_cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    lead = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    activity = enum_field("InspectionActivity", Inspection.ACTIVITIES)(choices=Inspection.ACTIVITIES, required=False)
    kind = enum_field("InspectionKind", Inspection.KINDS)(choices=Inspection.KINDS, required=False)
    status = enum_field("InspectionStatus", Inspection.STATUSES)(choices=Inspection.STATUSES, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    conclusion_document = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "plan", "commission", "activity", "kind", "title", "subject_unit", "subject_cadre", "start",
                  "end", "lead", "note", "status", "started_on", "concluded_on", "conclusion", "violation",
                  "conclusion_document", "findings", "measures", "recommendations"]
        read_only_fields = ["started_on", "concluded_on", "conclusion", "violation"]


class InspectionOnSerializer(serializers.Serializer):
    on = serializers.DateField()


class InspectionConcludeSerializer(InspectionOnSerializer):
    conclusion = serializers.CharField(max_length=20000)
    violation = serializers.BooleanField(required=False, default=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["document"] = _document_field()
        return fields


class InspectionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class RecommendationReportSerializer(serializers.Serializer):
    status = enum_field("RecommendationReport", [("done", "done"), ("cancelled", "cancelled")])(
        choices=[("done", "done"), ("cancelled", "cancelled")])
    on = serializers.DateField()
    result = serializers.CharField(max_length=5000)


class EarlyWarningSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    code = serializers.CharField(source="unit.code")
    name = serializers.CharField(source="unit.name")
    overdue_tasks = serializers.IntegerField()
    overdue_petitions = serializers.CharField(help_text="A count, or \"< k\" when small counts are protected.")
    repeated_findings = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())
