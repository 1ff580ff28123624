"""Pages of inspection and supervision: plans, inspections with their workflow (start, findings,
conclusion, discipline, recommendations), the recommendations to follow up, and the supervision
dashboard with its early-warning list. Writes need the ``inspect`` action inside the
commission's scope; a recommendation's owner reports on it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.scoping import may_reach, restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.views_generic import service_form

from . import forms as f
from . import selectors, services
from .models import Inspection, InspectionPlan, Recommendation
from .tables import InspectionTable, PlanTable, RecommendationTable, WarningTable

INSPECT = "inspect"
SHOWN_WARNINGS = 30  # the heaviest on the page; all of them in Excel


def _today() -> dt.date:
    return timezone.localdate()


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


def _plan(user, pk, action="view") -> InspectionPlan:
    return get_object_or_404(restrict(InspectionPlan.objects.select_related("commission"), user, action), pk=pk)


def _inspection(user, pk, action="view") -> Inspection:
    qs = Inspection.objects.select_related("commission", "subject_unit", "subject_cadre", "plan", "lead",
                                           "conclusion_document")
    return get_object_or_404(restrict(qs, user, action), pk=pk)


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 <= int(raw) <= 9999 else None


# Plans ------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    user = request.user
    qs = selectors.plans_for(user).annotate(n_inspections=Count("inspections")).order_by("-year", "title", "id")
    year = _year(request)
    if year:
        qs = qs.filter(year=year)
    table = PlanTable()
    if wants_export(request):
        return export_response(table, qs, "ke-hoach-kiem-tra.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "inspection/plan_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "year": request.GET.get("year", ""), "may_create": user.may(INSPECT)})


@login_required
def plan_create(request):
    user = request.user
    _require(user, INSPECT)
    initial = {"year": _today().year, "period_start": dt.date(_today().year, 1, 1),
               "period_end": dt.date(_today().year, 12, 31)}
    form = f.PlanForm(request.POST or None, user=user, initial=initial)

    def call(d):
        return services.plan_create(user=user, commission=d["commission_code"], year=d["year"], title=d["title"],
                                    themes=d["themes"], period_start=d["period_start"], period_end=d["period_end"],
                                    note=d["note"])
    return service_form(request, form, call, done=lambda p: _("Plan “%(title)s” created.") % {"title": p.title},
                        then=lambda p: reverse("inspection:plan", args=[p.pk]), title=_("New inspection plan"),
                        cancel=reverse("inspection:plan_list"), field_map={"commission": "commission_code"})


@login_required
def plan_edit(request, pk: int):
    user = request.user
    _require(user, INSPECT)
    plan = _plan(user, pk, INSPECT)
    initial = {"commission_code": plan.commission.code, "year": plan.year, "title": plan.title, "themes": plan.themes,
               "period_start": plan.period_start, "period_end": plan.period_end, "note": plan.note,
               "team": list(plan.team.values_list("pk", flat=True))}
    form = f.PlanForm(request.POST or None, user=user, plan=plan, initial=initial)

    def call(d):
        return services.plan_update(user=user, plan=plan, year=d["year"], title=d["title"], themes=d["themes"],
                                    period_start=d["period_start"], period_end=d["period_end"], note=d["note"],
                                    team=d["team"])
    return service_form(request, form, call, done=lambda p: _("Plan “%(title)s” changed.") % {"title": p.title},
                        then=lambda p: reverse("inspection:plan", args=[p.pk]), title=_("Change the inspection plan"),
                        cancel=reverse("inspection:plan", args=[plan.pk]))


@login_required
def plan_detail(request, pk: int):
    user = request.user
    plan = _plan(user, pk)
    inspections = restrict(plan.inspections.select_related("subject_unit", "subject_cadre", "commission"), user)
    table = InspectionTable()
    rows = list(inspections.order_by("start", "id"))
    return render(request, "inspection/plan_detail.html", {
        "plan": plan, "team": plan.team.select_related("unit").order_by("full_name"),
        "themes": [t for t in plan.themes.splitlines() if t.strip()],
        "headers": table.headers(), "rows": table.html_rows(rows),
        "may_change": user.may(INSPECT) and may_reach(user, plan, INSPECT)})


# Inspections ------------------------------------------------------------------------------------


def _filtered(request, qs):
    g = request.GET
    year = _year(request)
    if year:
        qs = qs.filter(start__gte=dt.date(year, 1, 1), start__lt=dt.date(year + 1, 1, 1))
    for name, choices in (("activity", Inspection.ACTIVITIES), ("kind", Inspection.KINDS),
                          ("status", Inspection.STATUSES)):
        if g.get(name) in dict(choices):
            qs = qs.filter(**{name: g[name]})
    q = (g.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(subject_unit__name__icontains=q)
                       | Q(subject_cadre__full_name__icontains=q))
    return qs


@login_required
def inspection_list(request):
    user = request.user
    qs = _filtered(request, selectors.inspections_for(user)).order_by("-start", "id")
    table = InspectionTable()
    if wants_export(request):
        return export_response(table, qs, "kiem-tra-giam-sat.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "inspection/inspection_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "g": request.GET,
        "activities": Inspection.ACTIVITIES, "kinds": Inspection.KINDS, "statuses": Inspection.STATUSES,
        "may_create": user.may(INSPECT)})


@login_required
def inspection_create(request):
    user = request.user
    _require(user, INSPECT)
    initial = {"start": _today(), "end": _today() + dt.timedelta(days=30)}
    if request.GET.get("plan", "").isdigit():
        initial["plan"] = int(request.GET["plan"])
    form = f.InspectionForm(request.POST or None, user=user, initial=initial)
    return service_form(request, form, lambda d: services.inspection_create(user=user, **form.service_kwargs()),
                        done=lambda i: _("“%(title)s” recorded.") % {"title": i.title},
                        then=lambda i: reverse("inspection:inspection", args=[i.pk]),
                        title=_("New inspection or supervision"), cancel=reverse("inspection:inspection_list"),
                        field_map=f.FIELD_MAP)


@login_required
def inspection_detail(request, pk: int):
    user = request.user
    insp = _inspection(user, pk)
    today = _today()
    recs = list(insp.recommendations.select_related("owner_unit", "owner_cadre").order_by("due", "id"))
    for r in recs:
        r.overdue = r.is_overdue(today)
        r.may_report = (r.status == Recommendation.OPEN
                        and selectors.recommendations_to_report(user).filter(pk=r.pk).exists())
    measures = list(insp.measures.select_related("subject_unit", "subject_cadre", "document").order_by("decision_date"))
    return render(request, "inspection/inspection_detail.html", {
        "inspection": insp, "findings": insp.findings.order_by("found_on", "id"), "measures": measures,
        "recommendations": recs, "today": today,
        "may_inspect": user.may(INSPECT) and may_reach(user, insp, INSPECT)})


@login_required
def inspection_act(request, pk: int, action: str):
    user = request.user
    _require(user, INSPECT)
    insp = _inspection(user, pk, INSPECT)
    back = reverse("inspection:inspection", args=[insp.pk])
    crumbs = {"breadcrumbs": [(_("Inspections and supervisions"), reverse("inspection:inspection_list")),
                              (insp.title, back)]}
    if action == "start":
        form = f.DateForm(request.POST or None, initial={"on": max(insp.start, _today()) if insp.start > _today()
                                                         else insp.start})
        return service_form(request, form, lambda d: services.inspection_start(user=user, inspection=insp, on=d["on"]),
                            done=lambda i: _("The inspection has started."), then=lambda i: back,
                            title=_("Start the inspection"), cancel=back, **crumbs)
    if action == "conclude":
        form = f.ConcludeForm(request.POST or None, user=user, initial={"on": _today()})
        return service_form(request, form, lambda d: services.inspection_conclude(
            user=user, inspection=insp, on=d["on"], conclusion=d["conclusion"], violation=d["violation"],
            document=d["document"]), done=lambda i: _("The inspection is concluded."), then=lambda i: back,
            title=_("Conclude the inspection"), cancel=back, **crumbs)
    if action == "cancel":
        form = f.CancelForm(request.POST or None)
        return service_form(request, form, lambda d: services.inspection_cancel(user=user, inspection=insp,
                                                                                 reason=d["reason"]),
                            done=lambda i: _("The inspection is cancelled."), then=lambda i: back,
                            title=_("Cancel the inspection"), cancel=back, danger=True, **crumbs)
    if action == "finding":
        form = f.FindingForm(request.POST or None, initial={"found_on": _today(), "severity": "minor"})
        return service_form(request, form, lambda d: services.finding_add(user=user, inspection=insp, **d),
                            done=lambda x: _("Finding recorded."), then=lambda x: back + "#findings",
                            title=_("Record a finding"), cancel=back, **crumbs)
    if action == "measure":
        form = f.MeasureForm(request.POST or None, user=user, inspection=insp,
                             initial={"decision_date": _today(), "cadre": insp.subject_cadre_id})
        return service_form(request, form, lambda d: services.measure_decide(user=user, inspection=insp, **d),
                            done=lambda m: _("Measure decided: %(m)s.") % {"m": m}, then=lambda m: back + "#measures",
                            title=_("Decide a disciplinary measure"), cancel=back,
                            intro=_("The measures allowed and the limitation periods follow Regulation 69-QĐ/TW "
                                    "(RULES.md §8). A measure on a party member is written on the cadre's record."),
                            **crumbs)
    if action == "recommendation":
        form = f.RecommendationForm(request.POST or None, user=user, inspection=insp,
                                    initial={"owner_code": insp.subject_unit.code,
                                             "due": _today() + dt.timedelta(days=60)})
        return service_form(request, form, lambda d: services.recommendation_add(
            user=user, inspection=insp, text=d["text"], owner_unit=d["owner_code"], owner_cadre=d["owner_cadre"],
            due=d["due"]), done=lambda r: _("Recommendation recorded."), then=lambda r: back + "#recommendations",
            title=_("Add a recommendation"), cancel=back, field_map={"owner_unit": "owner_code"}, **crumbs)
    raise Http404


# Recommendations --------------------------------------------------------------------------------


@login_required
def recommendation_list(request):
    user = request.user
    today = _today()
    qs = selectors.recommendations_for(user).order_by("due", "id")
    g = request.GET
    if g.get("status") in dict(Recommendation.STATUSES):
        qs = qs.filter(status=g["status"])
    if g.get("overdue") == "1":
        qs = qs.filter(status=Recommendation.OPEN, due__lt=today)
    table = RecommendationTable(today, may_report=user.may("change"))
    if wants_export(request):
        return export_response(table, qs, "kien-nghi-sau-kiem-tra.xlsx", request=request)
    page = paginate(request, qs)
    shown = list(page.object_list)
    if user.may("change"):  # the report link only where the user may report (the owner's or the commission's scope)
        reportable = set(selectors.recommendations_to_report(user).filter(pk__in=[r.pk for r in shown])
                         .values_list("pk", flat=True))
        for r in shown:
            r.reportable = r.pk in reportable
    return render(request, "inspection/recommendation_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(shown), "g": g,
        "statuses": Recommendation.STATUSES,
        "overdue_count": selectors.recommendations_for(user).filter(status=Recommendation.OPEN, due__lt=today).count()})


@login_required
def recommendation_report(request, pk: int):
    user = request.user
    _require(user, "change")
    rec = get_object_or_404(selectors.recommendations_to_report(user), pk=pk)
    back = reverse("inspection:inspection", args=[rec.inspection_id]) + f"#rec-{rec.pk}"
    if not may_reach(user, rec.inspection):
        back = reverse("inspection:recommendation_list")
    form = f.ReportForm(request.POST or None, initial={"on": _today(), "status": Recommendation.DONE})
    return service_form(request, form, lambda d: services.recommendation_report(
        user=user, recommendation=rec, status=d["status"], on=d["on"], result=d["result"]),
        done=lambda r: _("Recommendation closed."), then=lambda r: back, title=_("Report on the recommendation"),
        subtitle=rec.text[:300], cancel=back)


# Supervision dashboard --------------------------------------------------------------------------


@login_required
def supervision(request):
    user = request.user
    today = _today()
    year = _year(request) or today.year
    warnings = selectors.early_warning(user, on=today)
    table = WarningTable()
    if wants_export(request):
        return export_response(table, warnings, "canh-bao-som.xlsx", request=request)
    return render(request, "inspection/supervision.html", {
        "counts": selectors.year_counts(selectors.inspections_for(user), selectors.recommendations_for(user), year), "year": year, "headers": table.headers(),
        "warnings": warnings[:SHOWN_WARNINGS], "total_warnings": len(warnings), "today": today,
        "window": selectors.REPEAT_WINDOW_YEARS})
