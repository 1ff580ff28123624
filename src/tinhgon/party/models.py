"""Party members and their memberships of grassroots party organizations (units of a party
kind): admission, probation, transfers between organizations as dated rows, leaving."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.dated import DatedModel
from tinhgon.core.scoping import ScopePolicy

# Unit kinds of grassroots party organizations (shipped as data by this app: reference.py).
ORGANIZATION_KINDS = ("dang-bo-co-so", "chi-bo")


class PartyMember(TrackedModel):
    """A party member (đảng viên): who, the card, admission and official membership, and the
    organization they belong to now (kept by the services from the open membership)."""

    LEAVE_REASONS = [
        ("died", _("Died")), ("expelled", _("Expelled (khai trừ)")), ("removed", _("Name removed (xóa tên)")),
        ("resigned", _("Left at own request")), ("not_official", _("Not recognized as full member")),
    ]
    full_name = models.CharField(_("full name"), max_length=150)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    cadre = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="party_members")
    card_number = models.CharField(_("party card number"), max_length=20, blank=True, db_index=True)
    admission_date = models.DateField(_("admission date"))
    official_date = models.DateField(_("official date"), null=True, blank=True)
    organization = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="party_members")
    organization_path = models.CharField(_("organization path"), max_length=400, db_index=True, editable=False)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=20, choices=LEAVE_REASONS, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="organization_path")

    class Meta:
        ordering = ["organization_path", "full_name", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")

    def __str__(self) -> str:
        return self.full_name

    def status_on(self, day: dt.date) -> str:
        if self.left_on and self.left_on <= day:
            return "left"
        if day < self.admission_date:
            return "not_yet"
        if self.official_date and self.official_date <= day:
            return "full"
        return "probationary"

    STATUS_LABELS = {"left": _("Left"), "not_yet": _("Not yet admitted"),
                     "full": _("Full member"), "probationary": _("Probationary member")}

    def status_label(self, day: dt.date) -> str:
        return str(self.STATUS_LABELS[self.status_on(day)])


class Membership(DatedModel):
    """One stay of a member in an organization over ``[valid_from, valid_to)``: a transfer or a
    merger ends one row and starts the next, so the history is never rewritten."""

    START_REASONS = [("admission", _("Admission")), ("transfer", pgettext_lazy("membership", "Transfer")),
                     ("merger", _("Organizations merged")), ("record", pgettext_lazy("membership", "Recorded"))]
    END_REASONS = [("transfer", pgettext_lazy("membership", "Transfer")), ("merger", _("Organizations merged")),
                   ("left", _("Left the party"))]
    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="memberships")
    path = models.CharField(_("organization path"), max_length=400, editable=False)
    start_reason = models.CharField(_("how it started"), max_length=12, choices=START_REASONS, default="admission")
    end_reason = models.CharField(_("how it ended"), max_length=12, choices=END_REASONS, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    scope_policy = ScopePolicy(path_lookup="path")

    class Meta:
        ordering = ["member", "valid_from", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            # covering the development rate's GROUP BY (read from the index alone, in path order)
            # (on PostgreSQL the path in pattern order, so that LIKE 'prefix%' seeks in it).
            models.Index(fields=["path", "valid_from", "valid_to", "start_reason"], name="membership_rate",
                         opclasses=["varchar_pattern_ops", "date_ops", "date_ops", "varchar_pattern_ops"]),
            models.Index(fields=["organization", "valid_to"], name="membership_org_open"),
        ]

    def __str__(self) -> str:  # no related look-up: the change log names every row of a bulk write
        return f"{self.path} {self.valid_from}–{self.valid_to or ''}"
