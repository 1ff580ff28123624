"""Restructuring plans, their operations, the succession graph and what apply did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy


class Plan(TrackedModel):
    DRAFT, VALIDATED, APPROVED, APPLIED, REVERTED = "draft", "validated", "approved", "applied", "reverted"
    STATUSES = [
        (DRAFT, _("Draft")), (VALIDATED, _("Validated")), (APPROVED, _("Approved")),
        (APPLIED, _("Applied")), (REVERTED, _("Reverted")),
    ]
    name = models.CharField(_("name"), max_length=300)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="plans", verbose_name=_("legal basis (documents registry)"))
    rationale = models.TextField(_("rationale"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=DRAFT, db_index=True)
    standard_rule_set = models.CharField(
        _("standard rule set"), max_length=80, blank=True,
        help_text=_("Code of the unit-standard rule set; empty = the one in force on the effective date."),
    )
    scope_path = models.CharField(
        _("scope"), max_length=400, blank=True, db_index=True,
        help_text=_("Path of the unit the plan is confined to; empty = national."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    violations = models.JSONField(_("violations"), default=list, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    scope_policy = ScopePolicy(path_lookup="scope_path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("restructuring plan")
        verbose_name_plural = _("restructuring plans")

    def __str__(self) -> str:
        return self.name


class Operation(TrackedModel):
    CREATE, RENAME, MOVE, MERGE, SPLIT, DISSOLVE, DISSOLVE_LEVEL, TRANSFER_FUNCTION, TRANSFER_POWER = (
        "create", "rename", "move", "merge", "split", "dissolve", "dissolve_level",
        "transfer_function", "transfer_power",
    )
    KINDS = [
        (CREATE, _("Create a unit")), (RENAME, _("Rename / change kind")), (MOVE, _("Move (re-parent)")),
        (MERGE, _("Merge")), (SPLIT, _("Split")), (DISSOLVE, _("Dissolve a unit")),
        (DISSOLVE_LEVEL, _("Dissolve a whole level")), (TRANSFER_FUNCTION, _("Transfer a function")),
        (TRANSFER_POWER, _("Transfer a power")),
    ]
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="operations")
    seq = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    data = models.JSONField(_("data"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="plan__scope_path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="uniq_operation_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Succession(TrackedModel):
    """An edge of the succession graph: an old version → a new one, with a share for splits."""

    MERGE, SPLIT, RENAME, MOVE, ABSORB, TRANSFORM = "merge", "split", "rename", "move", "absorb", "transform"
    KINDS = [
        (MERGE, _("Merged into")), (SPLIT, _("Split into")), (RENAME, _("Renamed")), (MOVE, _("Moved")),
        (ABSORB, _("Absorbed others")), (TRANSFORM, _("Transformed")),
    ]
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="successions")
    predecessor = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="successors_out")
    successor = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="predecessors_in")
    kind = models.CharField(_("kind"), max_length=12, choices=KINDS)
    share = models.FloatField(_("share"), null=True, blank=True)

    scope_policy = ScopePolicy(path_lookup="successor__path", public_actions=frozenset({"view"}))

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        indexes = [models.Index(fields=["predecessor"]), models.Index(fields=["successor"])]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.kind})"


class PlanApplication(TrackedModel):
    """What applying a plan wrote, so that it can be reverted exactly."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="application")
    applied_at = models.DateTimeField(auto_now_add=True)
    ended = models.JSONField(default=list)      # [[unit_id, previous valid_to or null], …]
    created = models.JSONField(default=list)    # [unit_id, …]
    handlers = models.JSONField(default=dict)   # {handler name: undo payload}

    scope_policy = ScopePolicy(path_lookup="plan__scope_path", public_actions=frozenset({"view"}))

    class Meta:
        verbose_name = _("plan application")
        verbose_name_plural = _("plan applications")

    def __str__(self) -> str:
        return f"{self.plan} @ {self.applied_at:%Y-%m-%d}"


class BodyOperation(TrackedModel):
    """A body operation derived from a plan's territorial operations, for the user to review:
    accepted ones are added to the plan as ordinary operations."""

    PROPOSED, ACCEPTED, REJECTED, INCLUDED = "proposed", "accepted", "rejected", "included"
    STATUSES = [(PROPOSED, pgettext_lazy("body operation", "Proposed")),
                (ACCEPTED, pgettext_lazy("body operation", "Accepted")),
                (REJECTED, pgettext_lazy("body operation", "Rejected")),
                (INCLUDED, pgettext_lazy("body operation", "Added to the plan"))]
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="body_operations")
    seq = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Operation.KINDS)
    data = models.JSONField(_("data"), default=dict)
    reason_vi = models.CharField(_("reason (Vietnamese)"), max_length=500, blank=True)
    reason_en = models.CharField(_("reason (English)"), max_length=500, blank=True)
    bodies = models.JSONField(_("bodies"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=PROPOSED, db_index=True)
    operation = models.ForeignKey(Operation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    scope_policy = ScopePolicy(path_lookup="plan__scope_path", public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("body operation")
        verbose_name_plural = _("body operations")
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="uniq_body_operation_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"
