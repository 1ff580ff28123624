"""Serializers of the placement API."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Candidate, Round, RoundEvent, RoundUnit, Slot


class PlacementRoundSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(source="scope_unit.code", read_only=True, default=None)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = ["id", "name", "plan", "scope", "scope_path", "as_of", "leave_date", "what_if", "status",
                  "merit_rule_set", "policy_rule_set", "decision_number", "decision_date", "decision_issuer",
                  "document", "stats", "solved_at", "approved_at", "applied_at", "closed_at", "progress"]
        read_only_fields = fields

    def get_progress(self, obj) -> dict:
        from ..selectors import round_progress

        return round_progress(obj)


class PlacementRoundCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField(min_value=1, max_value=2**62)
    scope = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                  help_text="Province code (empty: the whole country, as a background job).")
    leave_date = serializers.DateField(required=False, allow_null=True)


class PlacementRoundUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoundUnit
        fields = ["id", "round", "unit", "code", "name", "path", "group", "predecessors"]
        read_only_fields = fields


class PlacementSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Slot
        fields = ["id", "round_unit", "title", "count", "is_leadership", "min_education", "order", "position"]
        read_only_fields = fields


class PlacementCandidateSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="cadre.full_name", read_only=True)
    from_unit_name = serializers.CharField(source="from_unit.name", read_only=True)
    outcome = serializers.CharField(read_only=True)
    options = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "round", "cadre", "full_name", "from_unit", "from_unit_name", "from_title", "options",
                  "slot", "score", "pinned", "excluded", "reason", "override_reason", "outcome", "surplus_option",
                  "surplus_decision", "surplus_decision_date", "transfer_unit", "pending_reason", "new_assignment"]
        read_only_fields = fields


class PlacementEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoundEvent
        fields = ["id", "round", "candidate", "action", "reason", "message", "data", "user", "time"]
        read_only_fields = fields


class PlacementReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlacementPinSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=500, allow_blank=True)
    override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlacementSwapSerializer(serializers.Serializer):
    other = serializers.IntegerField(min_value=1, max_value=2**62)
    reason = serializers.CharField(max_length=500, allow_blank=True)
    override_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlacementSurplusDecisionSerializer(serializers.Serializer):
    option = serializers.ChoiceField(choices=Candidate.OPTIONS)
    decision_number = serializers.CharField(max_length=120, allow_blank=True)
    decision_date = serializers.DateField(allow_null=True)
    transfer_unit = serializers.IntegerField(min_value=1, max_value=2**62, required=False, allow_null=True,
                                             help_text="A unit id (for a transfer).")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlacementApproveSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=60, allow_blank=True)
    decision_date = serializers.DateField(allow_null=True)
    decision_issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    document = serializers.IntegerField(min_value=1, max_value=2**62, required=False, allow_null=True,
                                        help_text="The decision in the documents registry (optional).")


class PlacementSlotCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, max_value=500)
    reason = serializers.CharField(max_length=500, allow_blank=True)


class PlacementEstimateSerializer(serializers.Serializer):
    option = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.IntegerField(allow_null=True)
    formula = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())
    rule_set = serializers.CharField()


class PlacementSurplusSerializer(serializers.Serializer):
    candidate = PlacementCandidateSerializer()
    retirement_date = serializers.DateField(allow_null=True)
    months_early = serializers.IntegerField(allow_null=True)
    options = serializers.ListField(child=serializers.CharField())
    estimates = PlacementEstimateSerializer(many=True)
    transfers = serializers.ListField(child=serializers.DictField())
