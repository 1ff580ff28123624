"""Serializers of petitions (writes are validated by the services).

Petitioners of a denunciation are serialized only for the handling officers the matter
names; to anyone else the list is empty and ``identity_protected`` is true.
"""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.core.api import enum_field
from tinhgon.core.filters import INT64_MAX

from .. import rules
from ..models import (
    CHANNELS,
    COMPLEXITIES,
    KINDS,
    LEADER_ROLES,
    SUBJECTS,
    Contact,
    DialogueSession,
    HotSpot,
    Petition,
    PetitionEvent,
    ReceptionSession,
)

KindField = enum_field("PetitionKind", KINDS)
SubjectField = enum_field("PetitionSubject", SUBJECTS)
ChannelField = enum_field("PetitionChannel", CHANNELS)
ComplexityField = enum_field("PetitionComplexity", COMPLEXITIES)


class PetitionerSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    is_representative = serializers.BooleanField(required=False, default=False)


class PetitionUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PetitionSerializer(serializers.ModelSerializer):
    kind = KindField(choices=KINDS)
    subject = SubjectField(choices=SUBJECTS)
    channel = ChannelField(choices=CHANNELS, required=False)
    status = enum_field("PetitionStatus", Petition.STATUSES)(choices=Petition.STATUSES, read_only=True)
    complexity = ComplexityField(choices=COMPLEXITIES, read_only=True)
    place = PetitionUnitSerializer(read_only=True)
    handling_unit = PetitionUnitSerializer(read_only=True)
    first_round = serializers.SlugRelatedField(slug_field="code", read_only=True)
    first_round_code = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    place_text = serializers.CharField(max_length=500)
    petitioners = serializers.SerializerMethodField()
    petitioners_in = PetitionerSerializer(many=True, write_only=True, source="petitioner_rows")
    people_in = serializers.IntegerField(write_only=True, required=False, min_value=1, max_value=100000,
                                         source="people_count")
    identity_protected = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Petition
        fields = ["id", "code", "kind", "round", "first_round", "first_round_code", "channel", "subject", "title",
                  "content", "place_text", "place", "handling_unit", "people", "contacts_count", "received_on",
                  "acceptance_due", "status", "accepted_on", "complexity", "remote", "extensions", "deadline",
                  "deadline_raw", "rule_set", "conclusion", "concluded_on", "closed_on", "rejected_reason",
                  "petitioners", "petitioners_in", "people_in", "identity_protected", "overdue"]
        read_only_fields = ["code", "people", "contacts_count", "acceptance_due", "accepted_on", "remote",
                            "extensions", "deadline", "deadline_raw", "rule_set", "conclusion", "concluded_on",
                            "closed_on", "rejected_reason"]

    def _visible(self, obj) -> bool:
        from ..protection import identity_visible

        request = self.context.get("request")
        return identity_visible(getattr(request, "user", None), obj)

    def get_identity_protected(self, obj) -> bool:
        return obj.protected and not self._visible(obj)

    def get_petitioners(self, obj) -> list[dict]:
        if not self._visible(obj):
            return []
        if obj.protected:
            from ..services import identity_access_log

            identity_access_log(user=self.context["request"].user, petition=obj, via="api")
        return [{"full_name": p.full_name, "phone": p.phone, "address": p.address, "id_number": p.id_number,
                 "is_representative": p.is_representative} for p in obj.petitioners.all()]

    def get_overdue(self, obj) -> bool:
        left = obj.days_left()
        return left is not None and left < 0


class PetitionContactSerializer(serializers.ModelSerializer):
    channel = ChannelField(choices=CHANNELS, required=False)
    petitioners = PetitionerSerializer(many=True, write_only=True, required=False)

    class Meta:
        model = Contact
        fields = ["id", "on", "channel", "people", "is_repeat", "note", "petitioners"]
        read_only_fields = ["is_repeat"]


class PetitionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = PetitionEvent
        fields = ["id", "kind", "on", "note", "data"]


class PetitionOnSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)


class PetitionAcceptSerializer(PetitionOnSerializer):
    complexity = ComplexityField(choices=COMPLEXITIES, required=False,
                                                                default=rules.NORMAL)


class PetitionReasonSerializer(PetitionOnSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class PetitionExtendSerializer(PetitionReasonSerializer):
    complexity = ComplexityField(choices=COMPLEXITIES, required=False)


class PetitionSuspendSerializer(PetitionReasonSerializer):
    days = serializers.IntegerField(min_value=1, max_value=3650)


class PetitionConcludeSerializer(PetitionOnSerializer):
    conclusion = serializers.CharField(allow_blank=True, max_length=20000)


class PetitionNoteSerializer(PetitionOnSerializer):
    note = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class PetitionRouteSerializer(PetitionReasonSerializer):
    unit = serializers.CharField(max_length=40, help_text="Code of the competent unit.")


class PetitionSimilarQuerySerializer(serializers.Serializer):
    """What the intake has typed: names travel in the body, never in the address."""

    text = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                 help_text="Code of the place (its subtree).")
    subject = serializers.CharField(required=False, allow_blank=True, max_length=30)
    kind = KindField(choices=KINDS, required=False, help_text="A denunciation's names are never compared.")
    names = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=50)


class PetitionSimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="petition.pk")
    code = serializers.CharField(source="petition.code")
    title = serializers.CharField(source="petition.title")
    status = serializers.CharField(source="petition.status")
    received_on = serializers.DateField(source="petition.received_on")
    place = serializers.CharField(source="petition.place.name")
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class PetitionDeadlineSerializer(serializers.Serializer):
    deadline = serializers.DateField(allow_null=True)
    raw_last_day = serializers.DateField(allow_null=True)
    days = serializers.IntegerField(allow_null=True)
    rule_set = serializers.CharField()
    counting = serializers.CharField()
    explanation = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())


class HotSpotSerializer(serializers.ModelSerializer):
    place = PetitionUnitSerializer(read_only=True)
    subject = SubjectField(choices=SUBJECTS, read_only=True)
    status = enum_field("HotSpotStatus", HotSpot.STATUSES)(choices=HotSpot.STATUSES, read_only=True)
    plan_kind = enum_field("HotSpotPlanKind", HotSpot.PLAN_KINDS)(choices=HotSpot.PLAN_KINDS, required=False,
                                                                  allow_blank=True)
    petitions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_id = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    evidence = serializers.SerializerMethodField(
        help_text='What the sliding window gathered; with few denunciations among it, small counts read "< k".')

    class Meta:
        model = HotSpot
        fields = ["id", "place", "subject", "status", "detected_on", "updated_on", "reasons", "evidence", "petitions",
                  "owner", "owner_id", "plan_kind", "plan", "resolution", "resolved_on"]
        read_only_fields = ["detected_on", "updated_on", "reasons", "evidence", "resolution", "resolved_on"]

    def get_evidence(self, obj) -> dict:
        return obj.shown_evidence


class HotSpotResolveSerializer(PetitionOnSerializer):
    resolution = serializers.CharField(allow_blank=True, max_length=5000)


class SessionLeaderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class ReceptionSessionSerializer(serializers.ModelSerializer):
    """A reception session; writes name the unit by code, the leader by cadre record number and the
    matters raised by case code (a matter shows by its code only, never its petitioners)."""

    unit = PetitionUnitSerializer(read_only=True)
    leader = SessionLeaderSerializer(read_only=True)
    leader_role = enum_field("ReceptionLeaderRole", LEADER_ROLES)(choices=LEADER_ROLES)
    petitions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    unit_code = serializers.CharField(write_only=True, max_length=40)
    leader_id = serializers.IntegerField(write_only=True, min_value=1, max_value=INT64_MAX)
    petition_codes = serializers.ListField(child=serializers.CharField(max_length=20), write_only=True,
                                           required=False, max_length=200)

    class Meta:
        model = ReceptionSession
        fields = ["id", "unit", "unit_code", "leader", "leader_id", "leader_role", "on", "place", "online",
                  "citizens", "note", "petitions", "petition_codes"]


class DialogueSessionSerializer(serializers.ModelSerializer):
    """A dialogue between leaders and citizens: its outcome linked to matters (by case code) and,
    when it answers one, to a hot spot (by id)."""

    unit = PetitionUnitSerializer(read_only=True)
    leader = SessionLeaderSerializer(read_only=True)
    petitions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    hotspot = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_code = serializers.CharField(write_only=True, max_length=40)
    leader_id = serializers.IntegerField(write_only=True, min_value=1, max_value=INT64_MAX)
    petition_codes = serializers.ListField(child=serializers.CharField(max_length=20), write_only=True,
                                           required=False, max_length=200)
    hotspot_id = serializers.IntegerField(write_only=True, required=False, allow_null=True, min_value=1,
                                         max_value=INT64_MAX)

    class Meta:
        model = DialogueSession
        fields = ["id", "unit", "unit_code", "leader", "leader_id", "on", "topic", "participants", "outcome",
                  "petitions", "petition_codes", "hotspot", "hotspot_id"]


class ReceptionDutySerializer(serializers.Serializer):
    leader = SessionLeaderSerializer()
    role = serializers.CharField(source="role_code")
    unit = PetitionUnitSerializer()
    status = serializers.ChoiceField(choices=["met", "not_met", "unknown"])
    held = serializers.IntegerField()
    required = serializers.IntegerField(allow_null=True)
    missing_weeks = serializers.ListField(child=serializers.DateField())


class ReceptionDutyAnswerSerializer(serializers.Serializer):
    month = serializers.CharField()
    rule_set = serializers.CharField(allow_blank=True)
    leaders = ReceptionDutySerializer(many=True)


class PetitionOfficersSerializer(serializers.Serializer):
    """The handling officers (user names; they alone see a denouncer's identity) and, when given,
    the leader in charge (a cadre record number, or null to clear)."""

    officers = serializers.ListField(child=serializers.CharField(max_length=150), max_length=50, allow_empty=True)
    leader_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=INT64_MAX)


class PetitionOfficersAnswerSerializer(serializers.Serializer):
    code = serializers.CharField()
    officers = serializers.ListField(child=serializers.CharField())
    leader_id = serializers.IntegerField(allow_null=True)
