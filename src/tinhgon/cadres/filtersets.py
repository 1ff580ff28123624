"""The cadre search criteria as query parameters, shared by the web list and the API.

:class:`CadreFilterSet` validates the parameters and turns them into a
:class:`tinhgon.cadres.selectors.CadreQuery`; the search itself (scoping included)
is :func:`tinhgon.cadres.selectors.cadre_search`.  Web pages use::

    fs = CadreFilterSet(request.GET, request=request)
    if fs.is_valid():
        cadres = cadre_search(request.user, fs.query())

and the API lets django-filter's backend call :meth:`CadreFilterSet.filter_queryset`.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tinhgon.core.filters import FilterSet

from .models import EDUCATION_LEVELS, POLITICAL_THEORY, SEXES, STATE_MANAGEMENT, Cadre
from .selectors import CadreQuery, cadre_search

PARAMS = ("q", "sex", "age_from", "age_under", "education_min", "political_theory_min", "state_management_min",
          "pool_title", "pool_term", "within", "party_member", "retiring_within_months", "on")


def unit_path_for_code(code: str, on: dt.date | None = None) -> str | None:
    """The path of the version of unit ``code`` valid on ``on`` (today), else of its latest version."""
    from tinhgon.apparatus.selectors import unit_for_code

    unit = unit_for_code(code, on or dt.date.today())
    return unit.path if unit else None


class _LevelChoiceFilter(django_filters.ChoiceFilter):
    """An ordered level given by its number ("or higher"); the filtering is done by the selector."""

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, choices=[(str(v), label) for v, label in choices], method="_none", **kwargs)


class CadreFilterSet(FilterSet):
    q = django_filters.CharFilter(method="_none", label=_("Name (accents optional)"))
    sex = django_filters.ChoiceFilter(choices=SEXES, method="_none", label=_("Sex"))
    age_from = django_filters.NumberFilter(method="_none", label=_("Age at least"),
                                           min_value=0, max_value=120)
    age_under = django_filters.NumberFilter(method="_none", label=_("Age under"), min_value=1, max_value=120)
    education_min = _LevelChoiceFilter(choices=EDUCATION_LEVELS, label=_("Education at least"))
    political_theory_min = _LevelChoiceFilter(choices=POLITICAL_THEORY, label=_("Political theory at least"))
    state_management_min = _LevelChoiceFilter(choices=STATE_MANAGEMENT, label=_("State management at least"))
    pool_title = django_filters.CharFilter(method="_none", label=_("In the planning pool for (title)"))
    pool_term = django_filters.CharFilter(method="_none", label=_("Planning term (e.g. 2026-2031)"))
    within = django_filters.CharFilter(method="_none", label=_("Inside the unit with this code"))
    party_member = django_filters.BooleanFilter(method="_none", label=_("Party member"))
    retiring_within_months = django_filters.NumberFilter(
        method="_none", label=_("Retiring within (months)"), min_value=0, max_value=600)
    on = django_filters.DateFilter(method="_none", label=_("On (YYYY-MM-DD; default today)"))

    class Meta:
        model = Cadre
        fields = list(PARAMS)

    def _none(self, queryset, name, value):  # every criterion is applied by query()
        return queryset

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid:
            code = self.form.cleaned_data.get("within")
            if code and unit_path_for_code(code, self.form.cleaned_data.get("on")) is None:
                self.form.add_error("within", forms.ValidationError(
                    _("Unknown unit code %(code)s.") % {"code": code}))
                return False
        return valid

    def query(self) -> CadreQuery:
        """The criteria as a :class:`CadreQuery` (call after :meth:`is_valid`)."""
        data = self.form.cleaned_data
        on = data.get("on")

        def number(name):
            v = data.get(name)
            return None if v in (None, "") else int(v)

        within = data.get("within") or ""
        return CadreQuery(
            q=data.get("q") or "", sex=data.get("sex") or "",
            age_from=number("age_from"), age_under=number("age_under"),
            education_min=number("education_min"), political_theory_min=number("political_theory_min"),
            state_management_min=number("state_management_min"),
            pool_title=(data.get("pool_title") or "").strip(), pool_term=(data.get("pool_term") or "").strip(),
            within=(unit_path_for_code(within, on) or "") if within else "",
            party_member=data.get("party_member"),
            retiring_within_months=number("retiring_within_months"), on=on,
        )

    def filter_queryset(self, queryset):
        """``queryset`` (already scoped) narrowed by :func:`cadre_search` with these criteria."""
        user = getattr(self.request, "user", None)
        return queryset & cadre_search(user, self.query())
