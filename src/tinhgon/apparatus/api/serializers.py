"""Serializers of the apparatus registry API.

Read serializers describe stored rows; the unit write serializers
(:class:`UnitCreateSerializer`, :class:`UnitChangeSerializer`,
:class:`UnitEndSerializer`) only validate input that the views hand to
:mod:`tinhgon.apparatus.services`: unit versions are never saved by a serializer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tinhgon.core.api import ValidatedModelSerializer, ensure_in_scope, enum_field
from tinhgon.core.models import RuleSet

from ..models import (
    BodyKind,
    Function,
    FunctionHolding,
    Level,
    PayrollQuota,
    Position,
    Power,
    PowerHolding,
    Term,
    Unit,
    UnitKind,
    code_validator,
)

NS = "apparatus-api"

VALID_TO_HELP = _(
    "Exclusive end: the first day on which this version no longer holds "
    "(the last valid day is the day before). Null = still valid."
)


def _url(basename: str) -> serializers.HyperlinkedIdentityField:
    return serializers.HyperlinkedIdentityField(view_name=f"{NS}:{basename}-detail")




UnitKindCategoryField = enum_field("UnitKindCategoryEnum", UnitKind.CATEGORIES)
BodyKindPerField = enum_field("BodyKindPerEnum", BodyKind.PER)
HoldingRoleField = enum_field("FunctionHoldingRoleEnum", FunctionHolding.ROLES)
QuotaCategoryField = enum_field("PayrollQuotaCategoryEnum", PayrollQuota.CATEGORIES)
TermKindField = enum_field("TermKindEnum", Term.KINDS)
GAP_KINDS = [("function", _("Function")), ("power", _("Power"))]
GapKindField = enum_field("CoverageGapKindEnum", GAP_KINDS)


# Units ------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    url = _url("unit")
    level = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Level code."))
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Unit kind code."))
    valid_to = serializers.DateField(read_only=True, allow_null=True, help_text=VALID_TO_HELP)

    class Meta:
        model = Unit
        fields = [
            "id", "url", "code", "name", "short_name", "level", "kind", "parent_code", "path", "depth",
            "valid_from", "valid_to", "latitude", "longitude", "area_km2", "population", "source",
        ]
        read_only_fields = fields


class UnitCreateSerializer(serializers.Serializer):
    """A new unit version (``POST /api/units/``)."""

    code = serializers.CharField(max_length=40, validators=[code_validator])
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    kind = serializers.SlugRelatedField(slug_field="code", queryset=UnitKind.objects.all(),
                                        help_text=_("Unit kind code."))
    level = serializers.SlugRelatedField(
        slug_field="code", queryset=Level.objects.all(), required=False, allow_null=True, default=None,
        help_text=_("Level code; defaults to the kind's level."))
    parent_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                        help_text=_("Code of the parent unit; empty for a top-level unit."))
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None, help_text=VALID_TO_HELP)
    latitude = serializers.FloatField(required=False, allow_null=True, default=None)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None)
    area_km2 = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0)
    population = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)
    source = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["kind"] = data["kind"].code
        data["level"] = data["level"].code if data.get("level") else ""
        return data


class UnitChangeSerializer(serializers.Serializer):
    """A rename, re-kind or move from a date on (``POST /api/units/{id}/change/``)."""

    on = serializers.DateField(help_text=_("First day of the new version (inside the current version's period)."))
    name = serializers.CharField(max_length=200, required=False)
    short_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.SlugRelatedField(slug_field="code", queryset=UnitKind.objects.all(), required=False,
                                        help_text=_("Unit kind code."))
    parent_code = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                        help_text=_("New parent code (a move); empty moves the unit to the top."))
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("The name is required."))
        return value

    def validate(self, attrs):
        if not {"name", "short_name", "kind", "parent_code"} & attrs.keys():
            raise serializers.ValidationError(
                {"name": [_("Give at least one of name, short_name, kind or parent_code to change.")]})
        return attrs

    def to_service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        if data.get("kind") is not None:
            data["kind"] = data["kind"].code
        return data


class UnitEndSerializer(serializers.Serializer):
    """End a unit version (``POST /api/units/{id}/end/``)."""

    on = serializers.DateField(help_text=_("First day on which the unit no longer exists (exclusive end)."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


# Reference data ---------------------------------------------------------------------------


class LevelSerializer(ValidatedModelSerializer):
    url = _url("level")

    class Meta:
        model = Level
        fields = ["id", "url", "code", "name", "name_en", "rank"]


class UnitKindSerializer(ValidatedModelSerializer):
    url = _url("unit-kind")
    category = UnitKindCategoryField(choices=UnitKind.CATEGORIES, required=False)
    level = serializers.SlugRelatedField(
        slug_field="code", queryset=Level.objects.all(), required=False, allow_null=True,
        help_text=_("Level code units of this kind must sit at; null = any level."))

    class Meta:
        model = UnitKind
        fields = ["id", "url", "code", "name", "name_en", "category", "level"]


class BodyKindSerializer(ValidatedModelSerializer):
    url = _url("body-kind")
    unit_kind = serializers.SlugRelatedField(slug_field="code", queryset=UnitKind.objects.all(),
                                             help_text=_("Code of the unit kind of such bodies."))
    territory_level = serializers.SlugRelatedField(
        slug_field="code", queryset=Level.objects.all(),
        help_text=_("Code of the level of the territory the body belongs to."))
    per = BodyKindPerField(choices=BodyKind.PER, required=False)
    name_pattern = serializers.CharField(max_length=200, help_text=_(
        "How a body of this kind is named for a territory: {territory}, {short}, {party} and, for one per "
        "field, {title}."))

    class Meta:
        model = BodyKind
        fields = ["id", "url", "code", "name", "name_en", "unit_kind", "territory_level", "per", "name_pattern"]


class _DefinitionSerializer(serializers.ModelSerializer):
    """The code is given once, at creation: it identifies the definition in imports and holdings."""

    required_in_kinds = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                              help_text=_("Codes of unit kinds in each of which some unit must "
                                                          "hold it."))

    def validate_code(self, value):
        if self.instance is not None and value != self.instance.code:
            raise serializers.ValidationError(_("The code does not change: it identifies the definition in "
                                                "imports, holdings and the API."))
        return value

    def validate(self, attrs):
        if self.instance is not None:
            attrs.pop("code", None)
        return attrs


class FunctionSerializer(_DefinitionSerializer):
    url = _url("function")

    class Meta:
        model = Function
        fields = ["id", "url", "code", "name", "name_en", "description", "required_in_kinds"]


class PowerSerializer(_DefinitionSerializer):
    url = _url("power")
    function = serializers.SlugRelatedField(slug_field="code", queryset=Function.objects.all(), required=False,
                                            allow_null=True, help_text=_("Function code."))

    class Meta:
        model = Power
        fields = ["id", "url", "code", "name", "name_en", "legal_basis", "function", "required_in_kinds"]


class _UnitRefMixin(serializers.Serializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)


class FunctionHoldingSerializer(_UnitRefMixin, serializers.ModelSerializer):
    url = _url("function-holding")
    function = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Function code."))
    function_name = serializers.CharField(source="function.name", read_only=True)
    role = HoldingRoleField(choices=FunctionHolding.ROLES, read_only=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True, help_text=VALID_TO_HELP)

    class Meta:
        model = FunctionHolding
        fields = ["id", "url", "unit", "unit_code", "unit_name", "function", "function_name", "role",
                  "valid_from", "valid_to", "note"]
        read_only_fields = fields


class PowerHoldingSerializer(_UnitRefMixin, serializers.ModelSerializer):
    url = _url("power-holding")
    power = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Power code."))
    power_name = serializers.CharField(source="power.name", read_only=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True, help_text=VALID_TO_HELP)

    class Meta:
        model = PowerHolding
        fields = ["id", "url", "unit", "unit_code", "unit_name", "power", "power_name", "legal_basis",
                  "valid_from", "valid_to"]
        read_only_fields = fields


# Positions and payroll quota ---------------------------------------------------------------


class _ScopedUnitMixin(serializers.Serializer):
    """The ``unit`` written to must lie inside the user's scope (403 otherwise)."""

    def validate_unit(self, unit: Unit) -> Unit:
        request = self.context.get("request")
        ensure_in_scope(getattr(request, "user", None), unit.path,
                        _("Unit %(code)s (%(name)s)") % {"code": unit.code, "name": unit.name})
        return unit

    def _merged(self, attrs, *names):
        return [attrs.get(n, getattr(self.instance, n, None)) for n in names]


class PositionSerializer(_ScopedUnitMixin, _UnitRefMixin, serializers.ModelSerializer):
    """A title with its number of seats; written through the position services."""

    url = _url("position")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text=_("Unit version id."))

    class Meta:
        model = Position
        fields = ["id", "url", "unit", "unit_code", "unit_name", "title", "count", "is_leadership", "order"]
        validators = []  # uniqueness is reported on the title field below

    def validate(self, attrs):
        unit, title = self._merged(attrs, "unit", "title")
        if unit is not None and title:
            others = Position.objects.filter(unit=unit, title=title.strip())
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError(
                    {"title": [_("Unit %(unit)s already has a position titled %(title)s.")
                               % {"unit": unit.code, "title": title.strip()}]})
        return attrs


class PayrollQuotaSerializer(_ScopedUnitMixin, _UnitRefMixin, serializers.ModelSerializer):
    """A unit's payroll quota (biên chế) for a year; written through the quota services."""

    url = _url("payroll-quota")
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text=_("Unit version id."))
    category = QuotaCategoryField(choices=PayrollQuota.CATEGORIES, required=False)

    class Meta:
        model = PayrollQuota
        fields = ["id", "url", "unit", "unit_code", "unit_name", "year", "category", "quota", "decision"]
        validators = []  # creating sets (or changes) the one row per unit, year and category

    def validate(self, attrs):
        if self.instance is not None:
            unit, year, category = self._merged(attrs, "unit", "year", "category")
            taken = PayrollQuota.objects.filter(unit=unit, year=year, category=category).exclude(pk=self.instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {"year": [_("Unit %(unit)s already has a %(category)s quota for %(year)s.")
                              % {"unit": unit.code, "category": category, "year": year}]})
        return attrs


# Rule sets ----------------------------------------------------------------------------------


class RuleSetSerializer(ValidatedModelSerializer):
    url = _url("rule-set")
    valid_to = serializers.DateField(required=False, allow_null=True, help_text=VALID_TO_HELP)

    class Meta:
        model = RuleSet
        fields = ["id", "url", "kind", "code", "name", "legal_basis", "parameters", "valid_from", "valid_to",
                  "shipped", "note"]
        read_only_fields = ["shipped"]


# Reports ------------------------------------------------------------------------------------


class RuleSetRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    legal_basis = serializers.CharField()


class RoadmapRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Unit code (figures summed across its versions)."))
    name = serializers.CharField()
    path = serializers.CharField()
    baseline = serializers.IntegerField(allow_null=True, help_text=_("Quota in the baseline year."))
    target = serializers.IntegerField(allow_null=True, help_text=_("Quota in the target year."))
    reduction = serializers.FloatField(allow_null=True, help_text=_("Share reduced, 0.05 = 5 %."))
    meets = serializers.BooleanField(allow_null=True, help_text=_("Null when a figure is missing."))
    merged_from = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Codes of the units merged into this one: their baseline is counted in this row's."))


class RoadmapTotalsSerializer(serializers.Serializer):
    baseline = serializers.IntegerField()
    target = serializers.IntegerField()
    reduction = serializers.FloatField(allow_null=True)
    meets = serializers.BooleanField(allow_null=True)


class PayrollRoadmapSerializer(serializers.Serializer):
    rule_set = RuleSetRefSerializer()
    category = QuotaCategoryField(choices=PayrollQuota.CATEGORIES)
    baseline_year = serializers.IntegerField()
    target_year = serializers.IntegerField()
    min_reduction = serializers.FloatField(help_text=_("Required reduction share, 0.05 = 5 %."))
    rows = RoadmapRowSerializer(many=True)
    totals = RoadmapTotalsSerializer()

    @staticmethod
    def from_roadmap(rm) -> dict:
        return {
            "rule_set": {"code": rm.rule_set_code, "name": rm.rule_set_name, "legal_basis": rm.legal_basis},
            "category": rm.category,
            "baseline_year": rm.baseline_year,
            "target_year": rm.target_year,
            "min_reduction": rm.min_reduction,
            "rows": [vars(r) for r in rm.rows],
            "totals": {"baseline": rm.total_baseline, "target": rm.total_target,
                       "reduction": rm.total_reduction, "meets": rm.total_meets},
        }


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class OverlapSerializer(serializers.Serializer):
    function_code = serializers.CharField()
    function_name = serializers.CharField()
    territory_path = serializers.CharField(help_text=_("Path of the administrative unit the units share."))
    units = UnitRefSerializer(many=True, help_text=_("The units that all lead the function there."))


class GapSerializer(serializers.Serializer):
    kind = GapKindField(choices=GAP_KINDS,
                                   help_text=_("What is missing: a function (led) or a power (held)."))
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    overlaps = OverlapSerializer(many=True)
    gaps = GapSerializer(many=True)

    @staticmethod
    def build(as_of, overlaps, gaps) -> dict:
        return {
            "as_of": as_of,
            "overlaps": [
                {"function_code": o.function_code, "function_name": o.function_name,
                 "territory_path": o.territory_path,
                 "units": [{"id": i, "code": c, "name": n} for i, c, n in o.units]}
                for o in overlaps
            ],
            "gaps": [vars(g) for g in gaps],
        }


class TermSerializer(_ScopedUnitMixin, serializers.ModelSerializer):
    """A term of office of a body (party committee, People's Council); written through ``term_create``."""

    url = _url("term")
    unit = serializers.PrimaryKeyRelatedField(source="body", queryset=Unit.objects.all(),
                                              help_text=_("The body's unit version id."))
    body_code = serializers.CharField(read_only=True)
    body_name = serializers.CharField(source="body.name", read_only=True)
    kind = TermKindField(choices=Term.KINDS, required=False, default=Term.PARTY_COMMITTEE)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None, help_text=_(
        "First day of the term (default 1 January of the label's first year)."))
    valid_to = serializers.DateField(required=False, allow_null=True, default=None, help_text=_(
        "First day of the next term (default 1 January of the label's last year)."))

    class Meta:
        model = Term
        fields = ["id", "url", "unit", "body_code", "body_name", "kind", "label", "number", "valid_from", "valid_to",
                  "note"]
        validators = []
