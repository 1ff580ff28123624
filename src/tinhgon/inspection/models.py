"""Inspection and supervision by an inspection commission (a unit): annual plans, inspections
and supervisions of party organizations (units) and party members (cadres), their findings,
conclusion, disciplinary measures (RULES.md §8) and recommendations followed up until done.

Scoping (docs/SECURITY.md): the commission's scope conducts (``inspect``) and sees everything;
the inspected unit's scope sees an inspection once it is concluded (``published_path`` is set
then, blank before); a recommendation's owner sees it and reports on it (``change``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy


class InspectionPlan(TrackedModel):
    """The inspection commission's plan for a year: themes, period, team; its inspections are the subjects."""

    commission = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="inspection_plans")
    commission_path = models.CharField(_("commission path"), max_length=400, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    themes = models.TextField(_("themes"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    team = models.ManyToManyField("cadres.Cadre", blank=True, related_name="inspection_plans",
                                  verbose_name=_("team"))
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup="commission_path")

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")

    def __str__(self) -> str:
        return self.title


class Inspection(TrackedModel):
    INSPECTION, SUPERVISION = "inspection", "supervision"
    ACTIVITIES = [(INSPECTION, _("Inspection (kiểm tra)")), (SUPERVISION, _("Supervision (giám sát)"))]
    THEMATIC, REGULAR, SIGNS = "thematic", "regular", "signs"
    KINDS = [(THEMATIC, _("Thematic")), (REGULAR, _("Regular")), (SIGNS, _("When there are signs of violation"))]
    PLANNED, IN_PROGRESS, CONCLUDED, CANCELLED = "planned", "in_progress", "concluded", "cancelled"
    STATUSES = [(PLANNED, _("Planned")), (IN_PROGRESS, _("In progress")), (CONCLUDED, _("Concluded")),
                (CANCELLED, _("Cancelled"))]
    OPEN = (PLANNED, IN_PROGRESS)
    UNIT, MEMBER = "unit", "member"

    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections", verbose_name=_("plan"))
    commission = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="inspections_held")
    commission_path = models.CharField(_("commission path"), max_length=400, db_index=True, editable=False)
    activity = models.CharField(_("activity"), max_length=12, choices=ACTIVITIES, default=INSPECTION)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS, default=THEMATIC)
    title = models.CharField(_("title"), max_length=300)
    subject_unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="inspections_received",
                                     verbose_name=_("inspected organization"))
    subject_cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="inspections", verbose_name=_("inspected party member"))
    subject_path = models.CharField(_("inspected unit path"), max_length=400, db_index=True, editable=False)
    # The inspected unit's path once concluded (its scope sees the inspection then), blank before.
    published_path = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    start = models.DateField(_("start"))
    end = models.DateField(_("planned end"))
    lead = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="inspections_led", verbose_name=_("head of the team"))
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    violation = models.BooleanField(_("violation found"), default=False)
    conclusion_document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="inspection_conclusions",
                                            verbose_name=_("conclusion (documents registry)"))
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(
        path_lookup="commission_path",
        action_lookups={"view": ("commission_path", "published_path")},
    )

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        indexes = [models.Index(fields=["commission_path", "start"], name="inspection_commission_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def subject_label(self) -> str:
        if self.subject_cadre_id:
            return f"{self.subject_cadre.full_name} ({self.subject_unit.name})"
        return self.subject_unit.name


class Finding(TrackedModel):
    MINOR, SERIOUS, VERY_SERIOUS = "minor", "serious", "very_serious"
    SEVERITIES = [(MINOR, _("Minor (shortcoming)")), (SERIOUS, _("Serious")), (VERY_SERIOUS, _("Very serious"))]
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(_("severity"), max_length=14, choices=SEVERITIES, default=MINOR)
    found_on = models.DateField(_("found on"))

    scope_policy = ScopePolicy(
        path_lookup="inspection__commission_path",
        action_lookups={"view": ("inspection__commission_path", "inspection__published_path")},
    )

    class Meta:
        ordering = ["inspection", "found_on", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.topic


class Measure(TrackedModel):
    """A disciplinary measure decided on an inspected organization or party member (RULES.md §8)."""

    SUBJECT_KINDS = [("organization", _("Party organization")), ("full_member", _("Full party member")),
                     ("probationary_member", _("Probationary party member"))]
    MEASURES = [("khien_trach", _("Reprimand (khiển trách)")), ("canh_cao", _("Warning (cảnh cáo)")),
                ("cach_chuc", _("Removal from post (cách chức)")), ("khai_tru", _("Expulsion (khai trừ)")),
                ("giai_tan", _("Dissolution (giải tán)"))]
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="measures")
    subject_kind = models.CharField(_("subject"), max_length=20, choices=SUBJECT_KINDS)
    subject_unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="party_disciplines")
    subject_cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="party_measures")
    measure = models.CharField(_("measure"), max_length=12, choices=MEASURES)
    act_date = models.DateField(_("date of the violation"))
    decision_date = models.DateField(_("decision date"))
    effective_date = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    reason = models.TextField(_("reason"))
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="party_measures", verbose_name=_("decision (documents registry)"))
    rule_set = models.CharField(_("rule set"), max_length=60, editable=False)
    limitation_until = models.DateField(_("limitation period ends"), null=True, blank=True, editable=False)
    discipline = models.ForeignKey("cadres.Discipline", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="party_measures", editable=False)

    scope_policy = ScopePolicy(
        path_lookup="inspection__commission_path",
        action_lookups={"view": ("inspection__commission_path", "inspection__published_path")},
    )

    class Meta:
        ordering = ["inspection", "decision_date", "id"]
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")

    def __str__(self) -> str:
        return f"{self.get_measure_display()} – {self.subject_label}"

    @property
    def subject_label(self) -> str:
        return self.subject_cadre.full_name if self.subject_cadre_id else str(self.subject_unit)


class Recommendation(TrackedModel):
    OPEN, DONE, CANCELLED = "open", "done", "cancelled"
    STATUSES = [(OPEN, pgettext_lazy("recommendation", "Open")), (DONE, _("Done")), (CANCELLED, _("Cancelled"))]
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendation"))
    owner_unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="recommendations_owned", verbose_name=_("owner unit"))
    owner_cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="recommendations_owned", verbose_name=_("owner (person)"))
    owner_path = models.CharField(_("owner path"), max_length=400, db_index=True, editable=False)
    commission_path = models.CharField(_("commission path"), max_length=400, db_index=True, editable=False)
    due = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    scope_policy = ScopePolicy(
        path_lookup="commission_path",
        action_lookups={"view": ("commission_path", "owner_path"), "change": ("owner_path", "commission_path")},
    )

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["owner_path", "status", "due"], name="recommendation_owner_due")]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, on: dt.date) -> bool:
        return self.status == self.OPEN and self.due < on

    @property
    def owner_label(self) -> str:
        parts = [x for x in (self.owner_unit.name if self.owner_unit_id else "",
                             self.owner_cadre.full_name if self.owner_cadre_id else "") if x]
        return " – ".join(parts)
