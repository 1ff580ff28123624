"""Tables of the inspection lists (page rows and Excel from one description)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.tables import Column, Table


class PlanTable(Table):
    title = _("Inspection plans")
    columns = [
        Column(pgettext_lazy("inspection", "Title"), lambda p, t: p.title, link=lambda p, t: reverse("inspection:plan", args=[p.pk]), width=40),
        Column(_("Commission"), lambda p, t: p.commission.name, width=30),
        Column(_("Year"), lambda p, t: p.year, width=8),
        Column(_("Period from"), lambda p, t: p.period_start, width=12),
        Column(_("Period to"), lambda p, t: p.period_end, width=12),
        Column(_("Inspections"), lambda p, t: getattr(p, "n_inspections", None), num=True, width=10),
    ]


class InspectionTable(Table):
    title = _("Inspections and supervisions")
    columns = [
        Column(pgettext_lazy("inspection", "Title"), lambda o, t: o.title, link=lambda o, t: reverse("inspection:inspection", args=[o.pk]),
               width=40),
        Column(_("Activity"), lambda o, t: o.get_activity_display(), width=16),
        Column(pgettext_lazy("inspection", "Kind"), lambda o, t: o.get_kind_display(), width=18),
        Column(_("Inspected"), lambda o, t: o.subject_label, width=32),
        Column(_("Commission"), lambda o, t: o.commission.name, width=28),
        Column(_("Start"), lambda o, t: o.start, width=12),
        Column(_("Planned end"), lambda o, t: o.end, width=12),
        Column(pgettext_lazy("inspection", "Status"), lambda o, t: o.get_status_display(), width=14),
        Column(_("Concluded on"), lambda o, t: o.concluded_on, width=12),
    ]


class RecommendationTable(Table):
    title = _("Recommendations")

    def __init__(self, today, may_report: bool = False):
        self.today, self.may_report = today, may_report

    columns = [
        Column(_("Recommendation"), lambda r, t: r.text[:200],
               link=lambda r, t: reverse("inspection:inspection", args=[r.inspection_id]) + f"#rec-{r.pk}", width=48),
        Column(_("Inspection"), lambda r, t: r.inspection.title, width=30),
        Column(_("Owner"), lambda r, t: r.owner_label, width=30),
        Column(_("Deadline"), lambda r, t: r.due, width=12),
        # an open one links to its report (the owner or the commission closes it there)
        Column(pgettext_lazy("inspection", "Status"), lambda r, t: str(r.get_status_display()) + (
            " · " + str(_("overdue")) if r.is_overdue(t.today) else ""), width=16,
            link=lambda r, t: reverse("inspection:recommendation_report", args=[r.pk])
            if t.may_report and r.status == r.OPEN and getattr(r, "reportable", False) else None),
        Column(_("Done on"), lambda r, t: r.done_on, width=12),
        Column(_("Result"), lambda r, t: r.result, width=30),
    ]


class WarningTable(Table):
    title = _("Early warning")
    columns = [
        Column(_("Unit"), lambda w, t: w.unit.name, width=36),
        Column(_("Code"), lambda w, t: w.unit.code, width=12),
        Column(_("Overdue tasks"), lambda w, t: w.overdue_tasks, num=True, width=12),
        Column(_("Overdue petitions"), lambda w, t: w.overdue_petitions, num=True, width=12),
        Column(_("Inspections with findings"), lambda w, t: w.repeated_findings, num=True, width=14),
        Column(_("Reasons"), lambda w, t: "; ".join(w.reasons), width=60),
    ]
