"""Serializers of party members (writes are validated by the services)."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.apparatus.models import Unit
from tinhgon.cadres.models import Cadre
from tinhgon.core.api import enum_field

from ..models import Membership, PartyMember


class MembershipSerializer(serializers.ModelSerializer):
    organization_code = serializers.CharField(source="organization.code", read_only=True)
    start_reason = enum_field("MembershipStart", Membership.START_REASONS)(choices=Membership.START_REASONS,
                                                                           read_only=True)
    end_reason = serializers.CharField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "organization_code", "valid_from", "valid_to", "start_reason", "end_reason",
                  "note"]


class PartyMemberSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    cadre = serializers.PrimaryKeyRelatedField(queryset=Cadre.objects.all(), allow_null=True, required=False)
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100, allow_null=True, required=False)
    left_on = serializers.DateField(read_only=True)
    leave_reason = serializers.CharField(read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = PartyMember
        fields = ["id", "full_name", "birth_year", "cadre", "card_number", "admission_date", "official_date",
                  "organization", "left_on", "leave_reason", "note", "status"]

    def get_status(self, obj) -> str:
        from django.utils import timezone

        return obj.status_on(timezone.localdate())


class PartyOfficialSerializer(serializers.Serializer):
    official_date = serializers.DateField()


class PartyTransferSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PartyLeaveSerializer(serializers.Serializer):
    reason = enum_field("PartyLeaveReason", PartyMember.LEAVE_REASONS)(choices=PartyMember.LEAVE_REASONS)
    on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DevelopmentRateRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    path = serializers.CharField()
    depth = serializers.IntegerField()
    is_organization = serializers.BooleanField()
    members_at_start = serializers.IntegerField(source="at_start")
    new_members = serializers.IntegerField(source="new")
    rate = serializers.FloatField(allow_null=True)
