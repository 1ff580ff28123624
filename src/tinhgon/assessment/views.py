"""Pages of the assessment: cycles and their workflow, each person's result and why, the council
sheet (Excel, PDF), the units ranked, and the "some up, some down" lists."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core import jobs
from tinhgon.core.forms import add_service_errors
from tinhgon.core.scoping import may_reach, restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.views_generic import form_page, run_service
from tinhgon.core.views_jobs import job_in_query

from . import explain, exports, lists, services
from . import forms as f
from .jobs import KIND as COMPUTE_JOB
from .models import LEVELS, Cycle, Result, UnitResult
from .tables import CycleTable, TopTable, TwiceTable, UnitResultTable, WeakTable

PDF_MAX_ROWS = 400


def _cycle(user, pk, action="view") -> Cycle:
    return get_object_or_404(restrict(Cycle.objects.select_related("unit"), user, action), pk=pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")


@login_required
def cycle_list(request):
    if not request.user.may("view"):
        raise Http404
    qs = restrict(Cycle.objects.select_related("unit"), request.user, "view").order_by("-period_end", "label", "id")
    g = request.GET
    if g.get("status") in dict(Cycle.STATUSES):
        qs = qs.filter(status=g["status"])
    if g.get("kind") in dict(Cycle.KINDS):
        qs = qs.filter(kind=g["kind"])
    table = CycleTable()
    if wants_export(request):
        return export_response(table, qs.iterator(), "chu-ky-danh-gia.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "assessment/cycle_list.html", {
        "headers": table.headers(), "rows": table.html_rows(page), "page": page, "statuses": Cycle.STATUSES,
        "kinds": Cycle.KINDS, "may_create": request.user.may("change"), "g": g})


@login_required
def cycle_create(request):
    from tinhgon.tasks.rules import period_of

    if not request.user.may("change"):
        raise Http404
    form = f.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = unit_for_code(d["unit"].strip(), timezone.localdate()) or unit_for_code(d["unit"].strip())
        try:
            period = period_of(d["period"])
        except ValueError:
            period = None
        if unit is None:
            form.add_error("unit", _("No unit has this code."))
        if period is None or period.kind == "month":
            form.add_error("period", _("Enter a quarter (2026-Q1) or a year (2025)."))
        if not form.errors:
            kind = Cycle.QUARTERLY if period.kind == "quarter" else Cycle.ANNUAL
            try:
                cycle = run_service(form, lambda: services.cycle_create(
                    user=request.user, unit=unit, kind=kind, period_start=period.start, period_end=period.end,
                    audience=d["audience"], label=d["label"].strip()))
            except PermissionDenied as exc:
                form.add_error("unit", _message(exc))
                cycle = None
            if cycle is not None:
                messages.success(request, _("The cycle was created. Compute its results from the tasks."))
                return redirect("assessment:cycle", cycle.pk)
    return form_page(request, form, title=_("New assessment cycle"), cancel=reverse("assessment:cycle_list"),
                     intro=_("The rule set is the one in force at the period's end: Decree 90/2020 (as amended by "
                             "48/2023) until 2025, Decree 335/2025 from 2026."))


def _filtered_results(request, cycle):
    qs = restrict(Result.objects.filter(cycle=cycle).select_related("cadre", "body"), request.user, "view")
    g = request.GET
    if g.get("level") in dict(LEVELS):
        qs = qs.filter(level=g["level"])
    if g.get("body"):
        qs = qs.filter(body__code=g["body"])
    if g.get("moved") == "1":
        qs = qs.filter(moved_down=True)
    return qs.order_by("unit_path", "-is_leader", "-score", "cadre__full_name", "id")


@login_required
@require_GET
def cycle(request, pk: int):
    c = _cycle(request.user, pk)
    qs = _filtered_results(request, c)
    page = paginate(request, qs, size=50)
    rows = [{"r": r, "lines": explain.lines(r.explanation), "level": explain.level_label(r.level),
             "before": explain.level_label(r.level_before_cap)} for r in page]
    counts = {lv: 0 for lv, _l in LEVELS}
    for lv, n in _level_counts(c, request.user):
        counts[lv] = n
    user = request.user
    may_change = may_reach(user, c, "change") and user.may("change")
    may_approve = may_reach(user, c, "approve") and user.may("approve")
    job = job_in_query(request, kind=COMPUTE_JOB)
    return render(request, "assessment/cycle.html", {
        "cycle": c, "rows": rows, "page": page, "levels": LEVELS,
        "counts": [(explain.level_label(lv), counts[lv]) for lv, _l in LEVELS], "total": qs.count(),
        "missing": services.missing_reviews(c) if c.computed_at else None,
        "may_change": may_change and not c.is_locked, "may_approve": may_approve, "job": job,
        "events": c.events.select_related("actor").order_by("-at", "-id")[:20], "g": request.GET,
        "rule_set": _rule_set(c)})


def _rule_set(c):
    from .compute import rule_set_of

    try:
        return rule_set_of(c)
    except Exception:  # noqa: BLE001 - a rule set removed since: the page still shows the cycle
        return None


def _level_counts(c, user):
    from django.db.models import Count

    qs = restrict(Result.objects.filter(cycle=c), user, "view")
    return qs.exclude(level="").order_by().values_list("level").annotate(n=Count("id"))


@login_required
@require_POST
def cycle_compute(request, pk: int):
    c = _cycle(request.user, pk, "change")
    if c.is_locked:
        messages.error(request, _("The cycle is approved and locked; reopen it with a reason first."))
        return redirect("assessment:cycle", c.pk)
    job = jobs.job_start(kind=COMPUTE_JOB, user=request.user, label=c.label, params={"cycle": c.pk})
    return redirect(reverse("assessment:cycle", args=[c.pk]) + f"?job={job.pk}")


@login_required
@require_POST
def cycle_advance(request, pk: int):
    return _act(request, pk, "advance")


@login_required
@require_POST
def cycle_approve(request, pk: int):
    return _act(request, pk, "approve")


def _act(request, pk: int, act: str):
    c = _cycle(request.user, pk, "approve" if act == "approve" else "change")
    call = {"advance": services.cycle_advance, "approve": services.cycle_approve}[act]
    try:
        call(user=request.user, cycle=c)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Approved: the cycle is locked.") if act == "approve"
                         else _("The cycle moved to the next stage."))
    return redirect("assessment:cycle", c.pk)


@login_required
def cycle_reopen(request, pk: int):
    c = _cycle(request.user, pk, "approve")
    form = f.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = run_service(form, lambda: services.cycle_reopen(user=request.user, cycle=c,
                                                                   reason=form.cleaned_data["reason"]))
        except PermissionDenied as exc:
            form.add_error(None, _message(exc))
            done = None
        if done is not None:
            messages.success(request, _("The cycle was reopened; the reason is logged."))
            return redirect("assessment:cycle", c.pk)
    return form_page(request, form, title=_("Reopen “%(c)s”") % {"c": c.label},
                     cancel=reverse("assessment:cycle", args=[c.pk]), danger=True,
                     intro=_("An approved cycle is locked. Reopening it returns it to the council; the reason is kept "
                             "in the cycle's history."))


@login_required
def cycle_override(request, pk: int):
    c = _cycle(request.user, pk, "approve")
    form = f.OverrideForm(request.POST or None, initial={"ratio": c.cap_override_ratio,
                                                         "decision": c.cap_override_decision})
    if request.method == "POST" and form.is_valid():
        try:
            done = run_service(form, lambda: services.cycle_cap_override(
                user=request.user, cycle=c, ratio=form.cleaned_data["ratio"], decision=form.cleaned_data["decision"]),
                field_map={"cap_override_ratio": "ratio", "cap_override_decision": "decision"})
        except PermissionDenied as exc:
            form.add_error(None, _message(exc))
            done = None
        if done is not None:
            messages.success(request, _("Saved. Compute the results again to apply it."))
            return redirect("assessment:cycle", c.pk)
    return form_page(request, form, title=_("Larger share of excellent for an outstanding body"),
                     cancel=reverse("assessment:cycle", args=[c.pk]),
                     intro=_("Decree 335/2025 lets the competent authority allow a body with outstanding, breakthrough "
                             "results more than 20% of those rated good. Name the decision; every result the cap "
                             "touches shows it."))


@login_required
@require_GET
def cycle_sheet(request, pk: int):
    """The council sheet: Excel (``?format=xlsx``) or PDF (``?format=pdf``)."""
    c = _cycle(request.user, pk)
    qs = _filtered_results(request, c)
    fmt = request.GET.get("format", "xlsx")
    stem = f"bang-tong-hop-danh-gia-{c.pk}"
    if fmt == "pdf":
        if qs.count() > PDF_MAX_ROWS:
            messages.error(request, _("The PDF holds at most %(n)s people: choose one body (the Excel sheet has "
                                      "everyone).") % {"n": PDF_MAX_ROWS})
            return redirect("assessment:cycle", c.pk)
        response = HttpResponse(exports.council_pdf(c, list(qs), request=request), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    if fmt != "xlsx":
        raise Http404
    response = HttpResponse(exports.council_xlsx(c, qs.iterator(), user=request.user),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


@login_required
@require_GET
def cycle_units(request, pk: int):
    c = _cycle(request.user, pk)
    qs = restrict(UnitResult.objects.filter(cycle=c).select_related("unit", "head"), request.user, "view") \
        .order_by("rank", "unit_path")
    depth = request.GET.get("depth", "")
    if depth.isdigit():
        qs = qs.filter(depth=int(depth))
    table = UnitResultTable()
    if wants_export(request):
        return export_response(table, qs.iterator(), f"xep-hang-don-vi-{c.pk}.xlsx", request=request)
    page = paginate(request, qs)
    depths = sorted(set(UnitResult.objects.filter(cycle=c).values_list("depth", flat=True)))
    return render(request, "assessment/units.html", {"cycle": c, "headers": table.headers(),
                                                     "rows": table.html_rows(page), "page": page, "depths": depths,
                                                     "depth": depth})


@login_required
@require_GET
def result(request, pk: int):
    return _result_page(request, pk)


@login_required
@require_POST
def result_save(request, pk: int):
    return _result_page(request, pk)


def _result_page(request, pk: int):
    r = get_object_or_404(restrict(Result.objects.select_related("cycle", "cadre", "body", "reviewer"),
                                   request.user, "view"), pk=pk)
    c = r.cycle
    may_change = request.user.may("change") and may_reach(request.user, r, "change") and not c.is_locked
    forms = {"self": f.SelfAssessmentForm(prefix="self", initial={"text": r.self_assessment, "level": r.self_level}),
             "review": f.ReviewForm(prefix="review", initial={"general_points": r.general_points,
                                                              "remarks": r.review_remarks}),
             "council": f.CouncilForm(prefix="council", initial={"remarks": r.council_remarks}),
             "group": f.GroupForm(prefix="group", initial={"group": r.group})}
    status = 200
    if request.method == "POST":
        if not may_change:
            raise Http404
        which = request.POST.get("form", "")
        if which not in forms:
            raise Http404
        form = forms[which] = type(forms[which])(request.POST, prefix=which)
        if form.is_valid():
            d = form.cleaned_data
            calls = {
                "self": lambda: services.result_self_assess(user=request.user, result=r, text=d["text"],
                                                            level=d["level"]),
                "review": lambda: services.result_review(user=request.user, result=r,
                                                         general_points=d["general_points"], remarks=d["remarks"]),
                "council": lambda: services.result_council_remarks(user=request.user, result=r, remarks=d["remarks"]),
                "group": lambda: services.result_set_group(user=request.user, result=r, group=d["group"]),
            }
            try:
                done = calls[which]()
            except ValidationError as exc:
                add_service_errors(form, exc)
                done = None
            except PermissionDenied as exc:
                form.add_error(None, _message(exc))
                done = None
            if done is not None:
                messages.success(request, _("Saved. The level follows at the next computation."))
                return redirect("assessment:result", r.pk)
        status = 400
    return render(request, "assessment/result.html", {
        "r": r, "cycle": c, "lines": explain.lines(r.explanation), "basis": explain.basis(r.explanation),
        "level": explain.level_label(r.level), "before": explain.level_label(r.level_before_cap),
        "self_level": explain.level_label(r.self_level) if r.self_level else "",
        "forms": forms, "may_change": may_change, "stage": c.status,
        "points": (r.explanation or {}).get("rule_set", {}).get("code", "") != "" and not r.criteria,
    }, status=status)


# "Some up, some down" --------------------------------------------------------------------------


def _scope(request):
    code = (request.GET.get("unit") or "").strip()
    if not code:
        return None, ""
    unit = unit_for_code(code, timezone.localdate()) or unit_for_code(code)
    return unit, unit.path if unit is not None else "\x00"


def _on(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


LISTS = {
    "top": (TopTable, gettext_lazy("Top performers not in a planning pool")),
    "twice": (TwiceTable, gettext_lazy("Not completed two years in a row")),
    "weak": (WeakTable, gettext_lazy("Leaders whose unit completes under 50%")),
}


@login_required
@require_GET
def up_down(request, which: str):
    if which not in LISTS or not request.user.may("view"):
        raise Http404
    unit, scope = _scope(request)
    on = _on(request)
    cycle = None
    if which == "top":
        objects = lists.top_not_in_pool(request.user, scope_path=scope, on=on)
    elif which == "twice":
        objects = lists.not_completed_twice(request.user, scope_path=scope, on=on)
    else:
        cycle, objects = lists.weak_unit_leaders(request.user, scope_path=scope, on=on)
    table_class, title = LISTS[which]
    table = table_class()
    if wants_export(request):
        return export_response(table, objects, f"co-len-co-xuong-{which}.xlsx", request=request)
    intro = {
        "top": _("Rated excellent in an approved cycle of the last twelve months, and in no planning pool."),
        "twice": _("Rated “not completed” in the approved annual assessments of two consecutive years: the trigger "
                   "for the demotion or dismissal review (Law 80/2025, Art. 27)."),
        "weak": _("Heads of units whose tasks were completed on time under 50% in the period of the latest computed "
                  "cycle."),
    }[which]
    return render(request, "assessment/up_down.html", {
        "which": which, "title": title, "intro": intro, "headers": table.headers(),
        "rows": table.html_rows(objects), "unit": unit, "code": request.GET.get("unit", ""), "on": on,
        "cycle": cycle, "lists": [(k, v[1]) for k, v in LISTS.items()]})
