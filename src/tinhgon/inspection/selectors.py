"""Reads of inspection and supervision: what a user reaches, the counts of the year, the
recommendations to follow up, and the early warning (units with overdue tasks, overdue
petitions or repeated findings, each with its reasons)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.core.scoping import restrict

from .models import Finding, Inspection, InspectionPlan, Recommendation

REPEAT_WINDOW_YEARS = 3   # findings in two inspections of a unit within this many years are "repeated"
REPEAT_MIN_INSPECTIONS = 2


def _today() -> dt.date:
    return timezone.localdate()


def plans_for(user, action: str = "view") -> QuerySet[InspectionPlan]:
    return restrict(InspectionPlan.objects.select_related("commission"), user, action)


def inspections_for(user, action: str = "view") -> QuerySet[Inspection]:
    return restrict(Inspection.objects.select_related("commission", "subject_unit", "subject_cadre", "plan", "lead"),
                    user, action)


def recommendations_for(user, action: str = "view") -> QuerySet[Recommendation]:
    return restrict(Recommendation.objects.select_related("inspection", "owner_unit", "owner_cadre"), user, action)


def recommendations_to_report(user) -> QuerySet[Recommendation]:
    """Recommendations ``user`` may report on (``change`` in the owner's or the commission's scope)."""
    return restrict(Recommendation.objects.select_related("inspection"), user, "change")


def year_counts(inspections: QuerySet[Inspection], recommendations: QuerySet[Recommendation], year: int,
                today: dt.date | None = None) -> dict:
    """Counts over the inspections and recommendations it is given (the caller's, from
    :func:`inspections_for` and :func:`recommendations_for`): those held in ``year`` (started that
    year, cancelled ones left out) by activity, concluded, with violations; the recommendations overdue."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    qs = inspections.exclude(status=Inspection.CANCELLED).filter(start__gte=start, start__lt=end)
    rows = qs.values("activity", "status").annotate(n=Count("id")).order_by()
    out = {"inspection": 0, "supervision": 0, "concluded": 0, "violations": 0, "year": year}
    for r in rows:
        out[r["activity"]] += r["n"]
        if r["status"] == Inspection.CONCLUDED:
            out["concluded"] += r["n"]
    out["violations"] = qs.filter(status=Inspection.CONCLUDED, violation=True).count()
    out["total"] = out["inspection"] + out["supervision"]
    out["overdue_recommendations"] = recommendations.filter(status=Recommendation.OPEN,
                                                            due__lt=today or _today()).count()
    return out


@dataclass
class Warning:
    unit: Unit
    overdue_tasks: int = 0
    overdue_petitions: int | str = 0  # a suppressed small count reads "< k"
    repeated_findings: int = 0
    topics: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.overdue_tasks:
            out.append(_("%(n)s overdue tasks") % {"n": self.overdue_tasks})
        if self.overdue_petitions:
            out.append(_("%(n)s overdue petitions") % {"n": self.overdue_petitions})
        if self.repeated_findings:
            text = _("findings in %(n)s inspections in %(years)s years") % {
                "n": self.repeated_findings, "years": REPEAT_WINDOW_YEARS}
            if self.topics:
                text += f" ({', '.join(self.topics[:3])})"
            out.append(text)
        return out

    @property
    def weight(self) -> int:
        petitions = self.overdue_petitions if isinstance(self.overdue_petitions, int) else 1
        return self.overdue_tasks + petitions + 5 * self.repeated_findings


def _overdue_tasks(user, on: dt.date) -> dict[int, int]:
    try:
        from tinhgon.tasks import selectors as tasks
        from tinhgon.tasks.models import Task
    except ImportError:  # pragma: no cover - the tasks app is not installed
        return {}
    rows = (tasks.tasks_for(user).filter(status__in=Task.OPEN, due__lt=on)
            .values("lead_unit_id").annotate(n=Count("id")).order_by())
    return {r["lead_unit_id"]: r["n"] for r in rows}


def _overdue_petitions(user, on: dt.date) -> dict[int, object]:
    """Overdue open petitions per handling unit, as the petitions app protects them (a small count
    of denunciations reads "< k")."""
    try:
        from tinhgon.petitions import selectors as petitions
    except ImportError:  # pragma: no cover - the petitions app is not installed
        return {}
    rows = petitions.deadline_lists(user, on, per_unit=True)["units"]
    return {r["unit"].pk: r["overdue"] for r in rows if r["overdue"]}


def _repeated(user, on: dt.date) -> dict[int, tuple[int, list[str]]]:
    since = on.replace(year=on.year - REPEAT_WINDOW_YEARS) if not (on.month == 2 and on.day == 29) else \
        dt.date(on.year - REPEAT_WINDOW_YEARS, 2, 28)
    findings = restrict(Finding.objects.filter(inspection__status=Inspection.CONCLUDED, found_on__gte=since,
                                               found_on__lte=on), user)
    rows = (findings.values("inspection__subject_unit_id")
            .annotate(n=Count("inspection", distinct=True)).filter(n__gte=REPEAT_MIN_INSPECTIONS).order_by())
    out = {}
    for r in rows:
        unit_id = r["inspection__subject_unit_id"]
        topics = list(findings.filter(inspection__subject_unit_id=unit_id).values_list("topic", flat=True)
                      .distinct().order_by("topic")[:5])
        out[unit_id] = (r["n"], topics)
    return out


def early_warning(user, *, on: dt.date | None = None, limit: int = 200) -> list[Warning]:
    """Units that need attention, heaviest first: overdue tasks they lead, overdue petitions they
    handle, findings in several concluded inspections within the window — each read through the
    user's scope."""
    day = on or _today()
    if not user.may("view"):
        return []
    tasks, petitions, repeated = _overdue_tasks(user, day), _overdue_petitions(user, day), _repeated(user, day)
    ids = set(tasks) | set(petitions) | set(repeated)
    units = Unit.objects.in_bulk(ids)
    out = []
    for uid in ids:
        if uid not in units:
            continue
        n, topics = repeated.get(uid, (0, []))
        out.append(Warning(unit=units[uid], overdue_tasks=tasks.get(uid, 0), overdue_petitions=petitions.get(uid, 0),
                           repeated_findings=n, topics=topics))
    out.sort(key=lambda w: (-w.weight, w.unit.path))
    return out[:limit]
