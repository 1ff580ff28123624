"""Serializers of the documents registry (writes are validated by the services)."""

from __future__ import annotations

from rest_framework import serializers

from tinhgon.apparatus.models import Term, Unit
from tinhgon.core.api import enum_field

from ..forms import validate_attachment
from ..models import SYSTEMS, Document, DocumentRelation, DocumentType

RelationKindField = enum_field("DocumentRelationKind", DocumentRelation.KINDS)
StatusField = enum_field("DocumentStatus", Document.STATUSES)
LINK_KINDS = [("plan", "plan"), ("program", "program"), ("task", "task"), ("assignment", "assignment"),
              ("discipline", "discipline")]


class DocumentTypeSerializer(serializers.ModelSerializer):
    system = enum_field("DocumentSystem", SYSTEMS)(choices=SYSTEMS)
    sequence = serializers.CharField(read_only=True)

    class Meta:
        model = DocumentType
        fields = ["id", "code", "system", "name", "name_en", "abbreviation", "symbol_pattern", "sequence_group",
                  "sequence", "valid_from", "valid_to", "legal_basis", "order"]


class DocumentRelationSerializer(serializers.ModelSerializer):
    kind = RelationKindField(choices=DocumentRelation.KINDS)
    target_symbol = serializers.CharField(source="target.symbol", read_only=True)

    class Meta:
        model = DocumentRelation
        fields = ["id", "kind", "target", "target_symbol"]


class DocumentSerializer(serializers.ModelSerializer):
    direction = enum_field("DocumentDirection", Document.DIRECTIONS)(choices=Document.DIRECTIONS, read_only=True)
    status = StatusField(choices=Document.STATUSES, read_only=True)
    doc_type_name = serializers.CharField(source="doc_type.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    term_label = serializers.CharField(source="term.label", read_only=True, default=None)
    issuer = serializers.CharField(source="issuer_label", read_only=True)
    relations = DocumentRelationSerializer(source="relations_out", many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "direction", "doc_type", "doc_type_name", "unit", "unit_name", "issuer", "issuer_name",
                  "term", "term_label", "year", "number", "number_reason", "issuer_symbol", "symbol", "issued_on",
                  "signer", "title", "summary", "attachment", "status", "status_on", "relations"]
        read_only_fields = fields


class DocumentRegisterSerializer(serializers.Serializer):
    """An issued document: the number is proposed when left out; a repeat or a gap needs ``number_reason``."""

    doc_type = serializers.PrimaryKeyRelatedField(queryset=DocumentType.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="The issuing body (unit id).")
    issued_on = serializers.DateField()
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.all(), required=False, allow_null=True,
                                              help_text="Checked against the date: a date outside it is refused.")
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=999_999)
    number_reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    issuer_symbol = serializers.CharField(required=False, allow_blank=True, max_length=30)
    title = serializers.CharField(max_length=500)
    signer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    attachment = serializers.FileField(required=False, allow_null=True, validators=[validate_attachment])
    replaces = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                     required=False, max_length=20)
    amends = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                   required=False, max_length=20)


class DocumentReceiveSerializer(serializers.Serializer):
    """A document received from another issuer, recorded as written (no number sequence)."""

    doc_type = serializers.PrimaryKeyRelatedField(queryset=DocumentType.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="The receiving body (unit id).")
    symbol = serializers.CharField(max_length=80)
    issuer_name = serializers.CharField(max_length=200)
    issued_on = serializers.DateField()
    title = serializers.CharField(max_length=500)
    signer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    attachment = serializers.FileField(required=False, allow_null=True, validators=[validate_attachment])


class DocumentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    signer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ProposalSerializer(serializers.Serializer):
    doc_type = serializers.IntegerField()
    unit = serializers.IntegerField()
    issued_on = serializers.DateField()
    term = serializers.IntegerField(allow_null=True)
    term_label = serializers.CharField(allow_null=True)
    year = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    issuer_symbol = serializers.CharField()
    symbol = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class LinkSerializer(serializers.Serializer):
    kind = enum_field("DocumentLinkKind", LINK_KINDS)(choices=LINK_KINDS)
    record = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    unlink = serializers.BooleanField(required=False, default=False)


class RelateSerializer(serializers.Serializer):
    kind = RelationKindField(choices=DocumentRelation.KINDS)
    target = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class StatusSerializer(serializers.Serializer):
    status = StatusField(choices=Document.STATUSES)
    on = serializers.DateField(required=False, allow_null=True)


class TypeCountSerializer(serializers.Serializer):
    doc_type = serializers.IntegerField(source="doc_type_id")
    name = serializers.CharField()
    abbreviation = serializers.CharField()
    system = serializers.CharField()
    issued = serializers.IntegerField()
    received = serializers.IntegerField()
    total = serializers.IntegerField()
