"""Add (HTMX form whose fields follow the kind), delete and import the operations of a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from tinhgon.core.exports import xlsx_response

from .. import importers, services
from ..forms import MAX_SPLIT_TARGETS, OperationForm, OperationsFileForm
from .common import plan_or_404
from .plans import _import_key

MAX_SESSION_ERRORS = 2000


def _editable_plan(request, pk: int):
    plan = plan_or_404(request.user, pk)
    if not services.plan_may_edit(request.user, plan):
        raise PermissionDenied(_("Only organizers with this plan's scope may draft it."))
    return plan


def _form_context(plan, form: OperationForm) -> dict:
    rows = form.split_rows or []
    slots = max(5, len(rows) + 1)
    by_i = {r["i"]: r for r in rows}
    return {"plan": plan, "op_form": form, "max_split": MAX_SPLIT_TARGETS,
            "split_slots": range(min(slots, MAX_SPLIT_TARGETS)), "split_values": by_i}


@login_required
def operation_form(request, pk: int):
    """The fields of the add-operation form for the kind chosen (HTMX partial)."""
    plan = _editable_plan(request, pk)
    form = OperationForm(initial={"kind": request.GET.get("kind")})
    return render(request, "restructuring/partials/operation_fields.html", _form_context(plan, form))


@login_required
@require_POST
def operation_add(request, pk: int):
    plan = _editable_plan(request, pk)
    form = OperationForm(request.POST)
    if form.is_valid():
        try:
            services.operations_add(plan=plan, operations=[form.operation()], user=request.user)
        except (PermissionDenied, services.PlanRefused) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Operation added; validate the plan again."))
            url = reverse("restructuring:plan", args=[plan.pk]) + "?page=last#operations"
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    template = "restructuring/partials/operation_form.html" if request.htmx else "restructuring/operation_add.html"
    return render(request, template, _form_context(plan, form), status=200 if request.htmx else 400)


@login_required
@require_POST
def operation_delete(request, pk: int, op_pk: int):
    plan = _editable_plan(request, pk)
    op = plan.operations.filter(pk=op_pk).first()
    if op is None:
        raise Http404(_("No such operation."))
    try:
        services.operation_delete(operation=op, user=request.user)
    except (PermissionDenied, services.PlanRefused) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Operation #%(seq)s deleted.") % {"seq": op.seq})
    return redirect(reverse("restructuring:plan", args=[plan.pk]) + f"?page={request.POST.get('page', 1)}#operations")


@login_required
@require_POST
def operations_import(request, pk: int):
    plan = _editable_plan(request, pk)
    form = OperationsFileForm(request.POST, request.FILES)
    key = _import_key(plan)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(reverse("restructuring:plan", args=[plan.pk]) + "#import")
    upload = form.cleaned_data["file"]
    try:
        n = importers.operations_import_file(plan=plan, fileobj=upload, filename=upload.name, user=request.user)
    except importers.OperationRowsInvalid as exc:
        request.session[key] = {"file": upload.name, "errors": [
            {"row": e.row, "field": e.field, "message": e.message} for e in exc.errors_list[:MAX_SESSION_ERRORS]],
            "total": len(exc.errors_list)}
        messages.error(request, _("%(file)s: %(n)s errors, nothing was imported.")
                       % {"file": upload.name, "n": len(exc.errors_list)})
    except (PermissionDenied, services.PlanRefused) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        request.session.pop(key, None)
        messages.success(request, _("%(file)s: %(n)s operations added.") % {"file": upload.name, "n": n})
    return redirect(reverse("restructuring:plan", args=[plan.pk]) + "#import")


@login_required
def operations_template(request):
    return xlsx_response("tinhgon-operations-template.xlsx", importers.template_xlsx())


@login_required
def operations_import_errors(request, pk: int):
    plan = plan_or_404(request.user, pk)
    report = request.session.get(_import_key(plan))
    if not report:
        messages.info(request, _("There is no error report to download."))
        return redirect("restructuring:plan", plan.pk)
    return xlsx_response("tinhgon-operations-errors.xlsx", importers.errors_xlsx(report["errors"], report["file"]))
