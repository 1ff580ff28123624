"""The filter-set base every list uses (pages and API), with values the database can take.

A query parameter reaches SQL as it was typed: ``?unit=99999999999999999999`` is a
number that neither SQLite nor PostgreSQL can hold (both stop at 2⁶³ − 1) and
``?on=0001-01-01&age_under=5`` asks for a birth date before year 1.  Both used to end
in a server error.  :class:`FilterSet` bounds every number filter to signed 64 bits
(an id outside it is "not a valid id") and every date filter to
:data:`DATE_MIN`–:data:`DATE_MAX`, so bad values are a form error: 400 in the API, an
empty list with the message on the pages.  :class:`FilterBackend` makes the filter
sets DRF builds from ``filterset_fields`` use the same base.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

#: The largest value a signed 64-bit column (SQLite INTEGER, PostgreSQL bigint) holds.
INT64_MAX = 2**63 - 1
#: The dates a query may ask about: wide enough for any record of the apparatus and
#: its people, narrow enough that date arithmetic (ages, retirement) cannot overflow.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)


@deconstructible
class DateRangeValidator:
    """A date between :data:`DATE_MIN` and :data:`DATE_MAX`."""

    message = _("Enter a date between %(min)s and %(max)s.")
    code = "date_range"

    def __call__(self, value) -> None:
        if value is not None and not (DATE_MIN <= value <= DATE_MAX):
            raise ValidationError(self.message, code=self.code,
                                  params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})

    def __eq__(self, other) -> bool:
        return isinstance(other, DateRangeValidator)


@deconstructible
class Int64Validator:
    """A number a signed 64-bit column holds; ``message`` for ids says "not a valid id"."""

    def __init__(self, message=None, code: str = "int64_range"):
        self.message = message or _("Enter a number between %(min)s and %(max)s.")
        self.code = code

    def __call__(self, value) -> None:
        if value is not None and not (-INT64_MAX - 1 <= value <= INT64_MAX):
            raise ValidationError(self.message, code=self.code, params={"min": -INT64_MAX - 1, "max": INT64_MAX})

    def __eq__(self, other) -> bool:
        return isinstance(other, Int64Validator) and self.code == other.code


def in_date_range(value: dt.date | None) -> bool:
    return value is None or DATE_MIN <= value <= DATE_MAX


def _is_id(f: django_filters.Filter) -> bool:
    name = f.field_name or ""
    return name in ("id", "pk") or name.endswith("_id") or name.endswith("__id") or name.endswith("__pk")


def bound_filter(f: django_filters.Filter) -> django_filters.Filter:
    """Add the range validator that fits ``f`` (numbers, ids, dates); idempotent."""
    if isinstance(f, django_filters.NumberFilter):
        validator = (Int64Validator(_("Not a valid id."), code="invalid_id") if _is_id(f) else Int64Validator())
    elif isinstance(f, django_filters.DateFilter):
        validator = DateRangeValidator()
    else:
        return f
    validators = list(f.extra.get("validators", []))
    if validator not in validators:
        f.extra["validators"] = [*validators, validator]
    return f


class FilterSet(django_filters.FilterSet):
    """The base of every filter set: numbers, ids and dates stay in a range the database holds."""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for f in filters.values():
            bound_filter(f)
        return filters


class FilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend with :class:`FilterSet` as the base of generated filter sets."""

    filterset_base = FilterSet
