"""Tables of the task lists (page rows and Excel from one description)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhgon.core.tables import Column, Table


class ProgramTable(Table):
    title = _("Work programs")
    columns = [
        Column(_("Title"), lambda p, t: p.title, link=lambda p, t: reverse("tasks:program", args=[p.pk]), width=40),
        Column(_("Unit"), lambda p, t: p.unit.name, width=28),
        Column(_("Term"), lambda p, t: p.term.label if p.term_id else "", width=12),
        Column(_("Year"), lambda p, t: p.year, width=8),
        Column(_("Source document"), lambda p, t: p.source_label, width=36),
        Column(_("Tasks"), lambda p, t: getattr(p, "n_tasks", None), num=True, width=8),
    ]


class TaskTable(Table):
    title = _("Tasks")

    def __init__(self, today):
        self.today = today

    columns = [
        Column(_("Task"), lambda o, t: o.title, link=lambda o, t: reverse("tasks:task", args=[o.pk]), width=40),
        Column(_("Lead unit"), lambda o, t: o.lead_unit.name, width=24),
        Column(_("Assignee"), lambda o, t: o.assignee.full_name if o.assignee_id else "", width=22),
        Column(_("Leader in charge"), lambda o, t: o.leader.full_name if o.leader_id else "", width=22),
        Column(_("Deadline"), lambda o, t: o.due, width=12),
        Column(_("Original deadline"), lambda o, t: o.deadline if o.deadline != o.due else None, width=12),
        Column(_("Task status"), lambda o, t: str(o.get_status_display()) + (" · " + str(_("overdue"))
                                                                    if o.is_overdue(t.today) else ""), width=16),
        Column(_("Progress (%)"), lambda o, t: o.progress, num=True, width=10),
    ]


class CountsTable(Table):
    """Rows of the accounting (one per leader, assignee or unit)."""

    title = _("Accounting")

    def __init__(self, first_label):
        self.columns = [
            Column(first_label, lambda r, t: r.label, width=32),
            Column(_("Assigned"), lambda r, t: r.assigned, num=True, width=10),
            Column(_("On time"), lambda r, t: r.on_time, num=True, width=10),
            Column(_("Late"), lambda r, t: r.late, num=True, width=10),
            Column(_("Overdue"), lambda r, t: r.overdue, num=True, width=10),
            Column(_("In progress"), lambda r, t: r.in_progress, num=True, width=10),
            Column(_("Cancelled"), lambda r, t: r.cancelled, num=True, width=10),
            Column(_("Completion rate (%)"), lambda r, t: None if r.completion_rate is None
                   else round(r.completion_rate * 100, 1), num=True, width=12),
        ]
