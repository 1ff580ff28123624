"""Citizen petitions (đơn thư): complaints, denunciations, recommendations and reflections.

A **petition** (a matter, vụ việc) names two units: its **place** (where it arose, resolved
from the address as written) and its **handling unit** (the competent one, by the routing
rule set).  Its scope policy lets either see it and only the handling unit change it.  A
matter gathers many **contacts** (each visit, letter or call, with how many people came)
and many **petitioners**; a second-round complaint is a new matter linked to the first.

A denouncer's identity (the petitioners of a denunciation) is protected: it is shown only
to the handling officers the matter names, each access is logged
(:class:`IdentityAccess`), and the change log keeps only a keyed fingerprint of every
petitioner's identity fields (``changelog_redacted``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.dated import DatedModel
from tinhgon.core.scoping import ScopePolicy

from . import rules

KINDS = [
    (rules.COMPLAINT, _("Complaint")),
    (rules.DENUNCIATION, _("Denunciation")),
    (rules.RECOMMENDATION, _("Recommendation, reflection")),
]
CHANNELS = [
    ("desk", _("Reception desk")), ("mail", _("Mail")), ("online", _("Online")), ("hotline", _("Hotline")),
    ("forwarded", _("Forwarded by another agency")),
]
SUBJECTS = [
    ("land", _("Land")),
    ("compensation", _("Compensation, support and resettlement")),
    ("administrative_decision", _("Administrative decisions")),
    ("cadre_conduct", _("Conduct of cadres and civil servants")),
    ("environment", _("Environment")),
    ("construction", _("Construction and urban order")),
    ("social_policy", _("Social policies")),
    ("justice", _("Justice and enforcement")),
    ("other", _("Other")),
]
COMPLEXITIES = [
    (rules.NORMAL, _("Normal")), (rules.COMPLEX, _("Complex")),
    (rules.ESPECIALLY_COMPLEX, _("Especially complex")),
]

PETITION_POLICY = ScopePolicy(
    path_lookup="handling_path",
    action_lookups={"view": ("handling_path", "place_path")},
)


class Petition(TrackedModel):
    """A matter: one complaint, denunciation or recommendation, with its deadlines and state."""

    RECEIVED, ACCEPTED, REJECTED, VERIFYING, CONCLUDED, CLOSED = (
        "received", "accepted", "rejected", "verifying", "concluded", "closed")
    STATUSES = [
        (RECEIVED, pgettext_lazy("petition status", "Received")),
        (ACCEPTED, pgettext_lazy("petition status", "Accepted")),
        (REJECTED, pgettext_lazy("petition status", "Rejected")),
        (VERIFYING, pgettext_lazy("petition status", "Verifying")),
        (CONCLUDED, pgettext_lazy("petition status", "Concluded")),
        (CLOSED, pgettext_lazy("petition status", "Closed")),
    ]
    OPEN = (RECEIVED, ACCEPTED, VERIFYING)
    SETTLING = (ACCEPTED, VERIFYING)

    code = models.CharField(_("case code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS)
    round = models.PositiveSmallIntegerField(_("round"), default=1, choices=[(1, _("First")), (2, _("Second"))])
    first_round = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="second_rounds", verbose_name=_("first-round matter"))
    channel = models.CharField(_("channel"), max_length=12, choices=CHANNELS, default="desk")
    subject = models.CharField(_("subject matter"), max_length=30, choices=SUBJECTS)
    title = models.CharField(_("summary"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    text_folded = models.TextField(_("folded text"), blank=True, editable=False)
    place = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="petitions_arising",
                              verbose_name=_("place"))
    place_path = models.CharField(max_length=400, db_index=True, editable=False)
    place_text = models.CharField(_("address as written"), max_length=500, blank=True)
    handling_unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="petitions_handled",
                                      verbose_name=_("handling unit"))
    handling_path = models.CharField(max_length=400, db_index=True, editable=False)
    handling_officers = models.ManyToManyField("accounts.User", blank=True, related_name="petitions_handled",
                                               verbose_name=_("handling officers"))
    leader = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="petitions_led", verbose_name=_("leader in charge"))
    people = models.PositiveIntegerField(_("people"), default=1)
    contacts_count = models.PositiveIntegerField(_("contacts"), default=1)
    received_on = models.DateField(_("received on"))
    acceptance_due = models.DateField(_("acceptance due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=RECEIVED, db_index=True)
    accepted_on = models.DateField(_("accepted for settlement on"), null=True, blank=True)
    rejected_reason = models.CharField(_("rejection reason"), max_length=500, blank=True)
    complexity = models.CharField(_("complexity"), max_length=20, choices=COMPLEXITIES, default=rules.NORMAL)
    remote = models.BooleanField(_("remote, difficult area"), default=False)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    suspended_days = models.PositiveIntegerField(_("days suspended"), default=0)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_raw = models.DateField(_("raw last day"), null=True, blank=True)
    rule_set = models.CharField(_("rule set"), max_length=60, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    escalated_to = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="petitions_escalated", verbose_name=_("escalated to"))
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    scope_policy = PETITION_POLICY

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["place", "received_on"], name="petition_place_received"),
            models.Index(fields=["handling_path", "status"], name="petition_handling_status"),
            models.Index(fields=["status", "deadline"], name="petition_status_deadline"),
            models.Index(fields=["received_on"], name="petition_received"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def protected(self) -> bool:
        """Whether the petitioners' identity is protected (a denouncer)."""
        return self.kind == rules.DENUNCIATION

    def days_left(self, on: dt.date | None = None) -> int | None:
        if self.deadline is None or self.status not in self.OPEN:
            return None
        return (self.deadline - (on or dt.date.today())).days

    def settled_on_time(self) -> bool | None:
        if self.concluded_on is None or self.deadline is None:
            return None
        return self.concluded_on <= self.deadline


class Petitioner(TrackedModel):
    """A person who signed or brought the matter (a representative of a group, or one of many)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    full_name = models.CharField(_("full name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_representative = models.BooleanField(_("representative"), default=False)

    # The change log keeps a keyed fingerprint of these, never the values (denouncers' identity).
    changelog_redacted = ("full_name", "name_folded", "id_number", "phone", "address")
    scope_policy = ScopePolicy(path_lookup="petition__handling_path",
                               action_lookups={"view": ("petition__handling_path", "petition__place_path")})

    class Meta:
        ordering = ["-is_representative", "id"]
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")

    def __str__(self) -> str:  # no name: the change log and the admin show this
        return f"{self.petition_id}/{self.pk}"


class Contact(TrackedModel):
    """One contact on a matter: a visit, a letter, a call — how many people came, repeat or not."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=12, choices=CHANNELS, default="desk")
    people = models.PositiveIntegerField(_("people"), default=1)
    is_repeat = models.BooleanField(_("repeat contact"), default=False)
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup="petition__handling_path",
                               action_lookups={"view": ("petition__handling_path", "petition__place_path")})

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["on"], name="contact_on")]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.on:%d/%m/%Y}"


class PetitionEvent(TrackedModel):
    """One dated business event of a matter: received, routed, accepted, …"""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24)
    on = models.DateField(_("date"))
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_policy = ScopePolicy(path_lookup="petition__handling_path",
                               action_lookups={"view": ("petition__handling_path", "petition__place_path")})

    class Meta:
        ordering = ["on", "id"]

    LABELS = {
        "received": _("Received"), "contact": _("Repeat contact"), "routed": _("Re-routed"),
        "accepted": _("Accepted for settlement"), "rejected": _("Not accepted"), "verifying": _("Verification started"),
        "extended": _("Extended"), "suspended": _("Settlement suspended"), "concluded": _("Settled"), "closed": _("Closed"),
        "officers": _("Handling officers named"), "escalated": _("Escalated to the head of the unit"),
    }

    def __str__(self) -> str:
        return f"{self.kind} {self.on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        return str(self.LABELS.get(self.kind, self.kind))


class IdentityAccess(TrackedModel):
    """Who saw a denouncer's identity, when, where (page, API)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="identity_accesses")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=20)

    scope_policy = ScopePolicy(path_lookup="petition__handling_path")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.via}"


class DaySwap(TrackedModel):
    """A day off the government swapped (and the working day made up for it, if any)."""

    day_off = models.DateField(_("day off"), unique=True)
    work_day = models.DateField(_("make-up working day"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["-day_off"]
        verbose_name = _("day swap")
        verbose_name_plural = _("day swaps")

    def __str__(self) -> str:
        return f"{self.day_off:%d/%m/%Y}"


class RemoteArea(DatedModel):
    """A unit (by code, with what lies below it) listed as a remote, difficult area over a period."""

    unit_code = models.CharField(_("unit code"), max_length=40, db_index=True)
    unit_name = models.CharField(_("unit name"), max_length=200, blank=True)
    decision = models.CharField(_("decision"), max_length=200, blank=True)

    scope_policy = ScopePolicy(path_lookup=None, public_actions=frozenset({"view"}))

    class Meta:
        ordering = ["unit_code", "valid_from"]
        verbose_name = _("remote area")
        verbose_name_plural = _("remote areas")

    def __str__(self) -> str:
        return f"{self.unit_code} {self.unit_name}".strip()


class HotSpot(TrackedModel):
    """A place and subject where people gather: the evidence, an owner, a plan and a resolution."""

    CANDIDATE, PLANNED, RESOLVED = "candidate", "planned", "resolved"
    STATUSES = [(CANDIDATE, _("Alert")), (PLANNED, _("Plan in progress")), (RESOLVED, _("Resolved"))]
    PLAN_KINDS = [("dialogue", _("Dialogue")), ("inspection", _("Inspection")), ("both", _("Dialogue and inspection"))]

    place = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="hotspots",
                              verbose_name=_("place"))
    place_path = models.CharField(max_length=400, db_index=True, editable=False)
    subject = models.CharField(_("subject matter"), max_length=30, choices=SUBJECTS)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=CANDIDATE, db_index=True)
    detected_on = models.DateField(_("detected on"))
    updated_on = models.DateField(_("last evidence on"))
    reasons = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="hotspots")
    owner = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="hotspots_owned", verbose_name=_("owner"))
    plan_kind = models.CharField(_("plan"), max_length=12, choices=PLAN_KINDS, blank=True)
    plan = models.TextField(_("plan details"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    scope_policy = ScopePolicy(path_lookup="place_path")

    class Meta:
        ordering = ["status", "-updated_on", "-id"]
        verbose_name = _("hot spot")
        verbose_name_plural = _("hot spots")

    def __str__(self) -> str:
        return f"{self.place.name} — {self.get_subject_display()}"

    @property
    def shown_evidence(self) -> dict:
        """The evidence as pages, Excel and the API show it (small counts of denunciations: "< k")."""
        from .protection import protected_evidence

        return protected_evidence(self.evidence)


LEADER_ROLES = [
    ("commune_chair", _("Commune chair")), ("province_chair", _("Provincial chair")),
    ("agency_head", _("Head of a state agency")), ("district_chair", _("District chair")),
]


class ReceptionSession(TrackedModel):
    """A citizen reception session held by a leader."""

    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="reception_sessions",
                             verbose_name=_("unit"))
    unit_path = models.CharField(max_length=400, db_index=True, editable=False)
    leader = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="reception_sessions",
                               verbose_name=_("leader"))
    leader_role = models.CharField(_("leader's role"), max_length=20, choices=LEADER_ROLES)
    on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    online = models.BooleanField(_("online"), default=False)
    citizens = models.PositiveIntegerField(_("citizens received"), default=0)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="reception_sessions")
    note = models.TextField(_("matters raised"), blank=True)

    scope_policy = ScopePolicy(path_lookup="unit_path")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.place}"


class DialogueSession(TrackedModel):
    """A direct dialogue between leaders and citizens, with its outcome linked to matters."""

    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="dialogue_sessions",
                             verbose_name=_("unit"))
    unit_path = models.CharField(max_length=400, db_index=True, editable=False)
    leader = models.ForeignKey("cadres.Cadre", on_delete=models.PROTECT, related_name="dialogue_sessions",
                               verbose_name=_("leader"))
    on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=300)
    participants = models.PositiveIntegerField(_("citizens taking part"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    petitions = models.ManyToManyField(Petition, blank=True, related_name="dialogue_sessions")
    hotspot = models.ForeignKey(HotSpot, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="dialogues")

    scope_policy = ScopePolicy(path_lookup="unit_path")

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")

    def __str__(self) -> str:
        return self.topic
