"""Serializers of good models (writes are validated by the services)."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.apparatus.models import Unit
from tinhgon.core.api import enum_field
from tinhgon.documents.forms import validate_attachment
from tinhgon.documents.models import Document

from ..models import FIELDS, LEVELS, GoodModel


class GoodModelSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    field = enum_field("GoodModelField", FIELDS)(choices=FIELDS)
    recognition_level = enum_field("GoodModelLevel", LEVELS)(choices=LEVELS)
    document = serializers.PrimaryKeyRelatedField(queryset=Document.objects.all(), allow_null=True, required=False)
    document_symbol = serializers.CharField(source="document.symbol", read_only=True, default=None)
    evidence_file = serializers.FileField(required=False, allow_null=True, validators=[validate_attachment])
    year = serializers.IntegerField(min_value=1945, max_value=2200)

    class Meta:
        model = GoodModel
        fields = ["id", "title", "field", "unit", "unit_name", "year", "owner", "recognition_level",
                  "recognition_decision", "document", "document_symbol", "description", "evidence_file",
                  "evidence_url"]


class GoodModelCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class GoodModelCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_field = GoodModelCountSerializer(many=True)
    by_year = GoodModelCountSerializer(many=True)
    by_unit = GoodModelCountSerializer(many=True)
