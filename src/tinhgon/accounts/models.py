from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhgon.core.changelog import TrackedModel, TrackedQuerySet
from tinhgon.core.scoping import ScopePolicy

from .roles import ADMINISTRATOR, ROLE_CHOICES, VIEWER, role_allows


class TrackedUserManager(UserManager.from_queryset(TrackedQuerySet)):
    pass


class User(TrackedModel, AbstractUser):
    """A person who signs in: one role, one or more scopes (units)."""

    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES, default=VIEWER)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position_title = models.CharField(_("position"), max_length=150, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = TrackedUserManager()

    changelog_secret = ("password",)  # the change log keeps a fingerprint, not the hash

    scope_policy = ScopePolicy(path_lookup="scopes__unit__path")

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_unrestricted(self) -> bool:
        return self.is_superuser or self.role == ADMINISTRATOR

    def may(self, action: str) -> bool:
        return self.is_active and (self.is_superuser or role_allows(self.role, action))

    def scope_paths(self) -> list[str]:
        cached = getattr(self, "_scope_paths", None)
        if cached is None:
            cached = sorted(set(self.scopes.values_list("unit__path", flat=True)))
            self._scope_paths = cached
        return cached

    def forget_scope_cache(self) -> None:
        self.__dict__.pop("_scope_paths", None)


class UserScope(TrackedModel):
    """A subtree of the apparatus a user may reach: the unit and all below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scopes")
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="user_scopes")
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        verbose_name = _("user scope")
        verbose_name_plural = _("user scopes")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="uniq_user_scope")]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class LoginFailure(models.Model):
    """A failed sign-in (security log, append-only; used to throttle attempts)."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    time = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")

    def __str__(self) -> str:
        return f"{self.username} @ {self.time:%Y-%m-%d %H:%M:%S}" if self.time else self.username
