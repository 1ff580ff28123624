"""Serializers of the cadres API.

Read serializers describe records (with the computed retirement and eligibility, and
the personal fields masked for users without the ``personal_data`` action); write
serializers only validate input that the views hand to :mod:`tinhgon.cadres.services`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from tinhgon.apparatus.models import Position, Unit
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.api import enum_field
from tinhgon.core.uploads import validate_upload_size

from .. import selectors
from ..models import (
    EDUCATION_LEVELS,
    POLITICAL_THEORY,
    SEXES,
    STATE_MANAGEMENT,
    Assignment,
    Cadre,
    Commendation,
    Discipline,
    PoolEntry,
    PoolReview,
    SavedSearch,
    Training,
)

NS = "cadres-api"




SexField = enum_field("CadreSexEnum", SEXES)
EducationField = enum_field("CadreEducationLevelEnum", EDUCATION_LEVELS, integer=True)
TheoryField = enum_field("CadrePoliticalTheoryEnum", POLITICAL_THEORY, integer=True)
StateManagementField = enum_field("CadreStateManagementEnum", STATE_MANAGEMENT, integer=True)
AssignmentKindField = enum_field("AssignmentKindEnum", Assignment.KINDS)
AssignmentStatusField = enum_field("AssignmentStatusEnum", Assignment.STATUSES)
PoolStatusField = enum_field("PoolEntryStatusEnum", PoolEntry._meta.get_field("status").choices)
PoolReviewResultField = enum_field("PoolReviewResultEnum", PoolReview._meta.get_field("result").choices)
TrainingKindField = enum_field("TrainingKindEnum", Training.KINDS)
MeasureField = enum_field("DisciplineMeasureEnum", Discipline.MEASURES)
BodyField = enum_field("DisciplineBodyEnum", Discipline.BODIES)


class _UnitInputMixin:
    """Accepts the unit as ``unit`` (a version id) or ``unit_code`` (the version valid on ``date_field``)."""

    date_field = "valid_from"

    def _resolve_unit(self, attrs):
        code = attrs.pop("unit_code", "") or ""
        if attrs.get("unit") is None:
            if not code:
                raise serializers.ValidationError({"unit": [_("Give the unit (id) or its code (unit_code).")]})
            unit = unit_for_code(code, attrs.get(self.date_field) or timezone.localdate())
            if unit is None:
                raise serializers.ValidationError({"unit_code": [_("Unknown unit code %(code)s.") % {"code": code}]})
            attrs["unit"] = unit
        return attrs


# Cadres ---------------------------------------------------------------------------------------


class CadreDeleteSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the record is deleted (kept in the audit log)."),
                                   error_messages={"blank": _("Give the reason for deleting the record."),
                                                   "required": _("Give the reason for deleting the record."),
                                                   "null": _("Give the reason for deleting the record.")})


class CadrePhotoSerializer(serializers.Serializer):
    photo = serializers.FileField(help_text=_("JPEG, PNG or WebP, at most 5 MiB."))


class CadreSerializer(serializers.ModelSerializer):
    """A cadre record as this user may see it, with what the platform computes from it."""

    url = serializers.HyperlinkedIdentityField(view_name=f"{NS}:cadre-detail")
    sex = SexField(choices=SEXES, read_only=True)
    citizen_id = serializers.SerializerMethodField(
        help_text=_("12 digits; masked (first three and last three digits) without the personal_data right."))
    birth_date = serializers.SerializerMethodField(help_text=_("Null when unknown or masked."))
    personal_data_masked = serializers.SerializerMethodField()
    hometown_code = serializers.CharField(read_only=True, help_text=_("Code of the hometown unit as recorded."))
    hometown_now = serializers.SerializerMethodField(help_text=_(
        "What the hometown unit is today through the lineage (several when it was divided), with ancestors; "
        "empty while the recorded unit is still valid."))
    has_photo = serializers.SerializerMethodField(help_text=_("Whether a portrait is on record."))
    photo_url = serializers.SerializerMethodField(
        help_text=_("Where to fetch the portrait; null when there is none or personal data is masked."))
    education_level = EducationField(choices=EDUCATION_LEVELS, read_only=True)
    political_theory = TheoryField(choices=POLITICAL_THEORY, read_only=True)
    state_management = StateManagementField(choices=STATE_MANAGEMENT, read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True, default=None)
    retirement_date = serializers.SerializerMethodField(
        help_text=_("Statutory retirement moment: last day of the month the retirement age is reached."))
    pension_start = serializers.SerializerMethodField(help_text=_("First day of the month after retirement."))
    retirement_rule_set = serializers.SerializerMethodField(help_text=_("Code of the rule set that produced it."))
    eligible = serializers.SerializerMethodField(
        help_text=_("Whether the cadre may be planned, appointed or promoted today."))
    ineligibility_reasons = serializers.SerializerMethodField()

    class Meta:
        model = Cadre
        fields = [
            "id", "url", "full_name", "sex", "birth_date", "birth_year", "citizen_id", "personal_data_masked",
            "has_photo", "photo_url", "ethnicity", "religion", "hometown", "hometown_code", "hometown_now",
            "hometown_text", "education_level", "education_field",
            "political_theory", "state_management", "foreign_language", "it_certificate",
            "party_admission_date", "party_official_date", "civil_service_rank", "salary_step",
            "policy_salary", "insured_months", "retirement_adjust_months", "retirement_adjust_basis", "unit", "unit_code", "unit_name",
            "current_title", "note", "lock_version", "retirement_date", "pension_start", "retirement_rule_set",
            "eligible", "ineligibility_reasons",
        ]
        read_only_fields = fields

    # Per-instance computations are cached on the serializer: one retirement rule per response.
    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _masked(self, obj) -> dict:
        cache = self.context.setdefault("_masked", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.masked(obj, self._user())
        return cache[obj.pk]

    def _retirement(self, obj):
        rule = self.context.get("_retirement_rule")
        if rule is None:
            rule = self.context["_retirement_rule"] = selectors.retirement_rule()
        return selectors.cadre_retirement(obj, rule=rule)

    def _eligibility(self, obj):
        cache = self.context.setdefault("_eligibility", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.cadre_eligibility(obj)
        return cache[obj.pk]

    def get_citizen_id(self, obj) -> str:
        return self._masked(obj)["citizen_id"]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, obj) -> dt.date | None:
        return self._masked(obj)["birth_date"]

    def get_personal_data_masked(self, obj) -> bool:
        return self._masked(obj)["masked"]

    def get_hometown_now(self, obj) -> list[str]:
        if not obj.hometown_id:
            return []
        cache = self.context.setdefault("_hometown_now", {})  # cadres of a page share hometowns
        if obj.hometown_id not in cache:
            found = selectors.hometown(obj)
            cache[obj.hometown_id] = found.now if found and found.changed else []
        return cache[obj.hometown_id]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, obj) -> str | None:
        if not obj.photo or self._masked(obj)["masked"]:
            return None
        return reverse(f"{NS}:cadre-photo", args=[obj.pk], request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.DATE)
    def get_retirement_date(self, obj) -> dt.date:
        return self._retirement(obj).retirement_date

    @extend_schema_field(OpenApiTypes.DATE)
    def get_pension_start(self, obj) -> dt.date:
        return self._retirement(obj).pension_start

    def get_retirement_rule_set(self, obj) -> str:
        return self._retirement(obj).rule_set

    def get_eligible(self, obj) -> bool:
        return self._eligibility(obj)[0]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_ineligibility_reasons(self, obj) -> list[str]:
        return [str(r) for r in self._eligibility(obj)[1]]


class PositionInputSerializer(_UnitInputMixin, serializers.Serializer):
    """The current position of a new record (becomes its first assignment)."""

    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None, help_text=_("Unit version id."))
    unit_code = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text=_("Unit code (the version valid on valid_from); instead of unit."))
    title = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    kind = AssignmentKindField(choices=Assignment.KINDS, required=False, default="appointment")
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    decision_issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return self._resolve_unit(attrs)


class _CadreFieldsSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    sex = SexField(choices=SEXES)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_year = serializers.IntegerField(required=False, min_value=1900,
                                          help_text=_("Only when the birth date is unknown."))
    citizen_id = serializers.CharField(max_length=12)
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True)
    religion = serializers.CharField(max_length=50, required=False, allow_blank=True)
    hometown = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                                  help_text=_("Unit version id of the hometown."))
    hometown_code = serializers.CharField(
        max_length=40, required=False, allow_blank=True, write_only=True,
        help_text=_("Or the hometown unit's code (an old one included; its latest version is taken)."))
    hometown_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    education_level = EducationField(choices=EDUCATION_LEVELS, required=False)
    education_field = serializers.CharField(max_length=150, required=False, allow_blank=True)
    political_theory = TheoryField(choices=POLITICAL_THEORY, required=False)
    state_management = StateManagementField(choices=STATE_MANAGEMENT, required=False)
    foreign_language = serializers.CharField(max_length=100, required=False, allow_blank=True)
    it_certificate = serializers.CharField(max_length=100, required=False, allow_blank=True)
    party_admission_date = serializers.DateField(required=False, allow_null=True)
    party_official_date = serializers.DateField(required=False, allow_null=True)
    civil_service_rank = serializers.CharField(max_length=60, required=False, allow_blank=True)
    salary_step = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=16)
    policy_salary = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000_000_000,
        help_text=_("Monthly salary the restructuring policies count (VND); null when unknown."))
    insured_months = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=720,
                                              help_text=_("Months of compulsory social insurance."))
    retirement_adjust_months = serializers.IntegerField(required=False, min_value=-60, max_value=60)
    retirement_adjust_basis = serializers.CharField(max_length=300, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_hometown_code(self, value):
        code = (value or "").strip()
        if not code:
            return None
        unit = unit_for_code(code)
        if unit is None:
            raise serializers.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return unit

    def validate(self, attrs):
        if attrs.get("birth_date") is None and not attrs.get("birth_year") and self.instance is None:
            raise serializers.ValidationError({"birth_date": [_("Give the birth date (or at least the birth year).")]})
        if "hometown_code" in attrs:
            if "hometown" in attrs:
                raise serializers.ValidationError({"hometown_code": [_("Give the hometown or its code, not both.")]})
            attrs["hometown"] = attrs.pop("hometown_code")
        return attrs

    def service_fields(self) -> dict:
        data = dict(self.validated_data)
        data.pop("position", None)
        data.pop("lock_version", None)
        if "hometown" in data:
            data["hometown_id"] = data.pop("hometown").pk if data["hometown"] else None
        return data


class CadreCreateSerializer(_CadreFieldsSerializer):
    position = PositionInputSerializer(
        required=False, allow_null=True, default=None,
        help_text=_("The current position; required for users bound to scopes (the record must fall inside them)."))


class CadreUpdateSerializer(_CadreFieldsSerializer):
    lock_version = serializers.IntegerField(
        min_value=0, help_text=_("The lock_version read with the record; a stale one is refused (400)."))

    def __init__(self, *args, partial_update: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for name, field in self.fields.items():
                if name != "lock_version":
                    field.required = False


# Career and record entries ----------------------------------------------------------------------


class AssignmentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind = AssignmentKindField(choices=Assignment.KINDS, read_only=True)
    status = AssignmentStatusField(choices=Assignment.STATUSES, read_only=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True, help_text=_(
        "Exclusive end: the first day the position is no longer held. Null = still held."))

    class Meta:
        model = Assignment
        fields = ["id", "cadre", "unit", "unit_code", "unit_name", "position", "title", "kind", "is_primary",
                  "status", "valid_from", "valid_to", "decision_number", "decision_date", "decision_issuer",
                  "planned_return", "count_override_reason", "document"]
        read_only_fields = fields


class AssignmentCreateSerializer(_UnitInputMixin, serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None, help_text=_("Unit version id."))
    unit_code = serializers.CharField(required=False, allow_blank=True, default="",
                                      help_text=_("Unit code (the version valid on valid_from); instead of unit."))
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all(), required=False,
                                                  allow_null=True, default=None)
    title = serializers.CharField(max_length=200)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text=_("Exclusive end; empty = still held."))
    kind = AssignmentKindField(choices=Assignment.KINDS, required=False, default="appointment")
    is_primary = serializers.BooleanField(required=False, default=True)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    decision_issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    planned_return = serializers.DateField(required=False, allow_null=True, default=None)
    count_override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return self._resolve_unit(attrs)


class AssignmentEndSerializer(serializers.Serializer):
    on = serializers.DateField(help_text=_("First day the position is no longer held."))
    kind = AssignmentKindField(choices=Assignment.KINDS, required=False, allow_null=True, default=None)


class PoolEntrySerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    term = serializers.CharField(source="term.label", read_only=True, help_text=_("The term, e.g. 2026-2031."))
    term_id = serializers.IntegerField(read_only=True, help_text=_("The term record (a term of the unit's body)."))
    status = PoolStatusField(choices=PoolEntry._meta.get_field("status").choices, read_only=True)

    class Meta:
        model = PoolEntry
        fields = ["id", "cadre", "unit", "unit_code", "title", "term", "term_id", "status", "added_on", "decision",
                  "note"]
        read_only_fields = fields


class PoolEntryCreateSerializer(_UnitInputMixin, serializers.Serializer):
    date_field = "added_on"
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                              default=None, help_text=_("Unit version id."))
    unit_code = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200)
    term = serializers.CharField(max_length=20, help_text=_("e.g. 2026-2031"))
    added_on = serializers.DateField()
    decision = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        return self._resolve_unit(attrs)


class PoolReviewSerializer(serializers.ModelSerializer):
    result = PoolReviewResultField(choices=PoolReview._meta.get_field("result").choices)

    class Meta:
        model = PoolReview
        fields = ["id", "entry", "date", "result", "note"]
        read_only_fields = ["id", "entry"]


class DisciplineSerializer(serializers.ModelSerializer):
    measure = MeasureField(choices=Discipline.MEASURES)
    body = BodyField(choices=Discipline.BODIES, required=False, default="party")

    class Meta:
        model = Discipline
        fields = ["id", "cadre", "measure", "body", "act_date", "decision_number", "decision_date",
                  "effective_date", "reason", "document"]
        read_only_fields = ["id", "cadre", "document"]


class TrainingSerializer(serializers.ModelSerializer):
    kind = TrainingKindField(choices=Training.KINDS, required=False, default="professional")

    class Meta:
        model = Training
        fields = ["id", "cadre", "kind", "program", "institution", "start", "end", "result"]
        read_only_fields = ["id", "cadre"]


class CommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commendation
        fields = ["id", "cadre", "title", "level", "decision", "date"]
        read_only_fields = ["id", "cadre"]


# Saved searches, import -------------------------------------------------------------------------


class SavedSearchSerializer(serializers.ModelSerializer):
    params = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=_("The search criteria: the query parameters of /api/cadres/ (q, sex, age_under, …)."))

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params"]
        read_only_fields = ["id"]

    def validate_params(self, value):
        from ..filtersets import PARAMS, CadreFilterSet

        unknown = sorted(set(value) - set(PARAMS))
        if unknown:
            raise serializers.ValidationError(_("Unknown criteria: %(names)s.") % {"names": ", ".join(unknown)})
        fs = CadreFilterSet(value, queryset=Cadre.objects.none())
        if not fs.is_valid():
            raise serializers.ValidationError({k: [str(m) for m in v] for k, v in fs.errors.items()})
        return {k: v for k, v in value.items() if v not in ("", None)}


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV (UTF-8, comma or semicolon) or XLSX; see docs/CADRES_IMPORT.md."))
    update = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Change records whose citizen ID exists and whose row differs."))
    error_report = serializers.ChoiceField(choices=[("json", "json"), ("xlsx", "xlsx")], required=False,
                                           default="json", help_text=_("Form of the error report (400)."))

    def validate_file(self, value):
        validate_upload_size(value)
        return value


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text=_("Rows identical to the record already stored."))


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = ImportErrorSerializer(many=True)
