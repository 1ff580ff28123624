"""Cadre records: the person, career (assignments), planning pools, training,
commendations, discipline, saved searches and the log of personal-data views."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.dated import DatedModel
from tinhgon.core.scoping import ScopePolicy

MALE, FEMALE = "M", "F"
SEXES = [(MALE, _("Male")), (FEMALE, _("Female"))]

# Ordered levels: comparisons such as "master's degree or higher" are integer comparisons.
EDUCATION_LEVELS = [
    (0, _("Below upper secondary")), (1, _("Upper secondary")), (2, _("Vocational (trung cấp)")),
    (3, _("College (cao đẳng)")), (4, _("University (đại học)")), (5, _("Master (thạc sĩ)")),
    (6, _("Doctor (tiến sĩ)")),
]
POLITICAL_THEORY = [
    (0, pgettext_lazy("qualification", "None")), (1, _("Elementary (sơ cấp)")), (2, _("Intermediate (trung cấp)")),
    (3, _("Advanced (cao cấp)")), (4, _("Bachelor (cử nhân)")),
]
STATE_MANAGEMENT = [
    (0, pgettext_lazy("qualification", "None")), (1, _("Officer (chuyên viên)")), (2, _("Principal officer (chuyên viên chính)")),
    (3, _("Senior officer (chuyên viên cao cấp)")),
]

citizen_id_validator = RegexValidator(r"^\d{12}$", _("A citizen ID has exactly 12 digits."))


class Cadre(TrackedModel):
    """A person in the cadre records (hồ sơ cán bộ)."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(_("folded name"), max_length=150, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=SEXES)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), validators=[MinValueValidator(1900)])
    citizen_id = models.CharField(_("citizen ID"), max_length=12, unique=True, validators=[citizen_id_validator])
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True, default="Kinh")
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    hometown = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("hometown"))
    hometown_text = models.CharField(_("hometown (as written)"), max_length=200, blank=True)
    education_level = models.PositiveSmallIntegerField(_("education"), choices=EDUCATION_LEVELS, default=4)
    education_field = models.CharField(_("field of study"), max_length=150, blank=True)
    political_theory = models.PositiveSmallIntegerField(_("political theory"), choices=POLITICAL_THEORY, default=0)
    state_management = models.PositiveSmallIntegerField(_("state management"), choices=STATE_MANAGEMENT, default=0)
    foreign_language = models.CharField(_("foreign language"), max_length=100, blank=True)
    it_certificate = models.CharField(_("IT certificate"), max_length=100, blank=True)
    party_admission_date = models.DateField(_("party admission"), null=True, blank=True)
    party_official_date = models.DateField(_("party official membership"), null=True, blank=True)
    civil_service_rank = models.CharField(_("civil-service rank (ngạch)"), max_length=60, blank=True)
    salary_step = models.PositiveSmallIntegerField(_("salary step"), null=True, blank=True,
                                                   validators=[MinValueValidator(1), MaxValueValidator(16)])
    # A JPEG re-encoded by ``cadres.photos`` (metadata stripped), served only to users who may
    # see personal data; set and removed through ``services.cadre_photo_set/remove``.
    photo = models.FileField(_("photo"), upload_to="cadres/photos/", blank=True)
    retirement_adjust_months = models.SmallIntegerField(
        _("retirement adjustment (months)"), default=0,
        validators=[MinValueValidator(-60), MaxValueValidator(60)],
        help_text=_("Negative for a reduced age (arduous work, remote areas), positive for an extended one."))
    retirement_adjust_basis = models.CharField(_("legal basis of the adjustment"), max_length=300, blank=True)
    # The inputs of the restructuring policy estimates (RULES.md §3): a missing value is reported
    # as missing by the estimate, never guessed.
    policy_salary = models.PositiveBigIntegerField(
        _("monthly salary for policies (VND)"), null=True, blank=True,
        help_text=_("Grade/step or position salary plus the allowances Decree 178/2024 counts "
                    "(leadership, seniority, professional, public-service, party/union work, "
                    "reserved difference); not the regional, attraction or hazardous allowances."))
    insured_months = models.PositiveIntegerField(
        _("compulsory social insurance (months)"), null=True, blank=True,
        validators=[MaxValueValidator(720)],
        help_text=_("Months of compulsory social insurance contributions; the policies round the "
                    "leftover months of a year (1–6 a half year, 7–11 a whole one)."))
    # The current primary position, kept by the assignment services (scoping reads unit_path).
    unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cadres", verbose_name=_("current unit"))
    unit_path = models.CharField(_("current unit path"), max_length=400, blank=True, db_index=True, editable=False)
    current_title = models.CharField(_("current title"), max_length=200, blank=True)
    synthetic = models.BooleanField(_("synthetic (demo) record"), default=False)
    external_key = models.CharField(_("external key"), max_length=60, blank=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    # The person's own sign-in, when they have one: "my tasks", "my superior", escalation.
    # (A plain foreign key with a partial unique constraint, not a one-to-one field: on SQLite a
    # unique column would rebuild the table and drop the name-search triggers and covering index.)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="cadre_records", verbose_name=_("user account"))
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    scope_policy = ScopePolicy(path_lookup="unit_path")

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        indexes = [
            models.Index(fields=["unit_path", "sex", "birth_year"], name="cadre_scope_sex_year"),
            models.Index(fields=["education_level", "political_theory"], name="cadre_edu_theory"),
            # "Retiring within N months": one birth-date range per sex (year-only records by year),
            # and the few with a per-person adjustment.
            models.Index(fields=["sex", "birth_date", "birth_year"], name="cadre_sex_birth"),
            models.Index(fields=["retirement_adjust_months"], condition=~models.Q(retirement_adjust_months=0),
                         name="cadre_adjusted"),
        ]
        constraints = [models.UniqueConstraint(fields=["user"], condition=models.Q(user__isnull=False),
                                               name="uniq_cadre_user")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def hometown_code(self) -> str:
        """The code of the hometown unit as recorded (an old unit keeps its code)."""
        return self.hometown.code if self.hometown_id else ""


class Assignment(DatedModel):
    """A position held over a period (quá trình công tác), with its decision."""

    KINDS = [
        ("appointment", _("Appointment")), ("reappointment", _("Reappointment")), ("election", _("Election")),
        ("transfer", _("Transfer")), ("rotation", _("Rotation")), ("secondment", _("Secondment")),
        ("acting", _("Acting")), ("dismissal", _("Dismissal")), ("resignation", _("Resignation")),
        ("retirement", _("Retirement")),
    ]
    ACTIVE, PENDING = "active", "pending_placement"
    STATUSES = [(ACTIVE, pgettext_lazy("assignment status", "Active")), (PENDING, _("Pending placement"))]

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="assignments")
    position = models.ForeignKey("apparatus.Position", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default="appointment")
    is_primary = models.BooleanField(_("primary position"), default=True)
    status = models.CharField(_("status"), max_length=20, choices=STATUSES, default=ACTIVE)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="assignments", verbose_name=_("decision (documents registry)"))
    planned_return = models.DateField(_("planned return"), null=True, blank=True)
    count_override_reason = models.CharField(_("reason for exceeding the position count"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="cadre__unit_path")

    class Meta:
        ordering = ["cadre", "-valid_from"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["unit", "valid_to"], name="assignment_unit_open")]

    def __str__(self) -> str:
        return f"{self.title} – {self.unit}"


class PoolEntry(TrackedModel):
    """A cadre in the planning pool (quy hoạch) for a title and a term."""

    ACTIVE, REMOVED = "active", "removed"
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="pool_entries")
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="pool_entries")
    title = models.CharField(_("title"), max_length=200)
    term = models.ForeignKey("apparatus.Term", on_delete=models.PROTECT, related_name="pool_entries",
                             verbose_name=_("term"))
    status = models.CharField(_("status"), max_length=10, choices=[(ACTIVE, _("In the pool")), (REMOVED, _("Removed"))],
                              default=ACTIVE)
    added_on = models.DateField(_("added on"))
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="cadre__unit_path")

    class Meta:
        ordering = ["cadre", "-added_on"]
        indexes = [models.Index(fields=["cadre", "status"], name="pool_cadre_status"),
                   models.Index(fields=["title", "status"], name="pool_title_status")]
        verbose_name = _("planning pool entry")
        verbose_name_plural = _("planning pool entries")

    def __str__(self) -> str:
        return f"{self.cadre} → {self.title} ({self.term})"


class PoolReview(TrackedModel):
    entry = models.ForeignKey(PoolEntry, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=10, choices=[
        ("keep", pgettext_lazy("planning pool review", "Keep")),
        ("remove", pgettext_lazy("planning pool review", "Remove")),
        ("add", pgettext_lazy("planning pool review", "Add")),
    ])
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="entry__cadre__unit_path")

    class Meta:
        ordering = ["entry", "date"]
        verbose_name = _("planning pool review")
        verbose_name_plural = _("planning pool reviews")

    def __str__(self) -> str:
        return f"{self.entry} {self.date}: {self.result}"


class Training(TrackedModel):
    KINDS = [("political", _("Political theory")), ("state_management", _("State management")),
             ("professional", _("Professional")), ("defense", _("Defense and security")), ("other", _("Other"))]
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default="professional")
    program = models.CharField(_("program"), max_length=200)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=100, blank=True)

    scope_policy = ScopePolicy(path_lookup="cadre__unit_path")

    class Meta:
        ordering = ["cadre", "-start"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.program


class Commendation(TrackedModel):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="commendations")
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=100, blank=True)
    decision = models.CharField(_("decision"), max_length=120, blank=True)
    date = models.DateField(_("date"))

    scope_policy = ScopePolicy(path_lookup="cadre__unit_path")

    class Meta:
        ordering = ["cadre", "-date"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")

    def __str__(self) -> str:
        return self.title


class Discipline(TrackedModel):
    """A disciplinary measure (RULES.md §8) and the period it weighs on eligibility."""

    MEASURES = [
        ("khien_trach", _("Reprimand (khiển trách)")), ("canh_cao", _("Warning (cảnh cáo)")),
        ("giang_chuc", _("Demotion (giáng chức)")), ("cach_chuc", _("Removal from post (cách chức)")),
        ("khai_tru", _("Expulsion (khai trừ)")), ("buoc_thoi_viec", _("Dismissal (buộc thôi việc)")),
    ]
    BODIES = [("party", _("Party")), ("state", _("State"))]
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="disciplines")
    measure = models.CharField(_("measure"), max_length=20, choices=MEASURES)
    body = models.CharField(_("by"), max_length=10, choices=BODIES, default="party")
    act_date = models.DateField(_("date of the violation"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"))
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="disciplines", verbose_name=_("decision (documents registry)"))

    scope_policy = ScopePolicy(path_lookup="cadre__unit_path")

    class Meta:
        ordering = ["cadre", "-effective_date"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.get_measure_display()} ({self.effective_date})"


class SavedSearch(TrackedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_cadre_searches")
    name = models.CharField(_("name"), max_length=120)
    params = models.JSONField(_("criteria"), default=dict)

    # Saved searches belong to their user: views filter by owner.
    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["user", "name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="uniq_saved_search_name")]

    def __str__(self) -> str:
        return self.name


class PersonalDataAccess(models.Model):
    """Every view of an unmasked record (append-only access log)."""

    time = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    user_name = models.CharField(max_length=150)
    # Kept when the record is deleted (no database constraint): the log outlives what it logs.
    cadre = models.ForeignKey(Cadre, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="personal_data_accesses")
    channel = models.CharField(max_length=10, default="web")  # web | api | export
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-time"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.user_name} → {self.cadre_id} @ {self.time:%Y-%m-%d %H:%M}"
