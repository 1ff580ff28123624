"""Placement rounds: after a restructuring, who takes which post in each new unit.

A **round** covers the new units of one plan inside a scope (a province, or the whole
country); each new unit (**RoundUnit**) has its posts (**Slot**: a title and a count) and its
**candidates** — the cadres of its predecessors, pending placement.  A candidate of a divided
commune is a candidate in every successor, but holds at most one post.  Every action of the
leaders (solve, pin, exclude, swap, decide, approve, apply, close) writes one **RoundEvent**.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy


class Round(TrackedModel):
    DRAFT, PROPOSED, APPROVED, APPLIED, CLOSED = "draft", "proposed", "approved", "applied", "closed"
    STATUSES = [
        (DRAFT, pgettext_lazy("placement round", "Draft")), (PROPOSED, _("Proposed")),
        (APPROVED, pgettext_lazy("placement round", "Approved")), (APPLIED, pgettext_lazy("placement round", "Applied")),
        (CLOSED, pgettext_lazy("placement round", "Closed")),
    ]
    plan = models.ForeignKey("restructuring.Plan", on_delete=models.PROTECT, related_name="placement_rounds",
                             verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=300)
    scope_unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("scope"))
    scope_path = models.CharField(_("scope path"), max_length=400, blank=True, db_index=True)
    as_of = models.DateField(_("effective date"))
    leave_date = models.DateField(_("leaving date for the estimates"),
                                  help_text=_("The day the surplus would leave: the policy estimates count from it."))
    what_if = models.BooleanField(_("what-if (plan not applied)"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=DRAFT, db_index=True)
    merit_rule_set = models.CharField(_("merit rule set"), max_length=80, blank=True)
    policy_rule_set = models.CharField(_("policy rule set"), max_length=80, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("decision (documents registry)"))
    stats = models.JSONField(_("solver figures"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    scope_policy = ScopePolicy(path_lookup="scope_path")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("placement round")
        verbose_name_plural = _("placement rounds")

    def __str__(self) -> str:
        return self.name


class RoundUnit(TrackedModel):
    """A new unit of the round (for a what-if round, a unit the plan would create: no id yet)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    path = models.CharField(_("path"), max_length=400, db_index=True)
    group = models.PositiveIntegerField(_("group"), default=0,
                                        help_text=_("Units sharing candidates are solved together."))
    predecessors = models.JSONField(_("predecessors"), default=list, blank=True)  # [[code, name], …]

    scope_policy = ScopePolicy(path_lookup="path")

    class Meta:
        ordering = ["round", "path"]
        verbose_name = _("unit of a round")
        verbose_name_plural = _("units of a round")
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="uniq_round_unit_code")]

    def __str__(self) -> str:
        return self.name


class Slot(TrackedModel):
    """A post of a new unit: a title and how many hold it."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="slots")
    title = models.CharField(_("title"), max_length=200)
    count = models.PositiveSmallIntegerField(_("count"), default=1, validators=[MinValueValidator(0)])
    is_leadership = models.BooleanField(_("leadership"), default=False)
    min_education = models.PositiveSmallIntegerField(_("education required"), default=0)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    position = models.ForeignKey("apparatus.Position", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    scope_policy = ScopePolicy(path_lookup="round_unit__path")

    class Meta:
        ordering = ["round_unit", "order", "id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.title} ×{self.count}"


class Candidate(TrackedModel):
    """A cadre of a predecessor unit, candidate in one or more new units of the round."""

    PLACED, SURPLUS, PENDING = "placed", "surplus", "pending"
    OPTIONS = [
        ("early_under_2", _("Early retirement, less than 2 years before the age")),
        ("early_2_5", _("Early retirement, 2 to 5 years before the age")),
        ("early_5_10", _("Early retirement, more than 5 to 10 years before the age")),
        ("severance", _("Severance (thôi việc)")),
        ("transfer", _("Transfer to a unit with vacancies")),
        ("retirement", _("Statutory retirement")),
    ]
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    cadre = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="placement_candidacies")
    assignment = models.ForeignKey("cadres.Assignment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    from_unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("from unit"))
    from_title = models.CharField(_("previous title"), max_length=200, blank=True)
    waiting_path = models.CharField(_("path of the unit where they wait"), max_length=400, blank=True)
    options = models.ManyToManyField(RoundUnit, through="Candidacy", related_name="candidates",
                                     verbose_name=_("candidate in"))
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="holders",
                             verbose_name=_("post"))
    score = models.FloatField(_("merit"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    excluded = models.BooleanField(_("excluded"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    override_reason = models.CharField(_("reason for overriding eligibility"), max_length=500, blank=True)
    surplus_option = models.CharField(_("surplus option"), max_length=20, choices=OPTIONS, blank=True)
    surplus_decision = models.CharField(_("surplus decision"), max_length=120, blank=True)
    surplus_decision_date = models.DateField(_("surplus decision date"), null=True, blank=True)
    transfer_unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("transfer to"))
    pending_reason = models.CharField(_("reason for keeping pending"), max_length=500, blank=True)
    new_assignment = models.ForeignKey("cadres.Assignment", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    scope_policy = ScopePolicy(path_lookup="waiting_path")

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["round", "cadre"], name="uniq_round_cadre")]
        indexes = [models.Index(fields=["round", "slot"], name="candidate_round_slot")]

    def __str__(self) -> str:
        return str(self.cadre_id)

    @property
    def outcome(self) -> str:
        if self.slot_id:
            return self.PLACED
        if self.pending_reason:
            return self.PENDING
        return self.SURPLUS


class Candidacy(TrackedModel):
    """A candidate in one new unit (a divided commune's cadres: one row per successor)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="candidacies")
    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="candidacies")

    scope_policy = ScopePolicy(path_lookup="round_unit__path")

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [models.UniqueConstraint(fields=["candidate", "round_unit"], name="uniq_candidacy")]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.round_unit_id}"


class RoundEvent(TrackedModel):
    """One action on a round (who, when, what, why)."""

    ACTIONS = [
        ("create", _("Created")), ("solve", _("Proposal computed")), ("pin", _("Pinned")),
        ("unpin", _("Unpinned")), ("exclude", _("Excluded")), ("include", _("Included again")),
        ("swap", _("Swapped")), ("slot", _("Post changed")), ("surplus", _("Surplus decided")),
        ("pending", _("Kept pending")), ("approve", pgettext_lazy("action", "Approved")),
        ("reopen", _("Reopened")), ("apply", pgettext_lazy("action", "Applied")), ("close", _("Closed")),
    ]
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=ACTIONS)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    time = models.DateTimeField(auto_now_add=True)

    scope_policy = ScopePolicy(path_lookup="round__scope_path")

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("round event")
        verbose_name_plural = _("round events")

    def __str__(self) -> str:
        return f"{self.action} {self.time:%Y-%m-%d %H:%M}"
