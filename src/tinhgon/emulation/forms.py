"""Forms of the good models pages (shape only: the services validate and write)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.filters import FilterSet
from tinhgon.documents.forms import unit_from_code, validate_attachment

from . import selectors
from .models import FIELDS, LEVELS, GoodModel


class GoodModelForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("good model", "Title"), max_length=300)
    field = forms.ChoiceField(label=_("Field"), choices=FIELDS)
    unit_code = forms.CharField(label=_("Unit (code)"), max_length=40)
    year = forms.IntegerField(label=_("Year recognized"), min_value=1945, max_value=2200)
    owner = forms.CharField(label=_("Collective or person"), max_length=200, required=False)
    recognition_level = forms.ChoiceField(label=_("Recognition level"), choices=LEVELS)
    recognition_decision = forms.CharField(label=_("Recognition decision"), max_length=120, required=False,
                                           help_text=_("As written, e.g. 1234/QĐ-UBND."))
    document_symbol = forms.CharField(label=_("Decision in the registry (number and symbol)"), max_length=80,
                                      required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    evidence_file = forms.FileField(label=_("Evidence file"), required=False, validators=[validate_attachment])
    evidence_url = forms.URLField(label=_("Evidence link"), max_length=500, required=False, assume_scheme="https")
    wide_fields = ("title",)

    def clean_unit_code(self):
        return unit_from_code(self.cleaned_data["unit_code"])


class GoodModelFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=pgettext_lazy("good model", "Title"))
    field = django_filters.ChoiceFilter(choices=FIELDS, label=_("Field"))
    recognition_level = django_filters.ChoiceFilter(choices=LEVELS, label=_("Recognition level"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit (code)"),
                                     help_text=_("Its subtree and its predecessors."))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"), min_value=1900, max_value=2200)

    class Meta:
        model = GoodModel
        fields = ["q", "field", "recognition_level", "unit", "year"]

    def filter_q(self, queryset, name, value):
        return selectors.good_model_search(queryset, value[:200])

    def filter_unit(self, queryset, name, value):
        from django.utils import timezone

        from tinhgon.apparatus.selectors import unit_for_code
        from tinhgon.documents.selectors import within_q

        unit = unit_for_code(value.strip()[:40], timezone.localdate())
        if unit is None:
            return queryset.none()
        return queryset.filter(within_q(unit))


class CountsForm(forms.Form):
    unit = forms.CharField(label=_("Unit (code)"), max_length=40, required=False)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=1945, max_value=2200)
    year_to = forms.IntegerField(label=_("Until year"), required=False, min_value=1945, max_value=2200)
