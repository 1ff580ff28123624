"""Pages of placement: the rounds per province with their progress, a round (its units, the
decision, the log), the board of a unit (posts × candidates, pin/exclude/swap), the surplus with
the policy estimates, the report; Excel of each."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhgon.core.exports import workbook_bytes, xlsx_response
from tinhgon.core.scoping import require_scope, restrict
from tinhgon.core.tables import fmt_number, paginate, wants_export

from . import jobs, selectors, services
from .models import Candidate, Round, RoundEvent, RoundUnit, Slot


def _labels():
    return {
        "months_early": _("salary × months retired early × window factor"),
        "per_year_early": _("months per year retired early × salary × years"),
        "insured_years": _("months for the insured years × salary"),
        "severance_service": _("window factor × salary × months of service (at most 60)"),
        "severance_insured": _("1.5 × salary × insured years"),
        "severance_extra": _("3 months' salary"),
        "missing": {"salary": _("salary"), "insured_months": _("insured months"), "retirement": _("retirement date")},
        "notes": {"window_passed": _("after the 12-month window: the lower factor"),
                  "insured_short": _("not enough insured years for the insured-years part"),
                  "not_open": _("not open to this person")},
    }


def _require(user, action: str) -> None:
    if not user.may(action):
        raise Http404


def _round(user, pk: int, action: str = "view") -> Round:
    return get_object_or_404(selectors.rounds_visible(user, action), pk=pk)


def _back(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


def _int(value) -> int:
    try:
        return max(0, min(int(value), 2**62))
    except (TypeError, ValueError):
        return 0


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None


# Rounds ----------------------------------------------------------------------------------


def _waiting(user) -> list[dict]:
    """Per applied plan and province: how many cadres wait for placement, and the round if any."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.models import Assignment
    from tinhgon.core.dated import valid_on
    from tinhgon.restructuring.models import Plan

    out = []
    for plan in Plan.objects.filter(status=Plan.APPLIED).order_by("-effective_date"):
        qs = restrict(Assignment.objects.filter(status=Assignment.PENDING, valid_from=plan.effective_date,
                                                is_primary=True), user)
        counts = dict(qs.annotate(prov=Substr("unit__path", 1, 3)).values_list("prov").annotate(n=Count("id"))
                      .order_by())
        if not counts:
            continue
        provinces = {u.path: u for u in Unit.objects.filter(valid_on(plan.effective_date), path__in=list(counts),
                                                            level__code="province")}
        rounds = {r.scope_path: r for r in Round.objects.filter(plan=plan).order_by("id")}
        for path, n in sorted(counts.items()):
            if path in provinces:
                out.append({"plan": plan, "province": provinces[path], "waiting": n, "round": rounds.get(path)})
    return out


@login_required
def round_list(request):
    user = request.user
    rounds = list(selectors.rounds_visible(user).order_by("-id"))
    progress = {r.pk: selectors.round_progress(r) for r in rounds[:100]}
    if wants_export(request):
        head = [_("Round"), _("Plan"), _("Scope"), _("Status"), _("Candidates"), _("Placed"), _("Surplus decided"),
                _("Pending"), _("Undecided"), _("Progress (%)")]
        rows = [[r.name, r.plan.name, r.scope_unit.name if r.scope_unit else _("whole country"),
                 r.get_status_display(), p["total"], p["placed"], p["decided"], p["pending"], p["undecided"],
                 p["percent"]] for r in rounds[:100] for p in [progress[r.pk]]]
        return xlsx_response("dot-bo-tri.xlsx", workbook_bytes(_("Placement rounds"), head, rows,
                                                                info=[(_("Exported by"), user.get_username())]))
    from tinhgon.restructuring.models import Plan

    plans = Plan.objects.exclude(status=Plan.REVERTED).order_by("-effective_date", "-id")[:50]
    return render(request, "placement/round_list.html", {
        "rounds": [(r, progress.get(r.pk)) for r in rounds[:100]], "waiting": _waiting(user), "plans": plans,
        "may_change": user.may("change")})


@login_required
@require_POST
def round_create(request):
    from tinhgon.apparatus.selectors import unit_for_code
    from tinhgon.restructuring.models import Plan

    user = request.user
    _require(user, "change")
    plan = Plan.objects.filter(pk=_int(request.POST.get("plan"))).first()
    if plan is None:
        messages.error(request, _("Choose a plan."))
        return redirect("placement:round_list")
    code = (request.POST.get("scope") or "").strip()
    scope = None
    if code:
        scope = unit_for_code(code, plan.effective_date)
        if scope is None:
            messages.error(request, _("No unit has the code %(code)s.") % {"code": code})
            return redirect("placement:round_list")
    elif not user.is_unrestricted:
        messages.error(request, _("Choose a province in your scope."))
        return redirect("placement:round_list")
    leave = _date(request.POST.get("leave_date"))
    if request.POST.get("leave_date") and leave is None:
        messages.error(request, _("The leaving date is not a date."))
        return redirect("placement:round_list")
    try:
        if jobs.in_background(scope):
            from tinhgon.core.views_jobs import job_start_response

            require_scope(user, [scope.path if scope else ""], "change")
            job = jobs.start(plan=plan, scope_unit=scope, user=user, leave_date=leave)
            messages.info(request, _("The round is being prepared in the background."))
            return job_start_response(request, job)
        rnd = services.round_create(plan=plan, scope_unit=scope, user=user, leave_date=leave)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("placement:round_list")
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return redirect("placement:round_list")
    messages.success(request, _("Round created and a proposal computed: %(placed)s of %(n)s placed.")
                     % {"placed": rnd.stats.get("placed"), "n": rnd.stats.get("candidates")})
    return redirect("placement:round", rnd.pk)


@login_required
def round_detail(request, pk: int):
    user = request.user
    rnd = _round(user, pk)
    units = list(RoundUnit.objects.filter(round=rnd).order_by("path"))
    seats = dict(Slot.objects.filter(round_unit__round=rnd).values_list("round_unit_id")
                 .annotate(n=selectors._sum_count()).order_by())
    cands = dict(RoundUnit.objects.filter(round=rnd).values_list("id").annotate(n=Count("candidacies")).order_by())
    placed = dict(Candidate.objects.filter(round=rnd, slot__isnull=False).values_list("slot__round_unit_id")
                  .annotate(n=Count("id")).order_by())
    rows = [{"u": u, "seats": seats.get(u.pk, 0), "candidates": cands.get(u.pk, 0), "placed": placed.get(u.pk, 0),
             "vacant": seats.get(u.pk, 0) - placed.get(u.pk, 0)} for u in units]
    if wants_export(request):
        head = [_("Code"), _("New unit"), _("Group"), _("Predecessors"), _("Seats"), _("Candidates"), _("Placed"),
                _("Vacant")]
        data = [[r["u"].code, r["u"].name, r["u"].group, "; ".join(p[1] for p in r["u"].predecessors), r["seats"],
                 r["candidates"], r["placed"], r["vacant"]] for r in rows]
        return xlsx_response(f"dot-bo-tri-{rnd.pk}-don-vi.xlsx", workbook_bytes(
            _("Units"), head, data, info=[(_("Round"), rnd.name), (_("Exported by"), user.get_username())]))
    q = (request.GET.get("q") or "").strip()
    if q:
        from tinhgon.core.text import fold

        rows = [r for r in rows if fold(q) in fold(r["u"].name) or q in r["u"].code]
    return render(request, "placement/round_detail.html", {
        "r": rnd, "p": selectors.round_progress(rnd), "rows": rows, "q": q,
        "events": RoundEvent.objects.filter(round=rnd).select_related("user", "candidate__cadre")[:30],
        "may_change": services.may(user, rnd, "change"), "may_approve": services.may(user, rnd, "approve"),
        "lost": services.round_unaccounted(rnd)[:10] if rnd.status == Round.APPLIED else []})


@login_required
@require_POST
def round_solve(request, pk: int):
    user = request.user
    rnd = _round(user, pk, "change")
    try:
        rnd = services.round_solve(round=rnd, user=user)
        messages.success(request, _("Proposal recomputed around the pins: %(placed)s placed by the solver in %(s)s s.")
                         % {"placed": rnd.stats.get("placed"), "s": rnd.stats.get("seconds")})
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(_back(request, reverse("placement:round", args=[rnd.pk])))


@login_required
@require_POST
def round_decide(request, pk: int, action: str):
    user = request.user
    rnd = _round(user, pk, "approve")
    d = request.POST
    try:
        if action == "approve":
            services.round_approve(round=rnd, decision_number=d.get("decision_number", ""),
                                   decision_date=_date(d.get("decision_date")),
                                   decision_issuer=d.get("decision_issuer", ""), user=user)
            messages.success(request, _("Round approved."))
        elif action == "reopen":
            services.round_reopen(round=rnd, reason=d.get("reason", ""), user=user)
            messages.success(request, _("Round reopened."))
        elif action == "apply":
            services.round_apply(round=rnd, user=user)
            messages.success(request, _("Round applied: the assignments are written."))
        elif action == "close":
            services.round_close(round=rnd, user=user)
            messages.success(request, _("Round closed: nobody is lost."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("placement:round", rnd.pk)


# The board of a unit ----------------------------------------------------------------------


@login_required
def unit_board(request, pk: int):
    user = request.user
    ru = get_object_or_404(restrict(RoundUnit.objects.all(), user), pk=pk)
    rnd = _round(user, ru.round_id)
    ru.round = rnd
    board = selectors.unit_board(ru)
    assessment = board.facts.assessment
    if wants_export(request):
        head = [_("Full name"), _("From"), _("Previous title"), _("Assessment"), _("Retirement"), _("Proposed post"),
                _("Merit"), _("Pinned"), _("Reason")] + [s.title for s in board.slots]
        data = []
        for c in board.candidates:
            cells = [board.cells[(c.pk, s.pk)] for s in board.slots]
            data.append([c.cadre.full_name, c.from_unit.name, c.from_title,
                         (assessment.get(c.cadre_id) or {}).get("level", ""), board.facts.retirement.get(c.cadre_id),
                         c.slot.title if c.slot_id else "", c.score, _("yes") if c.pinned else "",
                         c.reason] + [x.score if x.eligible else "—" for x in cells])
        return xlsx_response(f"bo-tri-{ru.code}.xlsx", workbook_bytes(
            ru.name, head, data, info=[(_("Round"), rnd.name), (_("Exported by"), user.get_username())]))
    filt = request.GET.get("show", "")
    rows = []
    for c in board.candidates:
        if filt == "placed" and not c.slot_id or filt == "unplaced" and c.slot_id:
            continue
        rows.append({"c": c, "cells": [(s, board.cells[(c.pk, s.pk)]) for s in board.slots],
                     "assessment": assessment.get(c.cadre_id), "retire": board.facts.retirement.get(c.cadre_id),
                     "elsewhere": board.elsewhere.get(c.pk),
                     "disciplined": board.facts.discipline.get(c.cadre_id)})
    from tinhgon.core.rulesets import rule_set_for

    from .rulesets import MERIT

    rs = rule_set_for(MERIT, rnd.as_of, rnd.merit_rule_set or None)
    return render(request, "placement/unit_board.html", {
        "r": rnd, "u": ru, "slots": [(s, board.holders.get(s.pk, [])) for s in board.slots], "rows": rows,
        "show": filt, "rule_set": rs, "weights": rs.parameters["weights"],
        "may_change": services.may(user, rnd, "change") and rnd.status in services.EDITABLE,
        "placed_here": [c for c in board.candidates if c.slot_id and c.slot.round_unit_id == ru.pk],
        "units": RoundUnit.objects.filter(round=rnd).order_by("path").values_list("pk", "name")})


@login_required
@require_POST
def candidate_act(request, pk: int, action: str):
    user = request.user
    c = get_object_or_404(restrict(Candidate.objects.select_related("round"), user, "change"), pk=pk)
    _round(user, c.round_id, "change")
    d = request.POST
    try:
        if action == "pin":
            slot = Slot.objects.filter(round_unit__round=c.round_id, pk=_int(d.get("slot"))).first()
            if slot is None:
                raise ValidationError({"slot": [_("Choose a post of this round.")]})
            services.candidate_pin(candidate=c, slot=slot, reason=d.get("reason", ""),
                                   override_reason=d.get("override_reason", ""), user=user)
            messages.success(request, _("Pinned."))
        elif action == "unpin":
            services.candidate_unpin(candidate=c, reason=d.get("reason", ""), user=user)
            messages.success(request, _("Unpinned."))
        elif action == "exclude":
            services.candidate_exclude(candidate=c, reason=d.get("reason", ""), user=user)
            messages.success(request, _("Excluded from the proposal."))
        elif action == "include":
            services.candidate_include(candidate=c, reason=d.get("reason", ""), user=user)
            messages.success(request, _("Included again."))
        elif action == "swap":
            other = restrict(Candidate.objects.filter(round=c.round_id), user, "change").filter(
                pk=_int(d.get("other"))).first()
            if other is None:
                raise ValidationError({"other": [_("Choose the other person.")]})
            services.candidates_swap(first=c, second=other, reason=d.get("reason", ""),
                                     override_reason=d.get("override_reason", ""), user=user)
            messages.success(request, _("Swapped."))
        elif action == "surplus":
            from tinhgon.apparatus.models import Unit

            unit = None
            if d.get("transfer_unit"):
                ru = RoundUnit.objects.filter(round=c.round_id, pk=_int(d.get("transfer_unit"))).first()
                unit = Unit.objects.filter(pk=ru.unit_id).first() if ru and ru.unit_id else None
            services.candidate_decide_surplus(candidate=c, option=d.get("option", ""),
                                              decision_number=d.get("decision_number", ""),
                                              decision_date=_date(d.get("decision_date")), transfer_unit=unit,
                                              reason=d.get("reason", ""), user=user)
            messages.success(request, _("Decision recorded."))
        elif action == "pending":
            services.candidate_keep_pending(candidate=c, reason=d.get("reason", ""), user=user)
            messages.success(request, _("Kept pending."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(_back(request, reverse("placement:round", args=[c.round_id])))


@login_required
@require_POST
def slot_count(request, pk: int):
    user = request.user
    s = get_object_or_404(restrict(Slot.objects.select_related("round_unit"), user, "change"), pk=pk)
    _round(user, s.round_unit.round_id, "change")
    try:
        count = int(request.POST.get("count", ""))
    except ValueError:
        count = -1
    try:
        services.slot_set_count(slot=s, count=count, reason=request.POST.get("reason", ""), user=user)
        messages.success(request, _("Post count changed."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(_back(request, reverse("placement:unit_board", args=[s.round_unit_id])))


# Surplus and report -----------------------------------------------------------------------


def _estimate_text(e, labels) -> str:
    if e.missing:
        return _("missing: %(what)s") % {"what": ", ".join(str(labels["missing"][m]) for m in e.missing)}
    if e.amount is None:
        return _("not open")
    return f"{fmt_number(e.amount)} ₫ = {e.formula}"


@login_required
def surplus(request, pk: int):
    user = request.user
    rnd = _round(user, pk)
    qs = restrict(selectors.surplus_candidates(rnd), user)
    show = request.GET.get("show", "")
    if show == "undecided":
        qs = qs.filter(surplus_decision="", pending_reason="")
    elif show == "decided":
        qs = qs.exclude(surplus_decision="")
    elif show == "pending":
        qs = qs.exclude(pending_reason="")
    labels = _labels()
    options = dict(Candidate.OPTIONS)
    if wants_export(request):
        head = [_("Full name"), _("From"), _("Previous title"), _("Retirement date"), _("Months before the age"),
                _("Salary (VND)"), _("Insured months"), _("Options"), _("Estimates (VND) and formula"),
                _("Nearest vacancies"), _("Decision"), _("Pending reason")]
        data = []
        for row in selectors.surplus_rows(rnd, list(qs)):
            c = row.candidate
            data.append([c.cadre.full_name, c.from_unit.name, c.from_title, row.retirement_date, row.months_early,
                         c.cadre.policy_salary, c.cadre.insured_months,
                         "; ".join(str(options.get(o, _("Statutory retirement"))) for o in row.options),
                         "\n".join(f"{options[e.option]}: {_estimate_text(e, labels)}" for e in row.estimates),
                         "; ".join(f"{u.name} ({n})" for u, n, _d in row.transfers),
                         f"{c.get_surplus_option_display()} {c.surplus_decision}".strip(), c.pending_reason])
        return xlsx_response(f"dot-bo-tri-{rnd.pk}-doi-du.xlsx", workbook_bytes(
            _("Surplus"), head, data, info=[(_("Round"), rnd.name), (_("Policy rule set"), rnd.policy_rule_set),
                                            (_("Leaving date"), rnd.leave_date.isoformat()),
                                            (_("Exported by"), user.get_username())]))
    page = paginate(request, qs, size=25)
    rows = selectors.surplus_rows(rnd, list(page.object_list))
    for row in rows:
        row.salary_text = fmt_number(row.candidate.cadre.policy_salary)
        row.estimate_texts = [(options[e.option], e, fmt_number(e.amount),
                               [(labels.get(p.key, p.key), p) for p in e.parts],
                               [labels["notes"].get(n, n) for n in e.notes]) for e in row.estimates]
    return render(request, "placement/surplus.html", {
        "r": rnd, "page": page, "rows": rows, "show": show, "options": Candidate.OPTIONS,
        "p": selectors.round_progress(rnd), "may_change": services.may(user, rnd, "change")
        and rnd.status != Round.CLOSED})


@login_required
def report(request, pk: int):
    user = request.user
    rnd = _round(user, pk)
    rep = selectors.round_report(rnd)
    options = dict(Candidate.OPTIONS)
    if wants_export(request):
        head = [_("Code"), _("New unit"), _("Seats"), _("Placed"), _("Payroll quota")]
        data = [[r["unit"].code, r["unit"].name, r["seats"], r["placed"], r["quota"]] for r in rep["units"]]
        p = rep["progress"]
        info = [(_("Round"), rnd.name), (_("Candidates"), str(p["total"])), (_("Placed"), str(p["placed"])),
                (_("Surplus"), str(p["surplus"])), (_("Pending with a reason"), str(p["pending"])),
                *[(str(options.get(k, k)), str(n)) for k, n in rep["by_option"].items()],
                (_("Estimated cost of the decided policies (VND)"), str(rep["cost"]["decided"])),
                (_("Exported by"), user.get_username())]
        return xlsx_response(f"dot-bo-tri-{rnd.pk}-bao-cao.xlsx", workbook_bytes(_("Report"), head, data, info=info))
    by_option = [(options.get(k, k), n) for k, n in sorted(rep["by_option"].items())]
    return render(request, "placement/report.html", {"r": rnd, "rep": rep, "by_option": by_option})

