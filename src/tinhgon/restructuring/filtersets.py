"""FilterSets shared by the web lists and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.filters import FilterSet
from tinhgon.core.text import search_terms

from .models import Plan, Succession


class PlanFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(choices=Plan.STATUSES, label=pgettext_lazy("plan", "Status"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    effective_from = django_filters.DateFilter(field_name="effective_date", lookup_expr="gte",
                                               label=_("Effective from"))
    effective_to = django_filters.DateFilter(field_name="effective_date", lookup_expr="lte",
                                             label=_("Effective until"))

    class Meta:
        model = Plan
        fields = ["status", "q", "effective_from", "effective_to"]

    def filter_q(self, queryset, name, value: str):
        for term in value.split():
            queryset = queryset.filter(name__icontains=term) | queryset.filter(legal_basis__icontains=term)
        return queryset


class SuccessionFilterSet(FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan (id)"))
    predecessor = django_filters.NumberFilter(field_name="predecessor_id", label=_("Predecessor unit (id)"))
    successor = django_filters.NumberFilter(field_name="successor_id", label=_("Successor unit (id)"))
    predecessor_code = django_filters.CharFilter(field_name="predecessor__code", label=_("Predecessor code"))
    successor_code = django_filters.CharFilter(field_name="successor__code", label=_("Successor code"))
    kind = django_filters.ChoiceFilter(choices=Succession.KINDS, label=pgettext_lazy("succession", "Kind"))

    class Meta:
        model = Succession
        fields = ["plan", "predecessor", "successor", "predecessor_code", "successor_code", "kind"]


SEVERITIES = [("error", pgettext_lazy("severity", "Error")), ("unknown", pgettext_lazy("severity", "Unknown")),
              ("info", pgettext_lazy("severity", "Information"))]


def filter_violations(violations: list[dict], *, code: str = "", severity: str = "", q: str = "") -> list[dict]:
    """The stored violations of a plan (a JSON list), filtered."""
    out = violations
    if code:
        out = [v for v in out if v.get("code") == code]
    if severity:
        out = [v for v in out if v.get("severity") == severity]
    if q:
        terms = search_terms(q)
        out = [v for v in out if all(any(t in u.lower() for u in v.get("units", [])) for t in terms)]
    return out
