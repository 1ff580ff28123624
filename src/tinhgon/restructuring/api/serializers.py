"""Serializers of the restructuring API. Writes only validate input handed to the services."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import enum_field
from tinhgon.core.parsers import prohibit_nul

from ..filtersets import SEVERITIES
from ..models import BodyOperation, Operation, Plan, Succession

PlanStatusField = enum_field("PlanStatusEnum", Plan.STATUSES)
OperationKindField = enum_field("OperationKindEnum", Operation.KINDS)
SuccessionKindField = enum_field("SuccessionKindEnum", Succession.KINDS)
SeverityField = enum_field("ViolationSeverityEnum", SEVERITIES)


@extend_schema_field({"type": "object", "additionalProperties": True})
class ObjectField(serializers.JSONField):
    default_validators = [prohibit_nul]  # PostgreSQL cannot store a NUL in JSON


class ViolationSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = SeverityField(choices=SEVERITIES)
    units = serializers.ListField(child=serializers.CharField())
    message_vi = serializers.CharField()
    message_en = serializers.CharField()
    op = serializers.IntegerField(allow_null=True, required=False, help_text=gettext_lazy("Operation number (seq)."))
    data = ObjectField(required=False)


class PlanSerializer(serializers.ModelSerializer):
    status = PlanStatusField(choices=Plan.STATUSES, read_only=True)
    operation_count = serializers.IntegerField(read_only=True, source="n_operations", default=None,
                                               allow_null=True)
    error_count = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["id", "name", "effective_date", "legal_basis", "rationale", "status", "standard_rule_set",
                  "scope_path", "created_by", "approved_by", "validated_at", "approved_at", "applied_at",
                  "operation_count", "error_count", "document"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_error_count(self, plan: Plan) -> int | None:
        if plan.validated_at is None:
            return None
        return sum(1 for v in plan.violations if v.get("severity") == "error")


class PlanWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    effective_date = serializers.DateField()
    legal_basis = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    rationale = serializers.CharField(required=False, allow_blank=True, default="")
    standard_rule_set = serializers.CharField(max_length=80, required=False, allow_blank=True, default="",
                                              help_text=gettext_lazy("Code of a unit-standard rule set; empty = "
                                                                     "the one in force on the effective date."))
    scope_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                       help_text=gettext_lazy("Code of the unit the plan is confined to; empty = "
                                                              "national (administrators only)."))

    def validate(self, attrs):
        code = (attrs.pop("scope_code", "") or "").strip()
        attrs["scope_path"] = ""
        day = attrs.get("effective_date") or getattr(self.instance, "effective_date", None)
        if code:
            unit = unit_for_code(code, day)
            if unit is None:
                raise serializers.ValidationError({"scope_code": [_("No unit has the code %(code)s.") % {"code": code}]})
            attrs["scope_path"] = unit.path
        elif self.partial and "scope_code" not in self.initial_data:
            attrs.pop("scope_path")
        return attrs


class OperationSerializer(serializers.ModelSerializer):
    kind = OperationKindField(choices=Operation.KINDS)
    data = ObjectField()

    class Meta:
        model = Operation
        fields = ["id", "seq", "kind", "data", "note"]
        read_only_fields = ["id", "seq", "note"]


class OperationInputSerializer(serializers.Serializer):
    kind = OperationKindField(choices=Operation.KINDS)
    data = ObjectField(help_text=gettext_lazy(
        "By kind: create {unit: {code, name, kind, parent_code, level?}}; rename {code, name?, kind?}; "
        "move {code, parent_code}; merge {sources: [codes], target: {code, name?, kind?}}; "
        "split {source, targets: [{code, name?, kind?, share}]}; dissolve {code}; "
        "dissolve_level {level, children_to}; transfer_function {function, from, to}; "
        "transfer_power {power, from, to}."))


class ValidationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    status = PlanStatusField(choices=Plan.STATUSES)
    violations = ViolationSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    violations = ViolationSerializer(many=True)


class ApplicationSerializer(serializers.Serializer):
    plan = PlanSerializer()
    ended = serializers.IntegerField()
    created = serializers.IntegerField()


class CountSerializer(serializers.Serializer):
    level = serializers.CharField()
    kind = serializers.CharField()
    count = serializers.IntegerField()


class PredecessorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    share = serializers.FloatField(allow_null=True)


class NewUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(source="kind__name")
    level = serializers.CharField(source="level__code")
    valid_from = serializers.DateField()
    predecessors = PredecessorSerializer(many=True)


class PlanReportSerializer(serializers.Serializer):
    before = CountSerializer(many=True, help_text=gettext_lazy("Counts on the eve of the effective date."))
    after = CountSerializer(many=True, help_text=gettext_lazy("Counts on the effective date."))
    quota_before = serializers.IntegerField(allow_null=True)
    quota_after = serializers.IntegerField(allow_null=True)
    reduction = serializers.FloatField(allow_null=True, help_text=gettext_lazy("Payroll reduction, 0–1."))
    quota_scoped = serializers.BooleanField(help_text=gettext_lazy(
        "The quotas count only the units inside the reader's scopes."))
    new_units = NewUnitSerializer(many=True)


class LineageUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)


class LineageShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    share = serializers.FloatField(allow_null=True)


class LineageEdgeSerializer(serializers.Serializer):
    predecessor = LineageUnitSerializer()
    successor = LineageUnitSerializer()
    kind = SuccessionKindField(choices=Succession.KINDS)
    share = serializers.FloatField(allow_null=True)
    plan_id = serializers.IntegerField()
    plan_name = serializers.CharField()
    effective_date = serializers.DateField()


class LineageSerializer(serializers.Serializer):
    unit = LineageUnitSerializer()
    became = LineageEdgeSerializer(many=True)
    came_from = LineageEdgeSerializer(many=True)
    current = LineageShareSerializer(many=True, help_text=gettext_lazy("What the unit is today, with shares."))
    origins = LineageUnitSerializer(many=True)


class ResolutionSerializer(serializers.Serializer):
    matched = LineageUnitSerializer()
    path_names = serializers.ListField(child=serializers.CharField())
    current = LineageShareSerializer(many=True)


class SuccessionSerializer(serializers.ModelSerializer):
    kind = SuccessionKindField(choices=Succession.KINDS)
    predecessor_code = serializers.CharField(source="predecessor.code", read_only=True)
    successor_code = serializers.CharField(source="successor.code", read_only=True)

    class Meta:
        model = Succession
        fields = ["id", "plan", "predecessor", "predecessor_code", "successor", "successor_code", "kind", "share"]
        read_only_fields = fields


BodyOperationStatusField = enum_field("BodyOperationStatusEnum", BodyOperation.STATUSES)


class BodyOperationSerializer(serializers.ModelSerializer):
    kind = OperationKindField(choices=Operation.KINDS)
    status = BodyOperationStatusField(choices=BodyOperation.STATUSES)
    data = ObjectField()
    bodies = serializers.ListField(child=serializers.CharField())
    operation = serializers.IntegerField(source="operation_id", allow_null=True, read_only=True,
                                         help_text=gettext_lazy("The plan operation it became, once added."))

    class Meta:
        model = BodyOperation
        fields = ["id", "seq", "kind", "data", "reason_vi", "reason_en", "bodies", "status", "operation"]
        read_only_fields = fields


class BodyOperationDecisionSerializer(serializers.Serializer):
    status = BodyOperationStatusField(choices=[c for c in BodyOperation.STATUSES if c[0] != BodyOperation.INCLUDED],
                                      required=False)
    to = serializers.CharField(required=False, max_length=40, validators=[prohibit_nul],
                               help_text=gettext_lazy("Transfers: the receiving unit's code."))
    name = serializers.CharField(required=False, max_length=200, validators=[prohibit_nul],
                                 help_text=gettext_lazy("Renames and merges: the body's name after the plan."))


class BodyTransferRouteSerializer(serializers.Serializer):
    function = serializers.CharField(max_length=60, validators=[prohibit_nul],
                                     help_text=gettext_lazy("The field: a function's code."))
    to = serializers.ChoiceField(choices=[("province", "province"), ("commune", "commune")],
                                 help_text=gettext_lazy("Where its functions and powers go."))


class FocalKindSerializer(serializers.Serializer):
    level = serializers.CharField()
    kind = serializers.CharField()
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    change = serializers.IntegerField()


class FocalProvinceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    change = serializers.IntegerField()


class FocalPointsSerializer(serializers.Serializer):
    before = serializers.IntegerField()
    after = serializers.IntegerField()
    change = serializers.IntegerField()
    kinds = FocalKindSerializer(many=True)
    provinces = FocalProvinceSerializer(many=True)
