"""Create and edit a person record. The edit carries ``lock_version``: when someone
else saved the record in between, the page says so, keeps what the user typed and
shows the values now in the record next to theirs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhgon.core.forms import add_service_errors
from tinhgon.core.scoping import CHANGE

from .. import selectors, services
from ..forms import CadreForm, FirstPositionForm
from ..models import Cadre
from .common import cadre_or_404, log_personal_view

GROUPS = [
    (gettext_lazy("Identity"), ["full_name", "sex", "birth_date", "birth_year", "citizen_id", "ethnicity", "religion",
                                "hometown_code", "hometown_text"]),
    (gettext_lazy("Qualifications"), ["education_level", "education_field", "political_theory", "state_management",
                                      "foreign_language", "it_certificate"]),
    (gettext_lazy("Party, rank and retirement"), ["party_admission_date", "party_official_date", "civil_service_rank",
                                                  "salary_step", "policy_salary", "insured_months",
                                                  "retirement_adjust_months",
                                                  "retirement_adjust_basis", "note"]),
]


def _groups(form) -> list[tuple[str, list]]:
    return [(title, [form[n] for n in names if n in form.fields]) for title, names in GROUPS]


def _page(request, form, *, cadre=None, first=None, conflicts=None):
    return render(request, "cadres/cadre_form.html", {
        "form": form, "groups": _groups(form), "cadre": cadre, "first": first, "conflicts": conflicts or [],
        "title": _("Edit %(name)s") % {"name": cadre.full_name} if cadre else _("New cadre record"),
        "cancel": reverse("cadres:cadre", args=[cadre.pk]) if cadre else reverse("cadres:cadre_list"),
    }, status=400 if form.is_bound and (form.errors or (first is not None and first.errors)) else 200)


@login_required
def cadre_create(request):
    user = request.user
    if not user.may(CHANGE):
        raise Http404
    form = CadreForm(request.POST or None, creating=True)
    first = FirstPositionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid() & first.is_valid():
        step = "cadre"
        try:
            with transaction.atomic():
                cadre = services.cadre_create(**form.service_fields())
                if first.given:
                    step = "assignment"
                    d = first.cleaned_data
                    services.assignment_create(cadre=cadre, unit=first.unit, title=d["title"].strip(),
                                               valid_from=d["valid_from"])
        except ValidationError as exc:
            if step == "cadre":
                add_service_errors(form, exc)
            else:
                add_service_errors(first, exc, {"unit": "unit_code"})
        else:
            messages.success(request, _("Record of %(name)s created.") % {"name": cadre.full_name})
            return redirect("cadres:cadre", cadre.pk)
    return _page(request, form, first=first)


def _conflicts(form, current: Cadre) -> list[dict]:
    """Fields whose value in the record differs from what the user submitted."""
    out = []
    for name, field in form.fields.items():
        if name == "lock_version" or name not in form.cleaned_data:
            continue
        theirs, yours = getattr(current, name), form.cleaned_data[name]
        if name == "hometown_code":
            yours = yours.code if yours else ""
        if isinstance(yours, str):
            yours, theirs = yours.strip(), (theirs or "")
        if name == "retirement_adjust_months":
            yours = yours or 0
        if theirs != yours:
            shown = dict(field.choices).get(theirs, theirs) if hasattr(field, "choices") else theirs
            mine = dict(field.choices).get(yours, yours) if hasattr(field, "choices") else yours
            out.append({"label": field.label, "theirs": shown, "yours": mine})
    return out


@login_required
def cadre_edit(request, pk: int):
    user = request.user
    cadre = cadre_or_404(user, pk, CHANGE)
    personal = selectors.may_see_personal_data(user)
    initial = {name: getattr(cadre, name) for name in CadreForm.base_fields if hasattr(cadre, name)}
    initial["lock_version"] = cadre.lock_version
    form = CadreForm(request.POST or None, initial=initial, personal=personal, creating=False)
    if request.method != "POST":
        log_personal_view(request, cadre)
        return _page(request, form, cadre=cadre)
    if not form.is_valid():
        return _page(request, form, cadre=cadre)
    try:
        updated = services.cadre_update(cadre=cadre, lock_version=form.cleaned_data.get("lock_version"),
                                        **form.service_fields())
    except ValidationError as exc:
        if "lock_version" in getattr(exc, "message_dict", {}):
            current = Cadre.objects.get(pk=cadre.pk)
            data = request.POST.copy()
            data["lock_version"] = str(current.lock_version)
            conflicts = _conflicts(form, current)
            form = CadreForm(data, initial=initial, personal=personal, creating=False)
            form.is_valid()
            for message in exc.message_dict["lock_version"]:
                form.add_error(None, message)
            return _page(request, form, cadre=current, conflicts=conflicts)
        add_service_errors(form, exc)
        return _page(request, form, cadre=cadre)
    messages.success(request, _("Record of %(name)s saved.") % {"name": updated.full_name})
    return redirect("cadres:cadre", updated.pk)
