"""Serializers of the assessment API."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.core.api import enum_field

from .. import rules
from ..models import LEVELS, Cycle, Result, UnitResult

LevelField = enum_field("AssessmentLevel", LEVELS)
RESULT_LEVELS = [*LEVELS, ("", "awaiting the review")]
ResultLevelField = enum_field("AssessmentResultLevel", RESULT_LEVELS)
DISCIPLINES = [(m, m) for m in rules.DISCIPLINE_MEASURES]


class CycleSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Cycle
        fields = ["id", "label", "kind", "audience", "period_start", "period_end", "unit", "unit_code", "unit_name",
                  "rule_set", "status", "cap_override_ratio", "cap_override_decision", "computed_at", "approved_on",
                  "note"]
        read_only_fields = ["rule_set", "status", "cap_override_ratio", "cap_override_decision", "computed_at",
                            "approved_on"]


class ResultSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.full_name", read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True, default="")
    score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, coerce_to_string=False)
    level = ResultLevelField(choices=RESULT_LEVELS, read_only=True)
    level_before_cap = ResultLevelField(choices=RESULT_LEVELS, read_only=True)

    class Meta:
        model = Result
        fields = ["id", "cycle", "cadre", "cadre_name", "body", "body_name", "group", "is_leader", "self_assessment",
                  "self_level", "general_points", "task_points", "score", "criteria", "discipline",
                  "level_before_cap", "level", "moved_down", "assumed", "rule_set", "reviewer", "reviewed_at",
                  "review_remarks", "council_remarks", "explanation"]
        read_only_fields = fields


class UnitResultSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = UnitResult
        fields = ["id", "cycle", "unit", "unit_code", "unit_name", "depth", "counted", "cancelled", "on_time", "late",
                  "overdue", "completion", "rank", "head"]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    general_points = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    remarks = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class SelfAssessmentSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, max_length=8000)
    level = serializers.ChoiceField(choices=[("", "")] + list(LEVELS), required=False, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OverrideSerializer(serializers.Serializer):
    ratio = serializers.DecimalField(max_digits=4, decimal_places=2, min_value=0, max_value=1, allow_null=True)
    decision = serializers.CharField(max_length=200, allow_blank=True, default="")


class PersonInput(serializers.Serializer):
    id = serializers.CharField(max_length=100)
    score = serializers.DecimalField(max_digits=6, decimal_places=3, required=False, allow_null=True)
    discipline = serializers.ChoiceField(choices=DISCIPLINES, required=False, allow_null=True, allow_blank=True)
    criteria = serializers.DictField(required=False, allow_null=True)
    exceeded_pct = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True,
                                            min_value=0, max_value=100)


class ClassifyInput(serializers.Serializer):
    as_of = serializers.DateField(required=False)
    rule_set = serializers.CharField(required=False, max_length=60)
    override_ratio = serializers.DecimalField(max_digits=4, decimal_places=2, required=False, allow_null=True,
                                              min_value=0, max_value=1)
    override_decision = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    people = PersonInput(many=True, allow_empty=False, max_length=10000)


class ClassifiedPerson(serializers.Serializer):
    id = serializers.CharField()
    level = LevelField(choices=LEVELS)
    level_before_cap = LevelField(choices=LEVELS)
    score = serializers.CharField(allow_null=True)
    moved_down = serializers.BooleanField()
    explanation = serializers.CharField()
    steps = serializers.ListField(child=serializers.DictField())


class ClassifyOutput(serializers.Serializer):
    rule_set = serializers.CharField()
    results = ClassifiedPerson(many=True)
