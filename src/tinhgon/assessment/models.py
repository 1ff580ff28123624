"""Assessment by results (đánh giá, xếp loại chất lượng theo kết quả công việc).

A **cycle** is one assessment of the people of a scope unit (its subtree) over a period
(a quarter or a year) under the rule set in force at the period's end.  Its workflow:
self-assessment → the direct leader's review → the council → approved (locked).  Reopening
an approved cycle needs a reason and is logged (:class:`CycleEvent`).

A **result** is one person's assessment in a cycle: the points (or, under Decree 90/48, the
levels of the criteria) computed from the tasks of the period, the general points the
reviewer enters, the level before and after the cap and the structured explanation of how
it was reached.  A **unit result** is one unit's completion of its tasks in the period,
ranked and rolled up the tree.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy

EXCELLENT, GOOD, COMPLETED, NOT_COMPLETED = "excellent", "good", "completed", "not_completed"
LEVELS = [
    (EXCELLENT, _("Excellent (hoàn thành xuất sắc nhiệm vụ)")),
    (GOOD, _("Good (hoàn thành tốt nhiệm vụ)")),
    (COMPLETED, _("Completed (hoàn thành nhiệm vụ)")),
    (NOT_COMPLETED, _("Not completed (không hoàn thành nhiệm vụ)")),
]


class Cycle(TrackedModel):
    """One assessment of a scope unit's people over a quarter or a year."""

    QUARTERLY, ANNUAL = "quarterly", "annual"
    KINDS = [(QUARTERLY, _("Quarterly")), (ANNUAL, _("Annual"))]
    SELF, REVIEW, COUNCIL, APPROVED = "self_assessment", "review", "council", "approved"
    STATUSES = [
        (SELF, pgettext_lazy("assessment status", "Self-assessment")),
        (REVIEW, pgettext_lazy("assessment status", "Direct leader's review")),
        (COUNCIL, pgettext_lazy("assessment status", "Council")),
        (APPROVED, pgettext_lazy("assessment status", "Approved")),
    ]
    PERSONS, PARTY = "persons", "party"
    AUDIENCES = [(PERSONS, _("Cadres and civil servants")), (PARTY, _("Party members (Regulation 366-QĐ/TW)"))]

    label = models.CharField(_("label"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    audience = models.CharField(_("assessed as"), max_length=10, choices=AUDIENCES, default=PERSONS)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="assessment_cycles",
                             verbose_name=_("scope unit"))
    scope_path = models.CharField(_("scope path"), max_length=400, db_index=True, editable=False)
    rule_set = models.CharField(_("rule set"), max_length=60)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=SELF, db_index=True)
    # The override Decree 335 allows for a body with outstanding results: a larger share, by a decision.
    cap_override_ratio = models.DecimalField(_("cap ratio allowed by decision"), max_digits=4, decimal_places=2,
                                             null=True, blank=True)
    cap_override_decision = models.CharField(_("decision allowing a larger share"), max_length=200, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup="scope_path")

    class Meta:
        ordering = ["-period_end", "label", "id"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        indexes = [models.Index(fields=["status", "period_end"], name="assess_cycle_status_end")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_locked(self) -> bool:
        return self.status == self.APPROVED


class CycleGroup(TrackedModel):
    """A named group of people with similar tasks inside a body, set per cycle (the cap's group)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="groups")
    body = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("body"))
    name = models.CharField(_("name"), max_length=120)

    scope_policy = ScopePolicy(path_lookup="cycle__scope_path")

    class Meta:
        ordering = ["cycle", "name", "id"]
        verbose_name = _("group with similar tasks")
        verbose_name_plural = _("groups with similar tasks")
        constraints = [models.UniqueConstraint(fields=["cycle", "body", "name"], name="assess_group_unique")]

    def __str__(self) -> str:
        return self.name


class CycleEvent(TrackedModel):
    """One workflow step of a cycle (a stage reached, computed, approved, reopened with a reason)."""

    COMPUTED, ADVANCED, APPROVED, REOPENED, OVERRIDE = "computed", "advanced", "approved", "reopened", "override"
    KINDS = [(COMPUTED, _("Computed")), (ADVANCED, _("Moved to the next stage")), (APPROVED, _("Approved")),
             (REOPENED, _("Reopened")), (OVERRIDE, _("Cap override"))]

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    status = models.CharField(_("stage"), max_length=16, choices=Cycle.STATUSES)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    reason = models.TextField(_("reason"), blank=True)

    scope_policy = ScopePolicy(path_lookup="cycle__scope_path")

    class Meta:
        ordering = ["cycle", "at", "id"]
        verbose_name = _("cycle event")
        verbose_name_plural = _("cycle events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y}"


class Result(TrackedModel):
    """One person's assessment in a cycle, with its explanation."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="assessment_results")
    body = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("body"))
    unit_path = models.CharField(_("unit path"), max_length=400, db_index=True, editable=False)
    group = models.CharField(_("group with similar tasks"), max_length=120, blank=True)
    is_leader = models.BooleanField(_("leader"), default=False)
    # self-assessment
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_level = models.CharField(_("self-proposed level"), max_length=16, choices=LEVELS, blank=True)
    # the direct leader's review
    general_points = models.DecimalField(_("general criteria points"), max_digits=5, decimal_places=2,
                                         null=True, blank=True)
    reviewer = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_remarks = models.TextField(_("reviewer's remarks"), blank=True)
    # computed
    task_points = models.DecimalField(_("task points"), max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    discipline = models.CharField(_("discipline"), max_length=20, blank=True)
    level_before_cap = models.CharField(_("level before the cap"), max_length=16, choices=LEVELS, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=LEVELS, blank=True)
    moved_down = models.BooleanField(_("moved down by the cap"), default=False)
    assumed = models.BooleanField(_("uses assumed parameters"), default=False)
    rule_set = models.CharField(_("rule set"), max_length=60, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    council_remarks = models.TextField(_("council's remarks"), blank=True)

    scope_policy = ScopePolicy(path_lookup="unit_path")

    class Meta:
        ordering = ["cycle", "unit_path", "-score", "id"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [models.UniqueConstraint(fields=["cycle", "cadre"], name="assess_result_unique")]
        indexes = [models.Index(fields=["cadre", "cycle"], name="assess_result_cadre")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.cadre_id}"  # no look-ups: written by the hundred thousand


class UnitResult(TrackedModel):
    """One unit's completion of its tasks in a cycle's period (its subtree included), ranked."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="unit_results")
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(_("unit path"), max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    counted = models.PositiveIntegerField(_("tasks counted"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    on_time = models.PositiveIntegerField(_("on time"), default=0)
    late = models.PositiveIntegerField(_("late"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)
    completion = models.DecimalField(_("completion (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    head = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("head"))

    scope_policy = ScopePolicy(path_lookup="unit_path")

    class Meta:
        ordering = ["cycle", "rank", "unit_path"]
        verbose_name = _("unit result")
        verbose_name_plural = _("unit results")
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="assess_unit_result_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}"
