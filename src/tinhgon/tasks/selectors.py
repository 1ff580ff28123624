"""Reads of programs and tasks: the periodic accounting (kiểm đếm), drill-down, my work.

The accounting is one aggregate query: the conditions of :mod:`tasks.rules` written as SQL
over the dated facts each event leaves on its task (issued, submitted, accepted,
cancelled, the deadline in force and when it came into force) — never the status.  A
property test checks it against a recount in Python from the events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import in_scope, restrict, scope_q

from . import rules
from .models import Program, Task

COUNT_FIELDS = ("assigned", "on_time", "late", "overdue", "in_progress", "cancelled")


@dataclass
class Counts:
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    in_progress: int = 0
    cancelled: int = 0
    key: object = None
    label: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def completion_rate(self) -> float | None:
        return rules.completion_rate(self.on_time, self.assigned, self.cancelled)

    def as_dict(self) -> dict:
        return {**{k: getattr(self, k) for k in COUNT_FIELDS}, "completion_rate": self.completion_rate}


def _deadline_in_force(on: dt.date):
    """SQL of :func:`rules.deadline_in_force`."""
    return Case(When(due_since__gt=on, then=F("due_before")), default=F("due"), output_field=DateField())


def _conditions(period: rules.Period, on: dt.date) -> tuple[Q, dict[str, Q]]:
    """The SQL of :func:`rules.counts_in` and of each class of :func:`rules.classify` (on ``d``,
    the deadline in force annotated by the caller)."""
    s, e = period.start, period.end
    counted = Q(issued_on__lte=on) & (
        Q(d__gte=s, d__lte=e)
        | (Q(issued_on__lte=e) & ~Q(accepted_on__isnull=False, accepted_on__lt=s, accepted_on__lte=on)
           & ~Q(cancelled_on__isnull=False, cancelled_on__lt=s, cancelled_on__lte=on))
    )
    cancelled = Q(cancelled_on__lte=on)
    accepted = Q(accepted_on__lte=on) & ~Q(cancelled_on__isnull=False, cancelled_on__lte=on)
    on_time = accepted & (Q(d__isnull=True) | Q(submitted_on__lte=F("d")))
    late = accepted & Q(d__isnull=False) & (Q(submitted_on__isnull=True) | Q(submitted_on__gt=F("d")))
    open_ = (~Q(cancelled_on__isnull=False, cancelled_on__lte=on) & ~Q(accepted_on__isnull=False, accepted_on__lte=on))
    overdue = open_ & Q(d__lt=on)
    in_progress = open_ & (Q(d__isnull=True) | Q(d__gte=on))
    return counted, {"on_time": on_time, "late": late, "overdue": overdue, "in_progress": in_progress,
                     "cancelled": cancelled}


def unit_q(unit, *, subtree: bool = True) -> Q:
    """Tasks led by ``unit`` (alone or with its subtree) and by its predecessors through the lineage."""
    from tinhgon.restructuring.selectors import unit_predecessors

    antecedents = unit_predecessors(unit)
    if subtree:
        paths = sorted({a.path for a in antecedents} | {unit.path})
        # A prefix covers those below it: keep the shortest.
        paths = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        return scope_q("lead_path", paths)
    return Q(lead_unit_id__in=sorted({a.id for a in antecedents} | {unit.pk}))


def tasks_for(user, *, unit=None, subtree: bool = True) -> QuerySet[Task]:
    """The tasks ``user`` may see (lead, coordinating or accepting unit in scope), narrowed to ``unit``.

    When ``unit`` lies inside the user's scopes, every task it leads is visible (the lead
    unit grants "view"), so the scope condition is not repeated.
    """
    qs = Task.objects.all()
    if unit is not None:
        qs = qs.filter(unit_q(unit, subtree=subtree))
        if in_scope(user, unit.path) and user.may("view"):
            return qs
    return restrict(qs, user, "view")


def counted_tasks(qs: QuerySet[Task], period: rules.Period, on: dt.date, cls: str | None = None) -> QuerySet[Task]:
    """Drill-down: the tasks of ``qs`` that count in ``period`` (of class ``cls``)."""
    counted, classes = _conditions(period, on)
    qs = qs.annotate(d=_deadline_in_force(on)).filter(counted)
    if cls:
        qs = qs.filter(classes[cls])
    return qs


def _class_case(on: dt.date) -> Case:
    """The class of :func:`rules.classify` as one SQL CASE over the annotated ``d``."""
    accepted = Q(accepted_on__lte=on)
    return Case(
        When(Q(cancelled_on__lte=on), then=Value(rules.CANCELLED)),
        When(accepted & (Q(d__isnull=True) | Q(submitted_on__lte=F("d"))), then=Value(rules.ON_TIME)),
        When(accepted, then=Value(rules.LATE)),
        When(Q(d__lt=on), then=Value(rules.OVERDUE)),
        default=Value(rules.IN_PROGRESS), output_field=CharField())


def accounting(qs: QuerySet[Task], period: rules.Period, on: dt.date, *, by: str | None = None) -> list[Counts]:
    """The counts of ``qs`` in ``period`` read on ``on``: one row, or one per ``by``
    (``lead_unit``, ``leader``, ``assignee``, ``lead_path``), in one aggregate query.

    The counted tasks are grouped by their class (one CASE per row) and pivoted here:
    the database evaluates the deadline in force and the class once per task.
    """
    counted, _classes = _conditions(period, on)
    base = qs.annotate(d=_deadline_in_force(on)).filter(counted).annotate(cls=_class_case(on))
    key = None if by is None else (by if by == "lead_path" else f"{by}_id")
    fields = ([key] if key else []) + ["cls"]
    out: dict = {}
    for row in base.order_by().values(*fields).annotate(n=Count("id")):
        k = row[key] if key else None
        c = out.get(k)
        if c is None:
            c = out[k] = Counts(key=k)
        setattr(c, row["cls"], getattr(c, row["cls"]) + row["n"])
        c.assigned += row["n"]
    if by is None:
        return [out.get(None, Counts())]
    return list(out.values())


def per_unit_below(qs: QuerySet[Task], unit, period: rules.Period, on: dt.date) -> list[Counts]:
    """The counts of each unit directly below ``unit`` (with its subtree), in one grouped query
    (per lead unit path) rolled up to the children; tasks led by ``unit`` itself come first."""
    from tinhgon.apparatus.selectors import unit_children

    children = list(unit_children(unit, min(on, period.end)).order_by("path"))
    own = Counts(key=unit.pk, label=unit.name, extra={"code": unit.code, "subtree": "false"})
    out = {c.path: Counts(key=c.pk, label=c.name, extra={"code": c.code, "subtree": "true"}) for c in children}
    for r in accounting(qs, period, on, by="lead_path"):
        path = r.key or ""
        target = next((out[p] for p in out if path.startswith(p)), own if path.startswith(unit.path) else None)
        if target is None:  # a predecessor's path or a coordinated task: counted in the totals only
            continue
        for k in COUNT_FIELDS:
            setattr(target, k, getattr(target, k) + getattr(r, k))
    return [c for c in (own, *out.values()) if c.assigned]


def label_rows(rows: list[Counts], by: str, limit: int | None = None) -> list[Counts]:
    """Most tasks first, with names for the keys of the first ``limit`` rows (all when None):
    a page shows the first fifty of thousands of leaders without fetching every name."""
    rows = sorted(rows, key=lambda r: (-r.assigned, r.key if r.key is not None else 0))
    shown = rows if limit is None else rows[:limit]
    ids = [r.key for r in shown if r.key is not None]
    if by in ("leader", "assignee"):
        from tinhgon.cadres.models import Cadre

        names = dict(Cadre.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    else:
        from tinhgon.apparatus.models import Unit

        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    for r in shown:
        r.label = names.get(r.key, "—") if r.key is not None else "—"
    return rows


def trend(qs: QuerySet[Task], period: rules.Period, on: dt.date, n: int = 6) -> list[tuple[rules.Period, Counts]]:
    """The counts of the ``n`` periods ending with ``period`` (each read on its end, or ``on`` if earlier)."""
    out = []
    for i in range(n - 1, -1, -1):
        p = period.shift(-i)
        out.append((p, accounting(qs, p, min(on, p.end))[0]))
    return out


def clears_health(qs: QuerySet[Task], period: rules.Period, on: dt.date) -> dict[str, int]:
    """Open counted tasks whose clears no longer hold at the period's end: an assignee who left the
    lead unit, an authority that no longer holds the power (one query)."""
    from tinhgon.apparatus.models import PowerHolding
    from tinhgon.cadres.models import Assignment

    end = min(period.end, on)
    open_at_end = counted_tasks(qs, period, on).filter(
        ~Q(accepted_on__isnull=False, accepted_on__lte=end) & ~Q(cancelled_on__isnull=False, cancelled_on__lte=end))
    holds_post = Exists(Assignment.objects.filter(valid_on(end), cadre_id=OuterRef("assignee_id"),
                                                  unit__code=OuterRef("lead_unit__code"), status=Assignment.ACTIVE))
    holds_power = Exists(PowerHolding.objects.filter(valid_on(end), unit__code=OuterRef("authority_unit__code"),
                                                     power_id=OuterRef("authority_power_id")))
    row = open_at_end.aggregate(
        open=Count("id"),
        assignee_left=Count("id", filter=Q(assignee__isnull=False) & ~holds_post),
        authority_lost=Count("id", filter=Q(authority_unit__isnull=False, authority_power__isnull=False)
                             & ~holds_power),
        to_review=Count("id", filter=Q(assignee_review=True)))
    return {k: row[k] or 0 for k in ("open", "assignee_left", "authority_lost", "to_review")}


# Pages ------------------------------------------------------------------------------------------


def programs_for(user) -> QuerySet[Program]:
    return restrict(Program.objects.select_related("unit", "term"), user, "view")


def my_work(user, *, today: dt.date, horizon_days: int = 14) -> dict:
    """A user's own tasks (as assignee or leader in charge) due soon and overdue, and what waits
    for their acceptance (submitted to an authority in their scopes)."""
    from tinhgon.cadres.selectors import cadre_of

    cadre = cadre_of(user)
    mine = Task.objects.none()
    if cadre is not None:
        mine = (Task.objects.filter(Q(assignee=cadre) | Q(leader=cadre), status__in=Task.OPEN)
                .select_related("lead_unit", "program"))
    waiting = Task.objects.none()
    if user.may("approve"):
        waiting = restrict(Task.objects.filter(status=Task.SUBMITTED), user, "approve").select_related(
            "lead_unit", "authority_unit")
    return {
        "cadre": cadre,
        "due_soon": mine.filter(due__gte=today, due__lte=today + dt.timedelta(days=horizon_days)).order_by("due"),
        "overdue": mine.filter(due__lt=today).order_by("due"),
        "waiting": waiting.order_by("submitted_on", "id"),
    }
