from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .changelog import TrackedModel
from .dated import DatedModel
from .scoping import ScopePolicy


class ObjectChange(models.Model):
    """One write to one object: who, when, through what, the state before and after."""

    ACTIONS = [("create", _("Created")), ("update", _("Updated")), ("delete", _("Deleted"))]

    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="object_changes", db_constraint=False,
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=20, default="system")
    request_id = models.UUIDField(_("request id"), default=uuid.uuid4, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=ACTIONS)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(_("object id"), null=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("object change")
        verbose_name_plural = _("object changes")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class AuditEvent(TrackedModel):
    """One business action (a plan applied, a file imported), as users speak of it."""

    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    message = models.TextField(_("message"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    request_id = models.UUIDField(_("request id"), null=True, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.kind}: {self.message[:80]}"


class RuleSet(DatedModel):
    """A dated set of statutory parameters (retirement ages, unit standards, roadmaps)."""

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    parameters = models.JSONField(_("parameters"), default=dict)
    shipped = models.BooleanField(_("shipped default"), default=False)
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["kind", "valid_from", "code"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Job(TrackedModel):
    """One run of long work in the background: who started what, and how far it got.

    The handler registered under ``kind`` (see :mod:`tinhgon.core.jobs`) does the work;
    the row carries its progress (``done`` of ``total``), its last message, and at the end
    its result or its error (with the row report of a refused import in ``errors``).
    """

    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "queued", "running", "succeeded", "failed", "cancelled"
    STATES = [(QUEUED, _("Queued")), (RUNNING, _("Running")), (SUCCEEDED, _("Succeeded")),
              (FAILED, _("Failed")), (CANCELLED, _("Cancelled"))]
    FINISHED = (SUCCEEDED, FAILED, CANCELLED)

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    label = models.CharField(_("what"), max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="jobs")
    scope_path = models.CharField(_("scope"), max_length=400, blank=True, db_index=True,
                                  help_text=_("Path of the unit the job concerns; empty = national."))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/", blank=True)
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=QUEUED, db_index=True)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    output_file = models.FileField(_("output file"), upload_to="jobs/out/", blank=True)
    output_name = models.CharField(_("output file name"), max_length=255, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    scope_policy = ScopePolicy(path_lookup="scope_path")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))


class JobStage(models.Model):
    """A row a running job has checked and set aside, published all at once when the job ends.

    Staging happens in short transactions, so that on SQLite a long job never holds the
    write lock while it reads and checks; the publication is one final transaction.
    Not tracked: staged rows are scratch space, removed when the job finishes.
    """

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="staged")
    seq = models.PositiveIntegerField()
    payload = models.JSONField()

    class Meta:
        ordering = ["job", "seq"]
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="uniq_job_stage_seq")]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.seq}"
