"""Unit search/list (with Excel export) and the unit page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhgon.core.dated import valid_on
from tinhgon.core.forms import date_widget
from tinhgon.core.scoping import in_scope, restrict
from tinhgon.core.tables import export_response, fmt_date, fmt_number, paginate, wants_export

from .. import selectors
from ..filtersets import UnitFilterSet
from ..models import FunctionHolding, PayrollQuota, Position, PowerHolding
from ..tables import UnitTable
from .common import as_of_from, may_change, today, unit_or_404, units


def _unit_filterset(request) -> UnitFilterSet:
    data = request.GET.copy()
    if "as_of" not in data:  # default: as of today; an explicitly empty date lists every version
        data["as_of"] = today().isoformat()
    fs = UnitFilterSet(data, queryset=units(request.user), request=request)
    date_widget(fs.form, "as_of")
    return fs


@login_required
def unit_list(request, export_xlsx: bool = False):
    fs = _unit_filterset(request)
    qs = fs.qs.order_by("path", "valid_from") if fs.is_valid() else units(request.user).none()
    table = UnitTable()
    if export_xlsx or wants_export(request):
        return export_response(table, qs.iterator(chunk_size=2000), "don-vi.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "apparatus/unit_list.html", {
        "filter": fs, "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "may_create": request.user.may("change"),
    })


@login_required
def unit_export(request):
    return unit_list(request, export_xlsx=True)


@login_required
def unit_detail(request, pk: int):
    user = request.user
    unit = unit_or_404(user, pk)
    default = today() if unit.is_valid_on(today()) else (unit.last_valid_day or unit.valid_from)
    date, date_error = as_of_from(request, default)
    valid_then = unit.is_valid_on(date)
    ancestors = selectors.unit_ancestors(unit, date if valid_then else None)
    children = list(
        units(user).filter(valid_on(date), parent_code=unit.code, path__startswith=unit.path).order_by("path")
    ) if valid_then else []
    functions = restrict(FunctionHolding.objects.filter(unit=unit).select_related("function"), user)
    powers = restrict(PowerHolding.objects.filter(unit=unit).select_related("power"), user)
    show_staffing = in_scope(user, unit.path)
    positions = quotas = None
    if show_staffing:
        positions = list(restrict(Position.objects.filter(unit=unit), user))
        quotas = list(restrict(PayrollQuota.objects.filter(unit=unit), user).order_by("-year", "category"))
        for q in quotas:
            q.quota_text = fmt_number(q.quota)
    versions = list(restrict(selectors.unit_versions(unit.code), user))
    return render(request, "apparatus/unit_detail.html", {
        "unit": unit, "as_of": date, "date_error": date_error, "valid_then": valid_then,
        "ancestors": ancestors, "children": children,
        "functions": list(functions), "powers": list(powers),
        "show_staffing": show_staffing, "positions": positions, "quotas": quotas,
        "seats": sum(p.count for p in positions or []),
        "versions": versions, "terms": list(selectors.terms_of(unit)), "population": fmt_number(unit.population),
        "area": fmt_number(unit.area_km2, 2) if unit.area_km2 is not None else "", "may_change": may_change(user, unit),
        "is_open": unit.valid_to is None or unit.valid_to > today(),
        "period_note": _("valid from %(vf)s") % {"vf": fmt_date(unit.valid_from)} if not unit.valid_to else
        _("valid from %(vf)s to %(vt)s") % {"vf": fmt_date(unit.valid_from), "vt": fmt_date(unit.last_valid_day)},
    })
