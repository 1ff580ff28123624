"""One filter set for the user list page, its Excel export and ``/api/users/``."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.filters import FilterSet
from tinhgon.core.text import fold, search_terms

from .models import User
from .roles import ROLE_CHOICES


def user_search(queryset: QuerySet[User], q: str) -> QuerySet[User]:
    """Users whose user name, full name, email or position holds every folded term of ``q``.

    Users number in the hundreds or thousands, so the folding is done in Python
    over four short columns rather than in a stored search column.
    """
    terms = search_terms(q)
    if not terms:
        return queryset
    rows = queryset.order_by().values_list("pk", "username", "full_name", "email", "position_title")
    pks = [
        pk for pk, *texts in rows.iterator(chunk_size=2000)
        if all(t in fold(" ".join(x or "" for x in texts)) for t in terms)
    ]
    return queryset.filter(pk__in=pks)


class UserFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    role = django_filters.ChoiceFilter(label=_("Role"), choices=ROLE_CHOICES, empty_label=_("All roles"))
    is_active = django_filters.BooleanFilter(
        label=pgettext_lazy("account", "Status"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Active")), ("false", _("Deactivated"))]),
    )
    scope = django_filters.CharFilter(label=_("Scope unit code"), method="filter_scope")

    class Meta:
        model = User
        fields = ["q", "role", "is_active", "scope"]

    def filter_q(self, queryset, name, value):
        return user_search(queryset, value)

    def filter_scope(self, queryset, name, value):
        return queryset.filter(scopes__unit__code=value.strip()).distinct() if value.strip() else queryset
