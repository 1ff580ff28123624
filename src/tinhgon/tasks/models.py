"""Work programs (chương trình công tác) and six-clears tasks (nhiệm vụ "sáu rõ").

A **program** belongs to a unit, a term of its body and/or a year, and derives from a
source document held as a structured reference (symbol, issuer, date) that the documents
registry links to later.  A **task** names several units — the lead unit (which changes
it), the coordinating units and the competent authority (which accepts its product):
its scope policy lets any of them see it, only the lead unit change it and only the
authority approve it.

The dated facts the periodic accounting classifies on (issued, submitted, accepted,
cancelled, the deadline in force and when it came into force) are written on the task
by the services together with the event that records them, so that the accounting is
one aggregate query; the events remain the history.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.changelog import TrackedModel
from tinhgon.core.scoping import ScopePolicy


class Program(TrackedModel):
    """A work program of a unit for a term and/or a year, derived from a source document."""

    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="work_programs",
                             verbose_name=_("unit"))
    term = models.ForeignKey("apparatus.Term", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="work_programs", verbose_name=_("term"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    source_symbol = models.CharField(_("source document number"), max_length=60, blank=True,
                                     help_text=_("e.g. 09-NQ/TU"))
    source_issuer = models.CharField(_("source document issuer"), max_length=200, blank=True)
    source_date = models.DateField(_("source document date"), null=True, blank=True)
    source_title = models.CharField(_("source document title"), max_length=300, blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="programs", verbose_name=_("source document (registry)"))
    note = models.TextField(_("note"), blank=True)

    scope_policy = ScopePolicy(path_lookup="unit__path")

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("work program")
        verbose_name_plural = _("work programs")
        indexes = [models.Index(fields=["unit", "year"], name="program_unit_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        parts = [self.source_symbol, self.source_issuer,
                 self.source_date.strftime("%d/%m/%Y") if self.source_date else ""]
        return ", ".join(p for p in parts if p)


class Section(TrackedModel):
    """A section of a program (I. Party building, II. Socio-economic development, …)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)

    scope_policy = ScopePolicy(path_lookup="program__unit__path")

    class Meta:
        ordering = ["program", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


PRODUCT_TYPES = [
    ("report", _("Report")),
    ("plan", _("Plan")),
    ("decision", _("Decision")),
    ("project", _("Project (đề án)")),
    ("regulation", _("Draft regulation")),
    ("resolution", _("Draft resolution")),
    ("event", _("Event")),
    ("other", _("Other product")),
]


class Task(TrackedModel):
    """A task with the six clears: person, work, time, responsibility, product, authority."""

    DRAFT, ISSUED, IN_PROGRESS, SUBMITTED, ACCEPTED, RETURNED, CANCELLED = (
        "draft", "issued", "in_progress", "submitted", "accepted", "returned", "cancelled")
    STATUSES = [
        (DRAFT, pgettext_lazy("task status", "Draft")),
        (ISSUED, pgettext_lazy("task status", "Issued")),
        (IN_PROGRESS, pgettext_lazy("task status", "In progress")),
        (SUBMITTED, pgettext_lazy("task status", "Submitted")),
        (ACCEPTED, pgettext_lazy("task status", "Accepted")),
        (RETURNED, pgettext_lazy("task status", "Returned")),
        (CANCELLED, pgettext_lazy("task status", "Cancelled")),
    ]
    OPEN = (ISSUED, IN_PROGRESS, SUBMITTED, RETURNED)
    EXCEEDED, MET = "exceeded", "met"
    GRADES = [(EXCEEDED, _("Exceeded requirements")), (MET, _("Met requirements"))]

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("program"))
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                                verbose_name=_("section"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name=_("parent task"))
    # work
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"), blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tasks", verbose_name=_("source document (registry)"),
                                 help_text=_("The registered document this task carries out, when it is not "
                                             "(only) the program's."))
    # person
    assignee = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tasks_assigned", verbose_name=_("assignee"))
    assignee_review = models.BooleanField(_("assignee to review"), default=False,
                                          help_text=_("Set when the lead unit changed in a restructuring."))
    leader = models.ForeignKey("cadres.Cadre", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="tasks_led", verbose_name=_("leader in charge"))
    # time
    start = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("original deadline"), null=True, blank=True)
    due = models.DateField(_("deadline in force"), null=True, blank=True)
    due_since = models.DateField(_("deadline in force since"), null=True, blank=True)
    due_before = models.DateField(_("deadline before the last extension"), null=True, blank=True)
    # responsibility
    lead_unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="tasks_led",
                                  verbose_name=_("lead unit"))
    lead_path = models.CharField(_("lead unit path"), max_length=400, db_index=True, editable=False)
    coordinating_units = models.ManyToManyField("apparatus.Unit", blank=True, related_name="tasks_coordinated",
                                                verbose_name=_("coordinating units"))
    # product
    product_type = models.CharField(_("product type"), max_length=20, choices=PRODUCT_TYPES, blank=True)
    product_description = models.TextField(_("product description"), blank=True)
    # authority
    authority_unit = models.ForeignKey("apparatus.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="tasks_to_accept", verbose_name=_("accepting authority"))
    authority_power = models.ForeignKey("apparatus.Power", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="tasks", verbose_name=_("power exercised"))
    # lifecycle (written by the services with each event)
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=DRAFT, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=GRADES, blank=True)
    product_note = models.TextField(_("product"), blank=True)
    product_file = models.FileField(_("product file"), upload_to="tasks/products/", blank=True)
    extension_to = models.DateField(_("extension requested to"), null=True, blank=True)
    extension_reason = models.CharField(_("extension reason"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True)

    scope_policy = ScopePolicy(
        path_lookup="lead_path",
        action_lookups={
            "view": ("lead_path", "coordinating_units__path", "authority_unit__path"),
            "approve": ("authority_unit__path",),
        },
    )

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["lead_path", "due"], name="task_lead_path_due"),
            models.Index(fields=["due"], name="task_due"),
            models.Index(fields=["assignee", "status"], name="task_assignee_status"),
            models.Index(fields=["program", "parent"], name="task_program_parent"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, on: dt.date | None = None) -> bool:
        """Derived, never stored: open (not accepted, not cancelled) and past its deadline in force."""
        day = on or dt.date.today()
        return self.status in self.OPEN and self.due is not None and self.due < day


class TaskEvent(TrackedModel):
    """One dated business event of a task: the history the accounting is read from."""

    CREATED, CHANGED, ISSUED, REPORTED, SUBMITTED, ACCEPTED, RETURNED = (
        "created", "changed", "issued", "reported", "submitted", "accepted", "returned")
    EXTENSION_REQUESTED, EXTENSION_APPROVED, EXTENSION_REFUSED, CANCELLED, MOVED = (
        "extension_requested", "extension_approved", "extension_refused", "cancelled", "moved")
    KINDS = [
        (CREATED, _("Created")), (CHANGED, _("Changed")), (ISSUED, _("Issued")), (REPORTED, _("Progress report")),
        (SUBMITTED, _("Product submitted")), (ACCEPTED, _("Accepted")), (RETURNED, _("Returned")),
        (EXTENSION_REQUESTED, _("Extension requested")), (EXTENSION_APPROVED, _("Extension approved")),
        (EXTENSION_REFUSED, _("Extension refused")), (CANCELLED, _("Cancelled")),
        (MOVED, _("Moved to the successor unit")),
    ]

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=24, choices=KINDS)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="tasks/reports/", blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_policy = ScopePolicy(
        path_lookup="task__lead_path",
        action_lookups={"view": ("task__lead_path", "task__coordinating_units__path", "task__authority_unit__path")},
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        indexes = [models.Index(fields=["task", "on"], name="task_event_task_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"


class Notification(TrackedModel):
    """An in-app notice to a user about a task (issued to them, submitted to them, returned, …)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="task_notifications")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("message"), max_length=400)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read = models.BooleanField(_("read"), default=False)

    # Each user reads their own notices (``user=request.user``); no unit grants them.
    scope_policy = ScopePolicy(path_lookup=None)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read"], name="task_notice_user_read")]

    def __str__(self) -> str:
        return self.message
