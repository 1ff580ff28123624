"""The profile of one cadre and the HTMX forms that add to its sections.

Each section (career, planning pool, training, commendations, discipline) has an
"add" form for users who may change the record. A form posts to one view that
calls one service; with HTMX the section is swapped in place (the eligibility and
the header follow out of band), without JavaScript the page reloads. Bad input
shows the service's errors next to the fields and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.scoping import CHANGE
from tinhgon.core.views_generic import run_service

from .. import selectors, services
from ..forms import (
    AssignmentEndForm,
    AssignmentForm,
    CommendationForm,
    DisciplineForm,
    PoolEntryForm,
    PoolReviewForm,
    TrainingForm,
)
from ..models import Assignment, PoolEntry
from ..rulesets import RETIREMENT
from .common import cadre_or_404, log_personal_view, may_change, today
from .manage import PhotoForm, photo_data_uri


@dataclass(frozen=True)
class Section:
    form: type
    call: Callable[[Any, Any], Any]
    done: Any
    field_map: dict | None = None


SECTIONS: dict[str, Section] = {
    "career": Section(AssignmentForm, lambda c, f: services.assignment_create(cadre=c, **f.service_fields()),
                      gettext_lazy("Assignment recorded."), {"unit": "unit_code", "status": "pending"}),
    "pool": Section(PoolEntryForm, lambda c, f: services.pool_entry_add(cadre=c, **f.service_fields()),
                    gettext_lazy("Added to the planning pool."), {"unit": "unit_code"}),
    "training": Section(TrainingForm, lambda c, f: services.training_add(cadre=c, **f.cleaned_data),
                        gettext_lazy("Training recorded.")),
    "commendation": Section(CommendationForm, lambda c, f: services.commendation_add(cadre=c, **f.cleaned_data),
                            gettext_lazy("Commendation recorded.")),
    "discipline": Section(DisciplineForm, lambda c, f: services.discipline_add(cadre=c, **f.cleaned_data),
                          gettext_lazy("Discipline recorded.")),
}


def _timeline(cadre, on, bound=None) -> list[dict]:
    rows = []
    for a in cadre.assignments.select_related("unit", "position").order_by("-valid_from", "-id"):
        state = "current" if a.is_valid_on(on) else ("future" if a.valid_from > on else "ended")
        prefix = f"end-{a.pk}"
        rows.append({
            "a": a, "state": state, "pending": a.status == Assignment.PENDING,
            "overdue_return": a.kind == "rotation" and a.planned_return and a.planned_return < on and state == "current",
            "end_form": bound if bound is not None and bound.prefix == prefix else
            (AssignmentEndForm(prefix=prefix) if state != "ended" else None),
        })
    return rows


def _pool(cadre, bound=None) -> list[dict]:
    out = []
    for e in cadre.pool_entries.select_related("unit", "term").prefetch_related("reviews").order_by("-added_on", "-id"):
        prefix = f"review-{e.pk}"
        out.append({"e": e, "reviews": list(e.reviews.all()),
                    "review_form": bound if bound is not None and bound.prefix == prefix else
                    (PoolReviewForm(prefix=prefix) if e.status == PoolEntry.ACTIVE else None)})
    return out


def profile_context(request, cadre, *, section: str | None = None, bound=None) -> dict:
    user = request.user
    on = today()
    changeable = may_change(user, cadre)
    retirement = selectors.cadre_retirement(cadre)
    rule_set = rule_set_for(RETIREMENT, on)
    eligible, reasons = selectors.cadre_eligibility(cadre, on=on)
    add_forms = {}
    if changeable:
        for name, s in SECTIONS.items():
            add_forms[name] = bound if section == name and isinstance(bound, s.form) else s.form(user=user)
    personal = selectors.masked(cadre, user)
    return {
        "cadre": cadre, "personal": personal,
        # Called by the template only where the photo is shown (the full page, not the HTMX partials).
        "photo_src": (lambda: photo_data_uri(cadre)) if not personal["masked"] else None, "may_change": changeable, "today": on,
        "retirement": retirement, "age_years": retirement.age_months // 12, "age_months": retirement.age_months % 12,
        "rule_set": rule_set, "eligible": eligible, "reasons": reasons,
        "timeline": _timeline(cadre, on, bound), "pool": _pool(cadre, bound),
        "trainings": cadre.trainings.order_by("-start"), "commendations": cadre.commendations.order_by("-date"),
        "disciplines": cadre.disciplines.order_by("-effective_date"),
        "forms": add_forms, "open": section if bound is not None else None, "bound": bound,
        "is_party_member": bool(cadre.party_admission_date),
        "photo_form": PhotoForm() if changeable else None,
        "may_link_account": changeable and user.may("administer"),
        "initial": (cadre.full_name.split() or ["?"])[-1][:1].upper(),
        "hometown": lambda: selectors.hometown(cadre, on),  # like photo_src: only the full page asks
    }


@login_required
def cadre_detail(request, pk: int):
    cadre = cadre_or_404(request.user, pk)
    log_personal_view(request, cadre)
    return render(request, "cadres/cadre_detail.html", profile_context(request, cadre))


def _respond(request, cadre, section: str, form, ok: bool, message: str = ""):
    if ok and not request.htmx:
        messages.success(request, message)
        return redirect(f"{reverse('cadres:cadre', args=[cadre.pk])}#sec-{section}")
    cadre.refresh_from_db()
    ctx = profile_context(request, cadre, section=section, bound=None if ok else form)
    ctx.update({"section": section, "done": message if ok else ""})
    if request.htmx:
        return render(request, "cadres/partials/section_response.html", ctx)
    return render(request, "cadres/cadre_detail.html", ctx, status=400)


def _run(form, call, field_map=None) -> bool:
    """Whether the service call went through (its errors, if any, are on the form)."""
    return run_service(form, lambda: call() or True, field_map) is not None


@login_required
@require_POST
def section_add(request, pk: int, section: str):
    s = SECTIONS.get(section)
    if s is None:
        raise Http404
    cadre = cadre_or_404(request.user, pk, CHANGE)
    form = s.form(request.POST, user=request.user)
    ok = form.is_valid() and _run(form, lambda: s.call(cadre, form), s.field_map)
    return _respond(request, cadre, section, form, ok, str(s.done))


@login_required
@require_POST
def assignment_end(request, pk: int, assignment_pk: int):
    cadre = cadre_or_404(request.user, pk, CHANGE)
    assignment = cadre.assignments.filter(pk=assignment_pk).first()
    if assignment is None:
        raise Http404
    form = AssignmentEndForm(request.POST, prefix=f"end-{assignment.pk}")
    ok = form.is_valid() and _run(form, lambda: services.assignment_end(assignment=assignment,
                                                                      on=form.cleaned_data["on"]))
    return _respond(request, cadre, "career", form, ok, _("Assignment ended."))


@login_required
@require_POST
def pool_review_add(request, pk: int, entry_pk: int):
    cadre = cadre_or_404(request.user, pk, CHANGE)
    entry = cadre.pool_entries.filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    form = PoolReviewForm(request.POST, prefix=f"review-{entry.pk}")
    ok = form.is_valid() and _run(form, lambda: services.pool_review_add(entry=entry, **form.cleaned_data))
    return _respond(request, cadre, "pool", form, ok, _("Review recorded."))
