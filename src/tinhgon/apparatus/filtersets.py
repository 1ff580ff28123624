"""One FilterSet per list, shared by the web pages and the API."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from tinhgon.core.dated import valid_on
from tinhgon.core.filters import FilterSet
from tinhgon.core.text import search_terms

from .models import Level, PayrollQuota, Position, Unit, UnitKind


class UnitFilterSet(FilterSet):
    as_of = django_filters.DateFilter(method="filter_as_of", label=_("As of (YYYY-MM-DD)"))
    level = django_filters.ModelChoiceFilter(
        field_name="level", to_field_name="code", queryset=Level.objects.all(), label=_("Level"))
    kind = django_filters.ModelChoiceFilter(
        field_name="kind", to_field_name="code", queryset=UnitKind.objects.all(), label=_("Kind"))
    q = django_filters.CharFilter(method="filter_q", label=_("Search (accents optional)"))
    parent = django_filters.CharFilter(field_name="parent_code", label=_("Parent unit code"))
    code = django_filters.CharFilter(field_name="code", label=_("Code"))
    within = django_filters.CharFilter(method="filter_within", label=_("Inside the unit with this code"))

    class Meta:
        model = Unit
        fields = ["as_of", "level", "kind", "q", "parent", "code", "within"]

    def filter_as_of(self, queryset, name, value: dt.date):
        return queryset.filter(valid_on(value)) if value else queryset

    def filter_q(self, queryset, name, value: str):
        for term in search_terms(value):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def filter_within(self, queryset, name, value: str):
        paths = set(Unit.objects.filter(code=value).values_list("path", flat=True))
        if not paths:
            return queryset.none()
        from tinhgon.core.scoping import scope_q

        return queryset.filter(scope_q("path", sorted(paths))).exclude(code=value)


class PositionFilterSet(FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("Unit (id)"))
    unit_code = django_filters.CharFilter(field_name="unit__code", label=_("Unit code"))
    is_leadership = django_filters.BooleanFilter(label=_("Leadership"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Title"))

    class Meta:
        model = Position
        fields = ["unit", "unit_code", "is_leadership", "q"]


class PayrollQuotaFilterSet(FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("Unit (id)"))
    unit_code = django_filters.CharFilter(field_name="unit__code", label=_("Unit code"))
    year = django_filters.NumberFilter(label=_("Year"))
    category = django_filters.ChoiceFilter(choices=PayrollQuota.CATEGORIES, label=_("Category"))

    class Meta:
        model = PayrollQuota
        fields = ["unit", "unit_code", "year", "category"]
