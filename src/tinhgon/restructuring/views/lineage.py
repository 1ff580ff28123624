"""Lineage of a unit (HTMX partial for the unit page) and the address converter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.core.scoping import restrict

from .. import selectors
from ..forms import ResolveForm
from ..models import Succession


@login_required
def unit_lineage(request, unit_id: int):
    unit = restrict(Unit.objects.all(), request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    lin = selectors.unit_lineage(unit)
    kinds = dict(Succession.KINDS)
    for e in lin.became + lin.came_from:
        e.kind_label = kinds.get(e.kind, e.kind)
    return render(request, "restructuring/partials/lineage.html", {"unit": unit, "lineage": lin})


@login_required
def resolve(request):
    form = ResolveForm(request.GET or None)
    results, day = None, timezone.localdate()
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["as_of"]
        if form.cleaned_data["q"].strip():
            results = selectors.resolve_address(form.cleaned_data["q"], as_of=day)
            for r in results:
                for c in r.current:
                    c["pct"] = round(c["share"] * 100, 2) if c.get("share") is not None else None
    return render(request, "restructuring/resolve.html", {"form": form, "results": results, "day": day})
