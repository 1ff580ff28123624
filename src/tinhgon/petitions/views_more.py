"""Pages of the petitions report, reception and dialogue sessions, and the administrators'
calendars (the government's day swaps, remote areas imported from Excel)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from tinhgon.core.scoping import restrict
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.tabular import FileUnreadable, cell_date, cell_text, read_table, split_header
from tinhgon.core.views_generic import service_form

from . import forms as f
from . import protection, rules, selectors, services
from .models import DaySwap, DialogueSession, Petition, ReceptionSession, RemoteArea
from .tables import DialogueTable, ReportTable, SessionTable
from .views import _unit


def _today() -> dt.date:
    return timezone.localdate()


# Report ----------------------------------------------------------------------------------------

BY_LABELS = {"kind": _l("Kind of matter"), "subject": _l("Subject matter"), "unit": _l("Handling unit"),
             "province": _l("Province of the place"), "month": _l("Month received")}


def _date(value, default):
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return None


def bar_chart(rows: list[dict], *, width: int = 720, bar: int = 20) -> dict | None:
    """Horizontal bars of matters received per row (where matters come from), settled on time,
    late and overdue stacked: server-rendered SVG geometry."""
    rows = [r for r in rows if r["received"]][:15]
    if not rows:
        return None
    label_w, pad = 220, 60
    peak = max(r["received"] for r in rows)
    scale = (width - label_w - pad) / peak
    out = []
    for i, r in enumerate(rows):
        y = 10 + i * (bar + 8)
        x = label_w
        parts = []
        rest = r["received"] - r["on_time"] - r["late"] - r["overdue"]
        for cls, v in (("on-time", r["on_time"]), ("late", r["late"]), ("overdue", r["overdue"]), ("rest", rest)):
            w = round(max(v, 0) * scale, 1)
            parts.append({"cls": cls, "x": round(x, 1), "w": w, "v": v})
            x += w
        out.append({"y": y, "ty": y + bar - 5, "label": str(r["label"])[:32], "parts": parts,
                    "total": r["received"], "tx": round(x + 6, 1)})
    return {"width": width, "height": 20 + len(rows) * (bar + 8), "rows": out, "bar": bar, "label_w": label_w}


@login_required
def report(request):
    user = request.user
    g = request.GET
    today = _today()
    errors = []
    start = _date(g.get("start"), dt.date(today.year, 1, 1))
    end = _date(g.get("end"), today)
    if start is None or end is None:
        errors.append(_("Enter a valid date (YYYY-MM-DD)."))
        start, end = start or dt.date(today.year, 1, 1), end or today
    if start > end:
        errors.append(_("The start of the period is after its end."))
        start, end = end, start
    by = g.get("by") if g.get("by") in BY_LABELS else "kind"
    unit = _unit(g.get("unit", "")) if g.get("unit") else None
    if g.get("unit") and unit is None:
        errors.append(_("No unit has the code %(code)s.") % {"code": g["unit"][:40]})
    qs = selectors.petitions_for(user, unit=unit) if unit is not None else selectors.petitions_for(user)
    raw = selectors.report(qs, start=start, end=end, by=by, on=today)
    totals = selectors.totals(raw)
    rows = protection.protect_report(raw, by)  # small counts of denunciations read "< k"
    totals = protection.protect_totals(totals, rows)
    table = ReportTable(BY_LABELS[by])
    if wants_export(request):
        return export_response(table, [*rows, {"label": _("Total"), **totals}], f"bao-cao-don-thu-{start}-{end}.xlsx",
                               request=request, info=[(_("Period"), f"{start.isoformat()} – {end.isoformat()}")])
    spots = selectors.hotspots_for(user)
    return render(request, "petitions/report.html", {
        "rows": table.html_rows(rows), "headers": table.headers(), "totals": totals, "start": start, "end": end,
        "by": by, "by_choices": list(BY_LABELS.items()), "errors": errors,
        "unit_code": g.get("unit", ""), "chart": bar_chart([r for r, shown in zip(raw, rows, strict=True) if not shown.get("suppressed")]),
        "spots_open": spots.exclude(status="resolved").count(),
        "spots_resolved": spots.filter(status="resolved", resolved_on__gte=start, resolved_on__lte=end).count()})


# Deadline calculator -----------------------------------------------------------------------------


@login_required
@require_GET
def deadline_calculator(request):
    """The statutory settlement deadline of a question (the page of ``GET /api/petitions/deadline/``):
    the deadline, the raw last day before the holiday rule, the days off stepped over (weekends,
    public holidays, the government's day swaps) and the rule set; nothing is stored."""
    from django.utils.translation import get_language

    from tinhgon.core.models import RuleSet

    from .rulesets import DEADLINES

    form = f.DeadlineCalculatorForm(request.GET if request.GET.get("accepted") else None)
    result = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        cal_ = services.calendar()
        try:
            deadline = services.deadline_for(kind=d["kind"], accepted=d["accepted"], round=d["round"],
                                             complexity=d["complexity"], remote=d["remote"],
                                             extensions=d["extensions"], suspended_days=d["suspended_days"] or 0,
                                             cal=cal_)
        except ValidationError as exc:
            from tinhgon.core.forms import add_service_errors

            add_service_errors(form, exc)
        else:
            swaps = dict(DaySwap.objects.values_list("day_off", "decision"))
            language = get_language() or "vi"
            skipped = [{"day": day, "why": why,
                        "name": rules.holiday_name(day, language) if why == "holiday" else swaps.get(day, "")}
                       for day, why in rules.skipped_days(deadline, d["accepted"], cal_)]
            result = {"d": deadline, "skipped": skipped,
                      "rule_set": RuleSet.objects.filter(kind=DEADLINES, code=deadline.rule_set).first()}
    return render(request, "petitions/deadline_calculator.html", {"form": form, "result": result},
                  status=400 if form.is_bound and form.errors else 200)


# Reception and dialogue ------------------------------------------------------------------------


def _petitions_by_codes(user, text: str) -> list[Petition]:
    codes = [c.strip().upper() for c in (text or "").split(",") if c.strip()]
    found = list(restrict(Petition.objects.filter(code__in=codes), user))
    missing = sorted(set(codes) - {p.code for p in found})
    if missing:
        raise ValidationError({"codes": [_("No matters %(codes)s in your scopes.") % {"codes": ", ".join(missing)}]})
    return found


def _leader(user, pk):
    from tinhgon.cadres.models import Cadre

    leader = Cadre.objects.filter(pk=pk).first()
    if leader is None:
        raise ValidationError({"leader_id": [_("No cadre has the record number %(n)s.") % {"n": pk}]})
    return leader


def duty_rows(user, year: int, month: int) -> tuple[list[dict], str]:
    return selectors.reception_duty(user, year, month)


@login_required
def reception_list(request):
    user = request.user
    qs = restrict(ReceptionSession.objects.select_related("leader", "unit").prefetch_related("petitions"), user)
    table = SessionTable()
    if wants_export(request):
        return export_response(table, qs, "tiep-cong-dan.xlsx", request=request)
    today = _today()
    month = request.GET.get("month") or f"{today.year}-{today.month:02d}"
    try:
        year, mon = (int(x) for x in month.split("-"))
        dt.date(year, mon, 1)
    except ValueError:
        year, mon = today.year, today.month
    duties, rs_code = duty_rows(user, year, mon)
    page = paginate(request, qs)
    return render(request, "petitions/reception_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list), "duties": duties,
        "rule_set": rs_code, "month": f"{year}-{mon:02d}", "may_create": user.may("change")})


@login_required
def reception_create(request):
    user = request.user
    if not user.may("change"):
        raise Http404
    form = f.SessionForm(request.POST or None)

    def call(d):
        unit = _unit(d["unit_code"], d["on"])
        if unit is None:
            raise ValidationError({"unit_code": [_("No unit has the code %(code)s.") % {"code": d["unit_code"]}]})
        try:
            return services.reception_session_create(
                user=user, unit=unit, leader=_leader(user, d["leader_id"]), leader_role=d["leader_role"], on=d["on"],
                place=d["place"], citizens=d["citizens"], online=d["online"], note=d["note"],
                petitions=_petitions_by_codes(user, d["codes"]))
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None

    return service_form(request, form, call, done=lambda s: _("Reception session recorded."),
                        then=lambda s: reverse("petitions:reception_list"), title=_("New reception session"),
                        cancel=reverse("petitions:reception_list"), field_map={"leader": "leader_id", "unit": "unit_code"})


@login_required
def dialogue_list(request):
    user = request.user
    qs = restrict(DialogueSession.objects.select_related("leader", "unit", "hotspot__place")
                  .prefetch_related("petitions"), user)
    table = DialogueTable()
    if wants_export(request):
        return export_response(table, qs, "doi-thoai.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "petitions/dialogue_list.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "may_create": user.may("change")})


@login_required
def dialogue_create(request):
    user = request.user
    if not user.may("change"):
        raise Http404
    form = f.DialogueForm(request.POST or None, initial={"hotspot_id": request.GET.get("hotspot")}
                          if (request.GET.get("hotspot") or "").isdigit() else None)

    def call(d):
        from .models import HotSpot

        unit = _unit(d["unit_code"], d["on"])
        if unit is None:
            raise ValidationError({"unit_code": [_("No unit has the code %(code)s.") % {"code": d["unit_code"]}]})
        hotspot = None
        if d.get("hotspot_id"):
            hotspot = restrict(HotSpot.objects.all(), user).filter(pk=d["hotspot_id"]).first()
            if hotspot is None:
                raise ValidationError({"hotspot_id": [_("No hot spot with this number in your scopes.")]})
        try:
            return services.dialogue_create(user=user, unit=unit, leader=_leader(user, d["leader_id"]), on=d["on"],
                                            topic=d["topic"], participants=d["participants"], outcome=d["outcome"],
                                            petitions=_petitions_by_codes(user, d["codes"]), hotspot=hotspot)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from None

    return service_form(request, form, call, done=lambda s: _("Dialogue recorded."),
                        then=lambda s: reverse("petitions:dialogue_list"), title=_("New dialogue session"),
                        cancel=reverse("petitions:dialogue_list"),
                        field_map={"leader": "leader_id", "unit": "unit_code", "hotspot": "hotspot_id"})


# Calendars (administrators) ----------------------------------------------------------------------


def _admin(user) -> bool:
    return user.is_unrestricted and user.may("administer")


@login_required
@require_GET
def day_swaps(request):
    return _day_swaps_page(request, f.DaySwapForm())


@login_required
@require_POST
def day_swap_create(request):
    user = request.user
    if not _admin(user):
        raise PermissionDenied
    form = f.DaySwapForm(request.POST)
    return _day_swaps_page(request, form)


def _day_swaps_page(request, form):
    user = request.user
    if form.is_bound:
        if form.is_valid():
            try:
                services.day_swap_set(user=user, **form.cleaned_data)
            except ValidationError as exc:
                from tinhgon.core.forms import add_service_errors

                add_service_errors(form, exc)
            else:
                messages.success(request, _("Day swap saved."))
                return redirect("petitions:day_swaps")
    return render(request, "petitions/day_swaps.html", {
        "swaps": DaySwap.objects.all()[:200], "form": form, "may_change": _admin(user)},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def day_swap_delete(request, pk: int):
    if not _admin(request.user):
        raise PermissionDenied
    services.day_swap_delete(user=request.user, swap=get_object_or_404(DaySwap, pk=pk))
    messages.success(request, _("Day swap removed."))
    return redirect("petitions:day_swaps")


def _remote_rows(upload) -> list[dict]:
    rows = []
    try:
        header, _n, rest = split_header(read_table(upload, upload.name))
        for i, cells in enumerate(rest, start=2):
            cells = list(cells) + [None] * 4
            if not any(cell_text(c) for c in cells[:4]):
                continue
            try:
                rows.append({"unit_code": cell_text(cells[0]), "valid_from": cell_date(cells[1]),
                             "valid_to": cell_date(cells[2]) if cell_text(cells[2]) else None,
                             "decision": cell_text(cells[3])})
            except ValueError as exc:
                raise ValidationError(_("Row %(n)s: %(why)s") % {"n": i, "why": exc}) from None
    except FileUnreadable as exc:
        raise ValidationError(str(exc)) from None
    if header is None or not rows:
        raise ValidationError(_("The file has no rows."))
    return rows


@login_required
@require_GET
def remote_areas(request):
    return _remote_page(request, f.RemoteImportForm())


@login_required
@require_POST
def remote_areas_import(request):
    if not _admin(request.user):
        raise PermissionDenied
    return _remote_page(request, f.RemoteImportForm(request.POST, request.FILES))


def _remote_page(request, form):
    user = request.user
    if form.is_bound:
        if form.is_valid():
            try:
                n = services.remote_areas_import(user=user, rows=_remote_rows(form.cleaned_data["file"]))
            except ValidationError as exc:
                for m in exc.messages[:20]:
                    form.add_error(None, m)
            else:
                messages.success(request, _("%(n)s remote-area periods imported.") % {"n": n})
                return redirect("petitions:remote_areas")
    page = paginate(request, RemoteArea.objects.all())
    return render(request, "petitions/remote_areas.html", {"page": page, "form": form, "may_change": _admin(user),
                                                           "today": _today()},
                  status=400 if form.is_bound and form.errors else 200)
