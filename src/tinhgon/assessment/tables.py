"""Tables of the assessment (page rows and Excel from one description), and the council sheet."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhgon.core.tables import Column, Table

from . import explain


class CycleTable(Table):
    title = _("Assessment cycles")
    columns = [
        Column(_("Cycle"), lambda c, t: c.label, link=lambda c, t: reverse("assessment:cycle", args=[c.pk]), width=40),
        Column(_("Kind"), lambda c, t: c.get_kind_display(), width=12),
        Column(_("Scope unit"), lambda c, t: c.unit.name, width=28),
        Column(_("Period start"), lambda c, t: c.period_start, width=12),
        Column(_("Period end"), lambda c, t: c.period_end, width=12),
        Column(_("Rule set"), lambda c, t: c.rule_set, width=28),
        Column(_("Stage"), lambda c, t: c.get_status_display(), width=18),
    ]


class ResultTable(Table):
    """The council sheet: one row a person — points by criterion, band, final level, remarks."""

    title = _("Council sheet")
    columns = [
        Column(_("Full name"), lambda r, t: r.cadre.full_name,
               link=lambda r, t: reverse("assessment:result", args=[r.pk]), width=26),
        Column(_("Body"), lambda r, t: r.body.name if r.body_id else "", width=26),
        Column(_("Group"), lambda r, t: r.group, width=14),
        Column(_("Leader"), lambda r, t: r.is_leader, width=8),
        Column(_("General criteria (30)"), lambda r, t: r.general_points, num=True, width=12),
        Column(_("Task points (70)"), lambda r, t: r.task_points, num=True, width=12),
        Column(_("Criteria"), lambda r, t: _criteria(r.criteria), width=26),
        Column(_("Score"), lambda r, t: r.score, num=True, width=10),
        Column(_("Band / level before the cap"), lambda r, t: explain.level_label(r.level_before_cap), width=16),
        Column(_("Final level"), lambda r, t: explain.level_label(r.level), width=16),
        Column(_("Moved down by the cap"), lambda r, t: r.moved_down, width=10),
        Column(_("Discipline"), lambda r, t: r.discipline, width=12),
        Column(_("Remarks"), lambda r, t: " ".join(x for x in (r.review_remarks, r.council_remarks) if x), width=30),
        Column(_("Explanation"), lambda r, t: " ".join(explain.lines(r.explanation)), width=80),
    ]


def _criteria(c: dict) -> str:
    if not c:
        return ""
    return f"{c.get('on_time_pct')}% / {c.get('done_pct')}% / {c.get('exceeded_pct')}%"


class UnitResultTable(Table):
    title = _("Units ranked by completion")
    columns = [
        Column(_("Rank"), lambda u, t: u.rank, num=True, width=8),
        Column(_("Unit"), lambda u, t: u.unit.name, width=36),
        Column(_("Level in the tree"), lambda u, t: u.depth, num=True, width=8),
        Column(_("Tasks counted"), lambda u, t: u.counted, num=True, width=10),
        Column(_("On time"), lambda u, t: u.on_time, num=True, width=10),
        Column(_("Late"), lambda u, t: u.late, num=True, width=10),
        Column(_("Overdue"), lambda u, t: u.overdue, num=True, width=10),
        Column(_("Cancelled"), lambda u, t: u.cancelled, num=True, width=10),
        Column(_("Completion (%)"), lambda u, t: u.completion, num=True, width=12),
        Column(_("Head"), lambda u, t: u.head.full_name if u.head_id else "", width=26),
    ]


class TopTable(Table):
    title = _("Top performers not in a planning pool")
    columns = [
        Column(_("Full name"), lambda r, t: r.cadre.full_name,
               link=lambda r, t: reverse("cadres:cadre", args=[r.cadre_id]), width=26),
        Column(_("Current title"), lambda r, t: r.cadre.current_title, width=26),
        Column(_("Body"), lambda r, t: r.body.name if r.body_id else "", width=28),
        Column(_("Cycle"), lambda r, t: r.cycle.label, link=lambda r, t: reverse("assessment:result", args=[r.pk]),
               width=30),
        Column(_("Score"), lambda r, t: r.score, num=True, width=10),
        Column(_("Final level"), lambda r, t: explain.level_label(r.level), width=16),
    ]


class TwiceTable(Table):
    title = _("Not completed two years in a row")
    columns = [
        Column(_("Full name"), lambda p, t: p[0].cadre.full_name,
               link=lambda p, t: reverse("cadres:cadre", args=[p[0].cadre_id]), width=26),
        Column(_("Current title"), lambda p, t: p[0].cadre.current_title, width=26),
        Column(_("Body"), lambda p, t: p[0].body.name if p[0].body_id else "", width=28),
        Column(_("This year"), lambda p, t: p[0].cycle.label, link=lambda p, t: reverse("assessment:result",
                                                                                          args=[p[0].pk]), width=30),
        Column(_("The year before"), lambda p, t: p[1].cycle.label,
               link=lambda p, t: reverse("assessment:result", args=[p[1].pk]), width=30),
    ]


class WeakTable(Table):
    title = _("Leaders whose unit completes under 50%")
    columns = [
        Column(_("Head"), lambda u, t: u.head.full_name, link=lambda u, t: reverse("cadres:cadre", args=[u.head_id]),
               width=26),
        Column(_("Unit"), lambda u, t: u.unit.name, width=36),
        Column(_("Tasks counted"), lambda u, t: u.counted, num=True, width=10),
        Column(_("On time"), lambda u, t: u.on_time, num=True, width=10),
        Column(_("Completion (%)"), lambda u, t: u.completion, num=True, width=12),
    ]
