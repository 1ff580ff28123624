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
