"""Helpers shared by the apparatus pages: the "as of" date, scoped look-ups,
pagination and Excel downloads."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import CHANGE, VIEW, in_scope, restrict
from tinhgon.core.tables import fmt_date

from ..models import Level, Unit
from ..selectors import unit_for_code

DEMO_DATES = (dt.date(2025, 6, 30), dt.date(2025, 7, 1))


def today() -> dt.date:
    return timezone.localdate()


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    for parse in (dt.date.fromisoformat, lambda v: dt.datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value.strip())
        except ValueError:
            continue
    return None


def as_of_from(request, default: dt.date | None = None) -> tuple[dt.date, str]:
    """The ``as_of`` date of a request (default today) and an error text for a bad value."""
    raw = request.GET.get("as_of", "")
    date = parse_date(raw)
    if raw and date is None:
        return default or today(), _("“%(value)s” is not a date; showing %(date)s instead.") % {
            "value": raw, "date": fmt_date(default or today())}
    return date or default or today(), ""


def units(user, action: str = VIEW):
    return restrict(Unit.objects.select_related("level", "kind"), user, action)


def unit_or_404(user, pk: int, action: str = VIEW) -> Unit:
    unit = units(user, action).filter(pk=pk).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def may_change(user, unit: Unit | None) -> bool:
    """Whether the user's role may change records and the unit lies inside their scopes."""
    return bool(user.may(CHANGE) and (unit is None and user.is_unrestricted or unit is not None and in_scope(user, unit.path)))


def unit_for_change_or_404(user, pk: int) -> Unit:
    unit = unit_or_404(user, pk)
    if not may_change(user, unit):
        raise Http404(_("No such unit."))
    return unit


def scoped_version(user, code: str, on: dt.date, action: str = VIEW) -> Unit | None:
    """The version of unit ``code`` valid on ``on`` that the user may reach for ``action``."""
    return units(user, action).filter(valid_on(on), code=code).first()


def root_for_code(user, code: str, on: dt.date) -> Unit | None:
    """The version of ``code`` on ``on``, else its latest version (for 'within' filters)."""
    if not code:
        return None
    return unit_for_code(code, on, queryset=units(user))


def level_names() -> dict[str, str]:
    return dict(Level.objects.values_list("code", "name"))
