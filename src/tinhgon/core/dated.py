"""Dated versions: half-open validity intervals ``[valid_from, valid_to)``.

``valid_to`` is the first day on which the version no longer holds; ``None``
means open-ended.  "As of date D" is a filter, never a reconstruction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .changelog import TrackedModel, TrackedQuerySet


def valid_on(date: dt.date, prefix: str = "") -> Q:
    """A Q object selecting rows whose interval contains ``date``."""
    return Q(**{f"{prefix}valid_from__lte": date}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": date})
    )


def overlapping(start: dt.date, end: dt.date | None, prefix: str = "") -> Q:
    """A Q object selecting rows whose interval overlaps ``[start, end)``."""
    q = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__lt": end})
    return q


def intervals_overlap(a_from, a_to, b_from, b_to) -> bool:
    return (a_to is None or b_from < a_to) and (b_to is None or a_from < b_to)


def interval_within(inner_from, inner_to, outer_from, outer_to) -> bool:
    if inner_from < outer_from:
        return False
    if outer_to is None:
        return True
    return inner_to is not None and inner_to <= outer_to


class DatedQuerySet(TrackedQuerySet):
    def as_of(self, date: dt.date):
        return self.filter(valid_on(date))

    def overlapping(self, start: dt.date, end: dt.date | None):
        return self.filter(overlapping(start, end))


class DatedManager(models.Manager.from_queryset(DatedQuerySet)):
    pass


class DatedModel(TrackedModel):
    valid_from = models.DateField(_("valid from"), db_index=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, db_index=True,
        help_text=_("First day on which this version no longer holds; empty = open-ended."),
    )

    objects = DatedManager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValidationError(
                {"valid_to": _("The end date (%(to)s) must be after the start date (%(start)s).")
                 % {"to": self.valid_to, "start": self.valid_from}}
            )

    def is_valid_on(self, date: dt.date) -> bool:
        return self.valid_from <= date and (self.valid_to is None or date < self.valid_to)

    @property
    def last_valid_day(self) -> dt.date | None:
        """The last day inside the interval (for display: ``valid_to`` minus one day)."""
        return self.valid_to - dt.timedelta(days=1) if self.valid_to else None
