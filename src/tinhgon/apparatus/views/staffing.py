"""Positions and payroll quotas: lists restricted to the user's scopes, Excel
export, detail pages (404 outside the scopes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from tinhgon.core.dated import valid_on
from tinhgon.core.scoping import restrict
from tinhgon.core.tables import export_response, fmt_number, paginate, wants_export

from ..filtersets import PayrollQuotaFilterSet, PositionFilterSet
from ..models import PayrollQuota, Position
from ..tables import PayrollQuotaTable, PositionTable
from .common import may_change, today


def _list(request, *, model, filterset_class, table, title, filename, order):
    base = restrict(model.objects.select_related("unit", "unit__level", "unit__kind"), request.user)
    fs = filterset_class(request.GET or None, queryset=base, request=request)
    qs = (fs.qs if fs.is_bound and fs.is_valid() else base if not fs.is_bound else base.none()).order_by(*order)
    if wants_export(request):
        return export_response(table, qs.iterator(chunk_size=2000), filename, request=request)
    page = paginate(request, qs)
    return render(request, "apparatus/object_list.html", {
        "title": title, "filter": fs, "page": page, "headers": table.headers(),
        "rows": table.html_rows(page.object_list),
    })


@login_required
def position_list(request):
    return _list(request, model=Position, filterset_class=PositionFilterSet, table=PositionTable(),
                 title=_("Positions"), filename="chuc-danh.xlsx", order=("unit__path", "order", "title"))


@login_required
def quota_list(request):
    return _list(request, model=PayrollQuota, filterset_class=PayrollQuotaFilterSet, table=PayrollQuotaTable(),
                 title=_("Payroll quotas"), filename="bien-che.xlsx", order=("unit__path", "-year", "category"))


@login_required
def position_detail(request, pk: int):
    position = get_object_or_404(restrict(Position.objects.select_related("unit", "unit__kind"), request.user), pk=pk)
    current = getattr(position, "assignments", None)  # the cadres' careers, when that app is installed
    holders, total = None, 0
    if current is not None:
        current = current.filter(valid_on(today()))
        total = current.count()
        # Names only of the cadres the user may see (their record lies inside the user's scopes).
        holders = list(restrict(current.select_related("cadre").order_by("cadre__name_folded"), request.user))
    return render(request, "apparatus/position_detail.html", {
        "position": position, "unit": position.unit, "may_change": may_change(request.user, position.unit),
        "holders": holders, "hidden": total - len(holders or []), "vacant": max(position.count - total, 0),
        "over": max(total - position.count, 0),
    })


@login_required
def quota_detail(request, pk: int):
    quota = get_object_or_404(restrict(PayrollQuota.objects.select_related("unit", "unit__kind"), request.user), pk=pk)
    others = restrict(PayrollQuota.objects.filter(unit__code=quota.unit.code, category=quota.category),
                      request.user).select_related("unit").order_by("year")
    others = list(others)
    for q in [quota, *others]:
        q.quota_text = fmt_number(q.quota)
    return render(request, "apparatus/quota_detail.html", {
        "quota": quota, "unit": quota.unit, "others": others, "may_change": may_change(request.user, quota.unit),
    })
