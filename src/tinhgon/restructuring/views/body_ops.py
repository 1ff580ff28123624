"""The body operations derived from a plan's territorial operations: review (accept, edit,
reject), add the accepted ones to the plan, and the Excel export of the list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhgon.core.tables import Column, Table, export_response, paginate, wants_export
from tinhgon.core.views_generic import form_page, run_service

from .. import services
from ..models import BodyOperation, Operation
from .common import plan_or_404

KIND_LABELS = dict(Operation.KINDS)
STATUS_BADGE = {BodyOperation.PROPOSED: "", BodyOperation.ACCEPTED: "ok", BodyOperation.REJECTED: "warn",
                BodyOperation.INCLUDED: "ok strong"}


def reason(b: BodyOperation) -> str:
    return b.reason_en if (get_language() or "vi").startswith("en") and b.reason_en else b.reason_vi


def target_of(b: BodyOperation) -> str:
    d = b.data or {}
    if b.kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER):
        return str(d.get("to", ""))
    if b.kind == Operation.MERGE:
        return str((d.get("target") or {}).get("code", ""))
    return str(d.get("code", ""))


class BodyOperationTable(Table):
    title = gettext_lazy("Body operations")
    columns = [
        Column("#", lambda b, t: b.seq, num=True, width=6),
        Column(gettext_lazy("Operation"), lambda b, t: KIND_LABELS.get(b.kind, b.kind), width=22),
        Column(gettext_lazy("Bodies"), lambda b, t: ", ".join(b.bodies), width=30),
        Column(gettext_lazy("Receiving unit"), lambda b, t: target_of(b), width=16),
        Column(gettext_lazy("What and why"), lambda b, t: reason(b), width=90),
        Column(pgettext_lazy("plan", "Status"), lambda b, t: b.get_status_display(), width=16),
    ]


def _editable(request, pk: int):
    plan = plan_or_404(request.user, pk)
    if not services.plan_may_edit(request.user, plan):
        raise PermissionDenied(_("Only organizers with this plan's scope may draft it."))
    return plan


@login_required
def body_operations(request, pk: int):
    plan = plan_or_404(request.user, pk)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = plan.body_operations.order_by("seq")
    if status in dict(BodyOperation.STATUSES):
        qs = qs.filter(status=status)
    if kind in KIND_LABELS:
        qs = qs.filter(kind=kind)
    table = BodyOperationTable()
    if wants_export(request):
        return export_response(table, qs.iterator(), f"co-quan-phuong-an-{plan.pk}.xlsx", request=request,
                               info=[(_("Plan"), plan.name)])
    page = paginate(request, qs, 100)
    rows = [{"b": b, "kind_label": KIND_LABELS.get(b.kind, b.kind), "reason": reason(b), "target": target_of(b),
             "badge": STATUS_BADGE.get(b.status, ""), "editable_to": b.kind in (Operation.TRANSFER_FUNCTION,
                                                                                 Operation.TRANSFER_POWER),
             "editable_name": b.kind in (Operation.RENAME, Operation.MERGE)}
            for b in page.object_list]
    counts = dict(plan.body_operations.order_by().values_list("status").annotate(n=Count("id")))
    return render(request, "restructuring/body_operations.html", {
        "plan": plan, "page": page, "rows": rows, "counts": counts, "statuses": BodyOperation.STATUSES,
        "stats": [(label, counts.get(code, 0)) for code, label in BodyOperation.STATUSES],
        "kinds": [(k, v) for k, v in Operation.KINDS if k != Operation.DISSOLVE_LEVEL],
        "filter": {"status": status, "kind": kind},
        "may_edit": services.plan_may_edit(request.user, plan) and plan.status in services.EDITABLE,
        "fields": services.body_transfer_fields(plan) if counts.get(BodyOperation.PROPOSED) or counts.get(
            BodyOperation.ACCEPTED) or counts.get(BodyOperation.REJECTED) else [],
    })


ACTIONS = {
    "derive": lambda plan, user: services.body_operations_derive(plan=plan, user=user),
    "accept-all": lambda plan, user: services.body_operations_decide_all(plan=plan, decision="accepted", user=user),
    "reject-all": lambda plan, user: services.body_operations_decide_all(plan=plan, decision="rejected", user=user),
    "include": lambda plan, user: services.body_operations_include(plan=plan, user=user),
}


@login_required
@require_POST
def body_operations_action(request, pk: int, action: str):
    plan = _editable(request, pk)
    if action == "route":  # one field's transfers to the province or the communes
        field, level = request.POST.get("function", ""), request.POST.get("to", "")
        call = lambda plan, user: services.body_operations_route_field(  # noqa: E731
            plan=plan, function=field, to=level, user=user)
    else:
        call = ACTIONS.get(action)
    if call is None:
        raise PermissionDenied
    try:
        result = call(plan, request.user)
    except services.PlanRefused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("restructuring:body_operations", plan.pk)
    n = result if isinstance(result, int) else len(result)
    if action == "derive":
        messages.success(request, _("%(n)s body operations proposed: review them, then add the accepted ones to "
                                    "the plan.") % {"n": n})
    elif action == "route":
        messages.success(request, _("%(n)s transfers of the field proposed anew, to the level chosen.") % {"n": n})
    elif action == "include":
        messages.success(request, _("%(n)s body operations added to the plan; validate it again.") % {"n": n})
        return redirect(reverse("restructuring:plan", args=[plan.pk]) + "?page=last#operations")
    else:
        messages.success(request, _("%(n)s body operations changed.") % {"n": n})
    return redirect("restructuring:body_operations", plan.pk)


@login_required
@require_POST
def body_operation_decide(request, pk: int, body_pk: int, decision: str):
    plan = _editable(request, pk)
    proposal = get_object_or_404(BodyOperation, pk=body_pk, plan=plan)
    status = {"accept": BodyOperation.ACCEPTED, "reject": BodyOperation.REJECTED,
              "reset": BodyOperation.PROPOSED}.get(decision)
    if status is None:
        raise PermissionDenied
    try:
        services.body_operation_decide(proposal=proposal, decision=status, user=request.user)
    except services.PlanRefused as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("restructuring:body_operations", args=[plan.pk]) + f"#b{proposal.pk}")


class BodyOperationForm(forms.Form):
    to = forms.CharField(label=gettext_lazy("Receiving unit (code)"), max_length=40, required=False,
                         help_text=gettext_lazy("A unit of the province or the commune level once the plan applies."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)


@login_required
def body_operation_edit(request, pk: int, body_pk: int):
    plan = _editable(request, pk)
    proposal = get_object_or_404(BodyOperation, pk=body_pk, plan=plan)
    transfer = proposal.kind in (Operation.TRANSFER_FUNCTION, Operation.TRANSFER_POWER)
    data = proposal.data or {}
    initial = {"to": data.get("to", "")} if transfer else {
        "name": data.get("name") or (data.get("target") or {}).get("name", "")}
    form = BodyOperationForm(request.POST or None, initial=initial)
    form.fields.pop("name" if transfer else "to")
    back = reverse("restructuring:body_operations", args=[plan.pk])
    if request.method == "POST" and form.is_valid():
        kwargs = {"to": form.cleaned_data["to"]} if transfer else {"name": form.cleaned_data["name"]}
        done = run_service(form, lambda: services.body_operation_edit(proposal=proposal, user=request.user,
                                                                      **kwargs))
        if done is not None:
            messages.success(request, _("Body operation #%(seq)s changed.") % {"seq": proposal.seq})
            return redirect(back + f"#b{proposal.pk}")
    return form_page(request, form, title=_("Change body operation #%(seq)s") % {"seq": proposal.seq},
                     cancel=back, intro=reason(proposal))
