"""Kinds of bodies (what a restructuring needs to know of them): a list page with the Excel export.
Reference data, public to every signed-in user; administrators change it in the API or the admin site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from tinhgon.core.tables import Column, Table, export_response, paginate, wants_export

from ..models import BodyKind


class BodyKindTable(Table):
    title = gettext_lazy("Body kinds")
    columns = [
        Column(gettext_lazy("Code"), lambda k, t: k.code, width=22),
        Column(gettext_lazy("Name"), lambda k, t: k.name, width=40),
        Column(gettext_lazy("Unit kind"), lambda k, t: k.unit_kind.name, width=28),
        Column(gettext_lazy("Level of territory"), lambda k, t: k.territory_level.name, width=18),
        Column(gettext_lazy("How many"), lambda k, t: k.get_per_display(), width=20),
        Column(gettext_lazy("Name pattern"), lambda k, t: k.name_pattern, width=40),
    ]


@login_required
def body_kinds(request):
    q = (request.GET.get("q") or "").strip()[:100]
    per = request.GET.get("per", "")
    qs = BodyKind.objects.select_related("unit_kind", "territory_level").order_by("territory_level__rank", "code")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(name_pattern__icontains=q))
    if per in dict(BodyKind.PER):
        qs = qs.filter(per=per)
    table = BodyKindTable()
    if wants_export(request):
        return export_response(table, qs.iterator(), "loai-co-quan.xlsx", request=request)
    page = paginate(request, qs, 100)
    counts = dict(BodyKind.objects.order_by().values_list("per").annotate(n=Count("id")))
    return render(request, "apparatus/body_kinds.html", {
        "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "filter": {"q": q, "per": per}, "pers": BodyKind.PER,
        "stats": [(label, counts.get(code, 0)) for code, label in BodyKind.PER],
    })
