"""The apparatus registry: levels, unit kinds, dated unit versions, functions,
powers, positions and payroll quotas."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.dated import DatedModel
from tinhgon.core.scoping import ScopePolicy

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("A code holds letters, digits, dots, dashes and underscores, and starts with a letter or digit."),
)

PATH_SEP = "/"


class Level(TrackedModel):
    """A level of the apparatus (province, district, commune, …). Data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("0 for the top level, growing downwards."))

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return self.name


class UnitKind(TrackedModel):
    """A kind of unit (Tỉnh, Thành phố, Quận, Huyện, Phường, Xã, Sở, Ban, …)."""

    CATEGORIES = [
        ("administrative", _("Administrative unit")),
        ("party", _("Party organization")),
        ("state", _("State agency")),
        ("front", _("Fatherland Front and mass organization")),
        ("public_service", _("Public service unit")),
        ("other", _("Other")),
    ]
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=CATEGORIES, default="administrative")
    level = models.ForeignKey(
        Level, null=True, blank=True, on_delete=models.PROTECT, related_name="kinds",
        help_text=_("When set, units of this kind must sit at this level."),
    )

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["level__rank", "code"]
        verbose_name = _("unit kind")
        verbose_name_plural = _("unit kinds")

    def __str__(self) -> str:
        return self.name


class Unit(DatedModel):
    """One immutable version of a unit: its name, kind and place in the tree over
    ``[valid_from, valid_to)``.  Versions of one unit share its ``code``.

    ``path`` is the materialized path of codes from the root (``"01/001/00001/"``);
    a subtree is an indexed prefix match, valid across versions because a code
    keeps its place until a new version (with a new path) replaces it.
    """

    code = models.CharField(_("code"), max_length=40, validators=[code_validator], db_index=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=200, blank=True)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="units")
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="units")
    parent_code = models.CharField(_("parent code"), max_length=40, blank=True, db_index=True)
    path = models.CharField(_("path"), max_length=400, db_index=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    search_text = models.CharField(_("search text"), max_length=600, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup="path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["path", "valid_from"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="uniq_unit_code_valid_from"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
        ]
        indexes = [
            models.Index(fields=["level", "valid_from", "valid_to"], name="unit_level_dates"),
            models.Index(fields=["parent_code", "valid_from"], name="unit_parent_dates"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split(PATH_SEP) if c][:-1]


class Function(TrackedModel):
    """A field of work (lĩnh vực): finance, education, land, …"""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    required_in_kinds = models.JSONField(
        _("required in unit kinds"), default=list, blank=True,
        help_text=_("Codes of unit kinds inside each of which some unit must lead this function."),
    )

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["code"]
        verbose_name = _("function")
        verbose_name_plural = _("functions")

    def __str__(self) -> str:
        return self.name


class Power(TrackedModel):
    """A competence with its legal basis (thẩm quyền)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    function = models.ForeignKey(Function, null=True, blank=True, on_delete=models.PROTECT, related_name="powers")
    required_in_kinds = models.JSONField(_("required in unit kinds"), default=list, blank=True)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["code"]
        verbose_name = _("power")
        verbose_name_plural = _("powers")

    def __str__(self) -> str:
        return self.name


class FunctionHolding(DatedModel):
    """A unit leads or coordinates a function over a period."""

    LEAD, COORDINATE = "lead", "coordinate"
    ROLES = [(LEAD, _("Leads")), (COORDINATE, _("Coordinates"))]
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="function_holdings")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="holdings")
    role = models.CharField(_("role"), max_length=12, choices=ROLES, default=LEAD)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="unit__path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["function__code", "unit__path"]
        verbose_name = _("function holding")
        verbose_name_plural = _("function holdings")

    def __str__(self) -> str:
        return f"{self.unit} – {self.function}"


class PowerHolding(DatedModel):
    """A unit holds a power over a period."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="power_holdings")
    power = models.ForeignKey(Power, on_delete=models.PROTECT, related_name="holdings")
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="unit__path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["power__code", "unit__path"]
        verbose_name = _("power holding")
        verbose_name_plural = _("power holdings")

    def __str__(self) -> str:
        return f"{self.unit} – {self.power}"


class Position(TrackedModel):
    """A title in a unit with the number of seats (chức danh, số lượng)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("title"), max_length=200)
    count = models.PositiveSmallIntegerField(_("count"), default=1, validators=[MinValueValidator(1)])
    is_leadership = models.BooleanField(_("leadership"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        ordering = ["unit__path", "order", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="uniq_position_title")]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"


class PayrollQuota(TrackedModel):
    """The payroll quota (biên chế) granted to a unit for a year."""

    CIVIL_SERVANT, PUBLIC_EMPLOYEE = "civil_servant", "public_employee"
    CATEGORIES = [
        (CIVIL_SERVANT, _("Cadres and civil servants")),
        (PUBLIC_EMPLOYEE, _("Public employees")),
    ]
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payroll_quotas")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1945)])
    category = models.CharField(_("category"), max_length=20, choices=CATEGORIES, default=CIVIL_SERVANT)
    quota = models.PositiveIntegerField(_("quota"))
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        ordering = ["unit__path", "year", "category"]
        verbose_name = _("payroll quota")
        verbose_name_plural = _("payroll quotas")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "category"], name="uniq_quota_unit_year_category"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.quota}"


class Term(DatedModel):
    """A term of office of a body (nhiệm kỳ): a party committee's, a People's Council's.

    One dated record per body and term, used wherever the apparatus speaks of a term:
    planning pools ("quy hoạch for the 2026–2031 term"), work programs, congress work and
    party document numbering (which restarts each term).  The label is the term as people
    write it ("2026-2031"); the dates say when it runs (``valid_to`` is the first day of
    the next term).  The body is named by its code, so a term outlives a rename of its body.
    """

    PARTY_COMMITTEE, PEOPLES_COUNCIL, OTHER = "party_committee", "peoples_council", "other"
    KINDS = [(PARTY_COMMITTEE, _("Party committee term")), (PEOPLES_COUNCIL, _("People's Council term")),
             (OTHER, _("Other term"))]

    body = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="terms", verbose_name=_("body"))
    body_code = models.CharField(_("body code"), max_length=40, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=PARTY_COMMITTEE)
    label = models.CharField(_("term"), max_length=40, help_text=_("As people write it, e.g. 2026-2031."))
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("e.g. XVIII (the congress)."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="body__path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["body_code", "kind", "valid_from"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [models.UniqueConstraint(fields=["body_code", "kind", "label"], name="uniq_term_label")]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.body_id and not self.body_code:
            self.body_code = self.body.code
        super().save(*args, **kwargs)


class BodyKind(TrackedModel):
    """What a restructuring needs to know about a kind of body (agency or organization).

    A body is a unit of the ``body`` level; its *territory* is the nearest administrative unit
    above it. A body kind is the pair (unit kind, level of that territory): the People's
    Committee of a province is one body kind, that of a district another. ``per`` says how many
    a territory has: one (party committee, People's Council, People's Committee, Front
    committee) or one per field (a department per function: the field is the body's name
    without its territory, "Sở Tài chính"). ``name_pattern`` names a body of this kind for a
    territory: ``{territory}`` ("tỉnh Phú Thọ"), ``{short}`` ("Phú Thọ"), ``{party}`` ("Tỉnh ủy")
    and, for a field kind, ``{title}`` ("Sở Tài chính").
    """

    TERRITORY, FIELD = "territory", "field"
    PER = [(TERRITORY, _("One per territory")), (FIELD, _("One per field"))]
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    unit_kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, related_name="body_kinds",
                                  verbose_name=_("unit kind"))
    territory_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="body_kinds",
                                        verbose_name=_("level of territory"))
    per = models.CharField(_("how many"), max_length=12, choices=PER, default=TERRITORY)
    name_pattern = models.CharField(_("name pattern"), max_length=200)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["territory_level__rank", "code"]
        verbose_name = _("body kind")
        verbose_name_plural = _("body kinds")
        constraints = [models.UniqueConstraint(fields=["unit_kind", "territory_level"], name="uniq_body_kind")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .bodies import pattern_problem

        problem = pattern_problem(self.name_pattern or "")
        if problem:
            raise ValidationError({"name_pattern": _(
                "A name pattern uses {territory}, {short}, {party} and {title} (and names the territory): %(p)s")
                % {"p": problem}})
        if self.per == self.FIELD and "{title}" not in self.name_pattern:
            raise ValidationError({"name_pattern": _("A kind with one body per field needs {title} in its pattern.")})
