"""Pages of work programs and tasks: my work, programs with their timeline, tasks and their
lifecycle, the periodic accounting with drill-down, Excel and the trend."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.scoping import restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.views_generic import service_form

from . import forms as f
from . import rules, selectors, services
from .charts import timeline_chart, trend_chart
from .models import Notification, Program, Task
from .tables import CountsTable, ProgramTable, TaskTable

SHOWN, TIMELINE_ROWS = 200, 60


def _today() -> dt.date:
    return timezone.localdate()


def _program(user, pk, action="view") -> Program:
    return get_object_or_404(restrict(Program.objects.select_related("unit", "term"), user, action), pk=pk)


def _task(user, pk, action="view") -> Task:
    qs = Task.objects.select_related("program", "lead_unit", "authority_unit", "authority_power", "assignee",
                                     "leader", "parent", "section")
    return get_object_or_404(restrict(qs, user, action), pk=pk)


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


# My work --------------------------------------------------------------------------------------


@login_required
def my_work(request):
    user = request.user
    today = _today()
    work = selectors.my_work(user, today=today)
    notices = list(Notification.objects.filter(user=user).select_related("task")[:20])
    return render(request, "tasks/my_work.html", {
        **work, "today": today, "notices": notices, "unread": sum(1 for n in notices if not n.read)})


@login_required
@require_POST
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("tasks:my_work")


# Programs -------------------------------------------------------------------------------------


@login_required
def program_list(request):
    user = request.user
    qs = selectors.programs_for(user).annotate(n_tasks=Count("tasks")).order_by("-year", "title", "id")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    table = ProgramTable()
    if wants_export(request):
        return export_response(table, qs, "chuong-trinh-cong-tac.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "tasks/program_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "year": year,
        "may_create": user.may("change")})


@login_required
def program_create(request):
    user = request.user
    _require(user, "change")
    initial = {"year": _today().year}
    paths = user.scope_paths() if not user.is_unrestricted else []
    if len(paths) == 1:
        initial["unit_code"] = paths[0].rstrip("/").rsplit("/", 1)[-1]
    form = f.ProgramForm(request.POST or None, initial=initial)
    return service_form(request, form, lambda d: services.program_create(user=user, **form.service_kwargs()),
                        done=lambda p: _("Program “%(title)s” created.") % {"title": p.title},
                        then=lambda p: reverse("tasks:program", args=[p.pk]), title=_("New work program"),
                        cancel=reverse("tasks:program_list"), field_map={"unit": "unit_code"})


@login_required
def program_detail(request, pk: int):
    user = request.user
    program = _program(user, pk)
    tasks = list(restrict(program.tasks.select_related("lead_unit", "assignee", "leader", "section"), user)
                 .order_by("section__order", "start", "id"))
    today = _today()
    by_parent: dict = {}
    for t in tasks:
        by_parent.setdefault(t.parent_id, []).append(t)
    ids = {t.pk for t in tasks}

    def flat(parent_id, depth):
        for t in by_parent.get(parent_id, []):
            t.depth = depth
            t.overdue = t.is_overdue(today)
            yield t
            yield from flat(t.pk, depth + 1)

    roots = [t for t in tasks if t.parent_id is None or t.parent_id not in ids]
    ordered = []
    for r in roots:
        r.depth, r.overdue = 0, r.is_overdue(today)
        ordered.append(r)
        ordered.extend(flat(r.pk, 1))
    total = len(ordered)
    shown = ordered[:SHOWN]  # a large program: the first ones here, all of them in the task list
    sections = [(s, [t for t in shown if t.section_id == s.pk]) for s in program.sections.all()]
    loose = [t for t in shown if t.section_id is None]
    return render(request, "tasks/program_detail.html", {
        "program": program, "sections": sections, "loose": loose, "total": total, "shown": len(shown),
        "timeline": timeline_chart(shown[:TIMELINE_ROWS], today),
        "may_change": user.may("change") and restrict(Program.objects.filter(pk=program.pk), user, "change").exists(),
        "section_form": f.forms.Form(), "today": today})


@login_required
@require_POST
def section_add(request, pk: int):
    user = request.user
    program = _program(user, pk, "change")
    try:
        services.section_add(user=user, program=program, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tasks:program", pk=program.pk)


# Tasks ----------------------------------------------------------------------------------------


def _drill(request, user):
    """The task list's filters: a status, overdue, a program, a unit, and the accounting's drill-down
    (a period, a class, a reading date, a leader or an assignee)."""
    g = request.GET
    unit = None
    code = (g.get("unit") or "").strip()
    if code:
        unit = unit_for_code(code, _today()) or unit_for_code(code)
    subtree = g.get("subtree", "true") != "false"
    qs = selectors.tasks_for(user, unit=unit, subtree=subtree) if unit else selectors.tasks_for(user)
    if code and unit is None:
        qs = qs.none()
    period = None
    try:
        period = rules.period_of(g["period"]) if g.get("period") else None
    except ValueError:
        qs = qs.none()
    try:
        on = dt.date.fromisoformat(g["on"]) if g.get("on") else _today()
    except ValueError:
        on = _today()
    cls = g.get("cls") if g.get("cls") in rules.CLASSES else None
    if period is not None:
        qs = selectors.counted_tasks(qs, period, on, cls)
    if g.get("status") in dict(Task.STATUSES):
        qs = qs.filter(status=g["status"])
    if g.get("overdue") == "1":
        qs = qs.filter(status__in=Task.OPEN, due__lt=_today())
    for key in ("program", "leader", "assignee"):
        if (g.get(key) or "").isdigit():
            qs = qs.filter(**{f"{key}_id": int(g[key])})
    return qs, {"unit": unit, "code": code, "period": period, "cls": cls, "on": on}


@login_required
def task_list(request):
    user = request.user
    qs, ctx = _drill(request, user)
    qs = qs.select_related("lead_unit", "assignee", "leader").order_by("due", "id")
    table = TaskTable(_today())
    if wants_export(request):
        return export_response(table, qs, "nhiem-vu.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "tasks/task_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), **ctx,
        "statuses": Task.STATUSES, "status": request.GET.get("status", ""),
        "overdue": request.GET.get("overdue") == "1", "cls_label": _class_labels().get(ctx["cls"])})


def _class_labels():
    return {rules.ON_TIME: _("On time"), rules.LATE: _("Late"), rules.OVERDUE: _("Overdue"),
            rules.IN_PROGRESS: _("In progress"), rules.CANCELLED: _("Cancelled")}


@login_required
def task_create(request, pk: int):
    user = request.user
    _require(user, "change")
    program = _program(user, pk)
    form = f.TaskForm(request.POST or None, program=program,
                      initial={"parent": request.GET.get("parent"), "section": request.GET.get("section")})
    return service_form(
        request, form, lambda d: services.task_create(user=user, program=program, **form.service_kwargs()),
        done=lambda t: _("Task “%(title)s” saved as a draft.") % {"title": t.title},
        then=lambda t: reverse("tasks:task", args=[t.pk]), title=_("New task"),
        cancel=reverse("tasks:program", args=[program.pk]), field_map=f.FIELD_MAP,
        intro=_("A task can be saved with clears still missing; it is issued only when all six are there."))


@login_required
def task_edit(request, pk: int):
    user = request.user
    task = _task(user, pk, "change")
    form = f.TaskForm(request.POST or None, program=task.program, task=task, initial=f.TaskForm.initial_of(task))

    def call(d):
        kw = form.service_kwargs()
        if task.status != Task.DRAFT:
            kw.pop("deadline", None)
        return services.task_update(user=user, task=task, **kw)

    return service_form(request, form, call, done=lambda t: _("Task changed."),
                        then=lambda t: reverse("tasks:task", args=[t.pk]), title=_("Change task"),
                        cancel=reverse("tasks:task", args=[task.pk]), field_map=f.FIELD_MAP)


@login_required
def task_detail(request, pk: int):
    user = request.user
    task = _task(user, pk)
    today = _today()
    missing = services.task_missing_clears(task)
    clears = [(key, label, key not in missing) for key, label in rules.CLEARS]
    may_change = user.may("change") and restrict(Task.objects.filter(pk=task.pk), user, "change").exists()
    may_approve = user.may("approve") and restrict(Task.objects.filter(pk=task.pk), user, "approve").exists()
    return render(request, "tasks/task_detail.html", {
        "task": task, "clears": clears, "missing": missing, "events": task.events.select_related("actor")
        .order_by("on", "id"), "children": restrict(task.children.all(), user).order_by("due", "id"),
        "coordinating": task.coordinating_units.all(), "overdue": task.is_overdue(today), "today": today,
        "may_change": may_change and task.status not in (Task.ACCEPTED, Task.CANCELLED),
        "may_approve": may_approve and task.status not in (Task.ACCEPTED, Task.CANCELLED),
        "form": f.forms.Form()})


LEAD_ACTIONS = {
    "report": (f.ReportForm, services.task_report, _("Progress report")),
    "submit": (f.SubmitForm, services.task_submit, _("Submit the product")),
    "extend": (f.ExtendForm, services.task_extension_request, _("Request an extension")),
    "cancel": (f.ReasonForm, services.task_cancel, _("Cancel the task")),
}
AUTHORITY_ACTIONS = {
    "accept": (f.AcceptForm, services.task_accept, _("Accept the product")),
    "return": (f.ReasonForm, services.task_return, _("Return the product")),
    "extension": (f.ExtensionDecisionForm, services.task_extension_decide, _("Decide on the extension")),
}


def _action_page(request, task, form_class, service, title):
    user = request.user
    form = form_class(request.POST or None, request.FILES or None)
    return service_form(request, form, lambda d: service(user=user, task=task, **d) or True,
                        done=lambda r: _("%(action)s: done.") % {"action": title},
                        then=lambda r: reverse("tasks:task", args=[task.pk]), title=title,
                        cancel=reverse("tasks:task", args=[task.pk]), subtitle=task.title,
                        template="tasks/action_form.html")


@login_required
def task_act(request, pk: int, action: str):
    """The lead unit's transitions: issue (POST), report, submit, extension request, cancel."""
    user = request.user
    if action == "issue" and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    task = _task(user, pk, "change")
    if action == "issue":
        try:
            services.task_issue(user=user, task=task)
        except services.MissingClears as exc:
            messages.error(request, services.missing_message(exc.missing))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Task issued."))
        return redirect("tasks:task", pk=task.pk)
    if action not in LEAD_ACTIONS:
        raise Http404
    return _action_page(request, task, *LEAD_ACTIONS[action])


@login_required
def task_decide(request, pk: int, action: str):
    """The accepting authority's decisions: accept, return, extension."""
    user = request.user
    task = _task(user, pk, "approve")
    if action not in AUTHORITY_ACTIONS:
        raise Http404
    return _action_page(request, task, *AUTHORITY_ACTIONS[action])


# Accounting -----------------------------------------------------------------------------------


@login_required
def accounting(request):
    user = request.user
    g = request.GET
    today = _today()
    errors = []
    try:
        period = rules.period_of(g.get("period") or rules.current_quarter(today).key)
    except ValueError:
        errors.append(_("Write the period as 2026, 2026-Q1 or 2026-03."))
        period = rules.current_quarter(today)
    try:
        on = dt.date.fromisoformat(g["on"]) if g.get("on") else today
    except ValueError:
        errors.append(_("Enter a valid date (YYYY-MM-DD)."))
        on = today
    code = (g.get("unit") or "").strip()
    if not code and not user.is_unrestricted and user.scope_paths():
        code = user.scope_paths()[0].rstrip("/").rsplit("/", 1)[-1]
    unit = None
    if code:
        unit = unit_for_code(code, min(on, period.end)) or unit_for_code(code)
        if unit is None:
            errors.append(_("No unit has the code %(code)s.") % {"code": code})
    subtree = g.get("subtree", "true") != "false"
    qs = selectors.tasks_for(user, unit=unit, subtree=subtree)
    by = g.get("by") if g.get("by") in ("leader", "assignee") else "leader"
    totals = selectors.accounting(qs, period, on)[0]
    totals.label = _("Total")
    export = wants_export(request)
    limit = None if export else 50
    leaders = selectors.label_rows(selectors.accounting(qs, period, on, by="leader"), "leader", limit)
    assignees = selectors.label_rows(selectors.accounting(qs, period, on, by="assignee"), "assignee", limit)
    if export:
        table = CountsTable(_("Leader in charge") if by == "leader" else _("Assignee"))
        rows = [totals, *(leaders if by == "leader" else assignees)]
        return export_response(table, rows, f"kiem-dem-{period.key}.xlsx", request=request,
                               info=[(_("Period"), period.key), (_("Reading date"), on.isoformat()),
                                     (_("Unit"), unit.name if unit else _("All in your scopes"))])
    base = {"period": period.key, "on": on.isoformat(), "subtree": "true" if subtree else "false"}
    if unit:
        base["unit"] = unit.code

    def drill(cls=None, **extra):
        params = {**base, **extra}
        if cls:
            params["cls"] = cls
        return reverse("tasks:task_list") + "?" + urlencode(params)

    def linked(rows, key):
        out = []
        for r in rows:
            extra = {key: r.key} if r.key is not None else {}
            r.links = {c: drill(None if c == "assigned" else c, **extra) for c in selectors.COUNT_FIELDS}
            out.append(r)
        return out

    linked([totals], "")
    below, n_below = [], 0
    if unit is not None and subtree:
        below = sorted(selectors.per_unit_below(qs, unit, period, on), key=lambda r: (-r.assigned, r.label))
        n_below = len(below)
        below = below[:50]
        for r in below:
            params = {**base, "unit": r.extra["code"], "subtree": r.extra["subtree"]}
            r.links = {c: reverse("tasks:task_list") + "?" + urlencode({**params, **({"cls": c} if c != "assigned"
                                                                                     else {})})
                       for c in selectors.COUNT_FIELDS}
            r.page = reverse("tasks:accounting") + "?" + urlencode(params)
    health = selectors.clears_health(qs, period, on) if not errors else None
    trend = selectors.trend(qs, period, on)
    return render(request, "tasks/accounting.html", {
        "period": period, "on": on, "unit": unit, "code": code, "subtree": subtree, "errors": errors,
        "totals": totals, "leaders": linked(leaders[:50], "leader"), "assignees": linked(assignees[:50], "assignee"),
        "n_leaders": len(leaders), "n_assignees": len(assignees), "health": health, "below": below, "n_below": n_below,
        "chart": trend_chart(trend), "classes": _class_labels(),
        "export_leaders": "?" + urlencode({**base, "export": "xlsx", "by": "leader"}),
        "export_assignees": "?" + urlencode({**base, "export": "xlsx", "by": "assignee"})})
