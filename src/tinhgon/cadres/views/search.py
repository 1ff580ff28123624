"""The multi-criteria search with Excel export and the user's saved searches.

The criteria are parsed by :class:`~tinhgon.cadres.filtersets.CadreFilterSet`
(shared with the API) and run by :func:`selectors.cadre_search` (scoped)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinhgon.core import jobs
from tinhgon.core.forms import DateInput, add_service_errors
from tinhgon.core.pagination import capped_page
from tinhgon.core.tables import PAGE_SIZE
from tinhgon.core.views_jobs import job_start_response

from .. import export_job, selectors, services
from ..filtersets import PARAMS, CadreFilterSet
from ..forms import SavedSearchForm
from ..models import EDUCATION_LEVELS, POLITICAL_THEORY, SEXES, STATE_MANAGEMENT, Cadre, SavedSearch
from ..tables import CadreTable

PLACEHOLDERS = {"q": gettext_lazy("e.g. nguyen thi lan"), "pool_title": gettext_lazy("e.g. phó chủ tịch"),
                "pool_term": "2026-2031", "within": gettext_lazy("e.g. 01")}


def search_filterset(request, data) -> CadreFilterSet:
    fs = CadreFilterSet(data or None, queryset=Cadre.objects.none(), request=request)
    f = fs.form.fields
    f["party_member"].widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
    f["on"].widget = DateInput()
    f["on"].label = _("Ages and retirement as of")
    f["q"].widget.input_type = "search"
    f["sex"].empty_label = _("Any")
    f["sex"].choices = SEXES
    for name, levels in (("education_min", EDUCATION_LEVELS), ("political_theory_min", POLITICAL_THEORY),
                         ("state_management_min", STATE_MANAGEMENT)):
        f[name].empty_label = _("Any")
        f[name].choices = [(str(v), label) for v, label in levels if v]  # "at least the lowest" is no criterion
    for name, text in PLACEHOLDERS.items():
        f[name].widget.attrs["placeholder"] = text
    return fs


def criteria_of(data) -> dict[str, str]:
    """The criteria given, as raw strings (what the URL carries and a saved search keeps)."""
    return {k: str(data.get(k)).strip() for k in PARAMS if str(data.get(k) or "").strip()}


def summary_of(fs: CadreFilterSet, criteria: dict) -> list[tuple[str, str]]:
    out = []
    for name, raw in criteria.items():
        field = fs.form.fields[name]
        choices = dict((str(k), v) for k, v in getattr(field.widget, "choices", []) or [])
        out.append((str(field.label), str(choices.get(raw, raw))))
    return out


def _search(request, data):
    fs = search_filterset(request, data)
    if not fs.is_bound:
        query = selectors.CadreQuery()
    elif fs.is_valid():
        query = fs.query()
    else:
        return fs, Cadre.objects.none()
    # The selector orders by name (on PostgreSQL in a way its trigram index can serve): keep it.
    return fs, selectors.cadre_search(request.user, query).select_related("unit")


def _saved(user, criteria: dict) -> list[dict]:
    return [{"obj": s, "query": urlencode(s.params), "active": s.params == criteria}
            for s in SavedSearch.objects.filter(user=user).order_by("name")]


@login_required
def cadre_list(request):
    user = request.user
    criteria = criteria_of(request.GET)
    fs, qs = _search(request, criteria)
    summary = summary_of(fs, criteria)
    if request.GET.get("export") in export_job.FORMATS:
        # A background job (any size, memory flat); the job's page shows the progress and the file.
        try:
            params = export_job.export_params(criteria, request.GET["export"], path=request.get_full_path())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(f"{reverse('cadres:cadre_list')}?{urlencode(criteria)}")
        job = jobs.job_start(kind=export_job.KIND, user=user, params=params,
                             label=export_job.export_label(criteria, params["format"]))
        return job_start_response(request, job)
    table = CadreTable(user)
    page = capped_page(request, qs, PAGE_SIZE)  # "more than 1,000" unless asked for the exact count
    return render(request, "cadres/cadre_list.html", {
        "form": fs.form, "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "criteria": criteria, "summary": summary, "saved": _saved(user, criteria),
        "may_create": user.may("change"), "personal": selectors.may_see_personal_data(user),
    })


@login_required
@require_POST
def saved_search_create(request):
    """Save the criteria posted with the name (the current search) for this user."""
    user = request.user
    criteria = criteria_of(request.POST)
    fs = search_filterset(request, criteria)
    save_form = SavedSearchForm(request.POST)
    if not criteria:
        save_form.add_error(None, _("Give at least one criterion."))
    elif fs.is_valid() and save_form.is_valid():
        try:
            saved = services.saved_search_save(user=user, name=save_form.cleaned_data["name"], params=criteria)
        except ValidationError as exc:
            add_service_errors(save_form, exc)
        else:
            messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
            return redirect(f"{reverse('cadres:cadre_list')}?{urlencode(saved.params)}")
    errors = [e for form in (fs.form, save_form) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, _("The search was not saved: %(errors)s") % {"errors": " ".join(errors)})
    return redirect(f"{reverse('cadres:cadre_list')}?{urlencode(criteria)}")


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    name = saved.name
    services.saved_search_delete(saved_search=saved)
    messages.success(request, _("Search “%(name)s” deleted.") % {"name": name})
    return redirect("cadres:cadre_list")
