"""Plan list, new plan, plan page (header, workflow, operations, violations)."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from tinhgon.core.exports import workbook_bytes, xlsx_response
from tinhgon.core.tables import paginate
from tinhgon.core.views_jobs import job_in_query

from .. import jobs, selectors, services
from ..filtersets import SEVERITIES, PlanFilterSet, filter_violations
from ..forms import MAX_SPLIT_TARGETS, OperationForm, OperationsFileForm, PlanForm
from ..models import Operation, Plan
from .common import message_of, permissions, plan_or_404, plans, summarize

STATUS_BADGE = {Plan.DRAFT: "", Plan.VALIDATED: "info", Plan.APPROVED: "ok", Plan.APPLIED: "ok strong",
                Plan.REVERTED: "warn"}


@login_required
def plan_list(request):
    fs = PlanFilterSet(request.GET or None, queryset=plans(request.user))
    qs = (fs.qs if fs.is_bound and fs.is_valid() else plans(request.user)).order_by("-effective_date", "-id")
    if request.GET.get("export") == "xlsx":
        rows = ((p.pk, p.name, p.get_status_display(), p.effective_date, p.legal_basis, p.n_operations,
                 sum(1 for v in p.violations if v.get("severity") == "error"), p.standard_rule_set or "",
                 p.scope_path or _("national")) for p in qs)
        return xlsx_response("phuong-an-sap-xep.xlsx", workbook_bytes(
            _("Plans"), [_("ID"), _("Name"), pgettext("plan", "Status"), _("Effective date"), _("Legal basis"), _("Operations"),
                         _("Errors"), _("Unit standard"), _("Scope")], rows,
            info=[(_("Exported by"), request.user.get_username())], widths=[6, 60, 12, 14, 30, 12, 10, 28, 20]))
    page = paginate(request, qs)
    for p in page.object_list:
        p.badge = STATUS_BADGE.get(p.status, "")
        p.n_errors = sum(1 for v in p.violations if v.get("severity") == "error")
    return render(request, "restructuring/plan_list.html", {
        "filter": fs, "page": page, "may_plan": request.user.may("plan"),
    })


@login_required
def plan_create(request):
    if not request.user.may("plan"):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(**form.service_kwargs(), user=request.user)
        except PermissionDenied as exc:
            form.add_error("scope_code", str(exc) or _("You may not draft a plan in this scope."))
        except ValidationError as exc:
            for m in exc.messages:
                form.add_error(None, m)
        else:
            messages.success(request, _("Plan “%(name)s” drafted. Add its operations.") % {"name": plan.name})
            return redirect("restructuring:plan", plan.pk)
    return render(request, "restructuring/plan_form.html", {
        "form": form, "title": _("New restructuring plan"), "submit": _("Draft the plan"),
        "cancel": reverse("restructuring:plan_list"),
        "intro": _("A plan groups the operations that take effect on one date. After drafting it, add its "
                   "operations one by one or import them from a file, then validate it."),
    })


def _violation_context(request, plan: Plan) -> dict:
    code, severity, q = request.GET.get("vcode", ""), request.GET.get("vseverity", ""), request.GET.get("vq", "")
    readable, hidden = selectors.plan_findings(plan, user=request.user)
    found = filter_violations(readable, code=code, severity=severity, q=q)
    page = paginate(request, found, 50, "vpage")
    labels = dict(SEVERITIES)
    rows = [{**v, "message": message_of(v), "severity_label": labels.get(v.get("severity"), v.get("severity"))}
            for v in page.object_list]
    counts = Counter(v.get("severity") for v in readable)
    return {
        "violations_page": page, "violation_rows": rows, "violations_hidden": hidden,
        "violation_codes": sorted(Counter(v.get("code") for v in readable).items()),
        "violation_counts": counts, "severities": SEVERITIES,
        "vfilter": {"vcode": code, "vseverity": severity, "vq": q},
    }


@login_required
def plan_detail(request, pk: int):
    plan = plan_or_404(request.user, pk)
    ops_page = paginate(request, plan.operations.order_by("seq").only("id", "seq", "kind", "data", "plan_id"))
    kinds = dict(Operation.KINDS)
    by_kind = [(kinds.get(k, k), n) for k, n in
               plan.operations.values_list("kind").annotate(n=Count("id")).order_by("kind")]
    perms = permissions(request.user, plan)
    ctx = {
        "plan": plan, "badge": STATUS_BADGE.get(plan.status, ""), **perms,
        "status_index": [c for c, _label in Plan.STATUSES].index(plan.status),
        "ops_page": ops_page, "op_rows": summarize(list(ops_page.object_list), plan.effective_date),
        "by_kind": by_kind, "n_operations": ops_page.paginator.count,
        **_violation_context(request, plan),
    }
    if perms["may_edit"]:
        ctx["op_form"] = OperationForm(initial={"kind": request.GET.get("kind") or Operation.MERGE})
        ctx["split_slots"] = range(5)
        ctx["max_split"] = MAX_SPLIT_TARGETS
        ctx["file_form"] = OperationsFileForm()
    ctx["import_errors"] = request.session.get(_import_key(plan))
    job = job_in_query(request)
    ctx["job"] = job if job is not None and job.params.get("plan") == plan.pk else None
    return render(request, "restructuring/plan_detail.html", ctx)


def _import_key(plan: Plan) -> str:
    return f"restructuring_import_errors_{plan.pk}"


ACTIONS = {
    "validate": services.plan_validate, "approve": services.plan_approve,
    "apply": services.plan_apply, "revert": services.plan_revert,
}


@login_required
@require_POST
def plan_transition(request, pk: int, action: str):
    """One workflow button: one service call, its outcome as a message.

    A user whose role or scope does not allow the step gets 403, as from the API and the
    operation pages (the button is not shown to them); a refusal of the plan itself
    (its status, its violations) comes back as a message on the plan page.
    """
    plan = plan_or_404(request.user, pk)
    service = ACTIONS.get(action)
    if service is None:
        raise PermissionDenied
    if action in jobs.BACKGROUND and jobs.in_background(plan):
        allowed = services.plan_may_edit if action == "validate" else services.plan_may_apply
        if not allowed(request.user, plan):
            raise PermissionDenied
        job = jobs.start(plan=plan, action=action, user=request.user)
        messages.info(request, _("The plan is being %(what)s in the background; this page shows its progress.")
                      % {"what": jobs.doing(action)})
        return redirect(f"{reverse('restructuring:plan', args=[plan.pk])}?job={job.pk}")
    try:
        result = service(plan=plan, user=request.user)
    except services.PlanRefused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        plan.refresh_from_db()
        if action == "validate":
            errors = sum(1 for v in result if v["severity"] == "error")
            if errors:
                messages.warning(request, _("Validation found %(e)s errors among %(n)s findings; the plan stays a "
                                            "draft.") % {"e": errors, "n": len(result)})
            else:
                messages.success(request, _("The plan is valid (%(n)s findings, no error); it may now be "
                                            "approved.") % {"n": len(result)})
        elif action == "approve":
            messages.success(request, _("The plan is approved; it may now be applied."))
        elif action == "apply":
            messages.success(request, _("The plan is applied: %(ended)s versions ended, %(created)s created.")
                             % {"ended": len(result.ended), "created": len(result.created)})
        else:
            messages.success(request, _("The plan is reverted: the apparatus is as it was before."))
    return redirect("restructuring:plan", plan.pk)


@login_required
def violations_export(request, pk: int):
    plan = plan_or_404(request.user, pk)
    g = request.GET
    readable, _hidden = selectors.plan_findings(plan, user=request.user)
    found = filter_violations(readable, code=g.get("vcode", ""), severity=g.get("vseverity", ""),
                              q=g.get("vq", ""))
    labels = dict(SEVERITIES)
    rows = ((str(labels.get(v.get("severity"), v.get("severity"))), v.get("code"), ", ".join(v.get("units", [])),
             v.get("op"), message_of(v)) for v in found)
    return xlsx_response(f"vi-pham-phuong-an-{plan.pk}.xlsx", workbook_bytes(
        _("Violations"), [_("Severity"), _("Code"), _("Units"), _("Operation"), pgettext("finding", "Message")], rows,
        info=[(_("Plan"), plan.name), (_("Validated at"), str(plan.validated_at or "")),
              (_("Exported by"), request.user.get_username())],
        widths=[10, 18, 24, 10, 110]))
