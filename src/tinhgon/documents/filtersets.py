"""FilterSets shared by the document list page and ``/api/documents/``."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.filters import FilterSet

from . import selectors
from .models import SYSTEMS, Document, DocumentType


class DocumentFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Number, symbol or title"),
                                  help_text=_("With or without accents: DA/TU finds ĐA/TU."))
    system = django_filters.ChoiceFilter(field_name="doc_type__system", choices=SYSTEMS, label=_("System"))
    doc_type = django_filters.ModelChoiceFilter(queryset=DocumentType.objects.all(), label=_("Type"))
    direction = django_filters.ChoiceFilter(choices=Document.DIRECTIONS, label=pgettext_lazy("document", "Direction"))
    status = django_filters.ChoiceFilter(choices=Document.STATUSES, label=pgettext_lazy("document", "Validity"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Body or territory (code)"),
                                     help_text=_("Its subtree and its predecessors."))
    year = django_filters.NumberFilter(field_name="year", label=_("Year"), min_value=1900, max_value=2200)
    date_from = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte", label=_("Dated from"))
    date_to = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte", label=_("Dated until"))

    class Meta:
        model = Document
        fields = ["q", "system", "doc_type", "direction", "status", "unit", "year", "date_from", "date_to"]

    def filter_q(self, queryset, name, value: str):
        return selectors.document_search(queryset, value[:80])

    def filter_unit(self, queryset, name, value: str):
        unit = unit_for_code(value.strip()[:40], timezone.localdate())
        if unit is None:
            return queryset.none()
        return queryset.filter(selectors.within_q(unit))
