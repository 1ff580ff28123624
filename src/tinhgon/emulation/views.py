"""Pages of good models and practices: the list (search, filters, Excel), a model, the form, the
counts by field, unit (rolled up the tree) and year with charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.tables import export_response, paginate, wants_export
from tinhgon.core.views_generic import confirm_delete, service_form
from tinhgon.documents import rules as doc_rules
from tinhgon.documents import selectors as doc_selectors
from tinhgon.documents.charts import bar_chart

from . import forms as f
from . import selectors, services
from .models import GoodModel
from .tables import CountTable, GoodModelTable


def _gm(user, pk, action="view") -> GoodModel:
    return get_object_or_404(selectors.good_models_for(user, action), pk=pk)


def _require(user, action):
    if not user.may(action):
        raise Http404


@login_required
@require_GET
def good_model_list(request):
    user = request.user
    base = selectors.good_models_for(user)
    fs = f.GoodModelFilterSet(request.GET or None, queryset=base)
    qs = fs.qs if fs.is_bound and fs.is_valid() else (base.none() if fs.is_bound else base)
    qs = qs.order_by("-year", "title", "id")
    table = GoodModelTable()
    if wants_export(request):
        return export_response(table, qs, "mo-hinh-hay.xlsx", request=request)
    page = paginate(request, qs)
    return render(request, "emulation/good_model_list.html", {
        "filter": fs, "page": page, "headers": table.headers(), "rows": table.html_rows(page.object_list),
        "may_change": user.may("change")})


@login_required
@require_GET
def good_model_detail(request, pk: int):
    user = request.user
    gm = _gm(user, pk)
    may_change = user.may("change") and selectors.good_models_for(user, "change").filter(pk=pk).exists()
    return render(request, "emulation/good_model_detail.html", {"gm": gm, "may_change": may_change})


@login_required
@require_GET
def good_model_evidence(request, pk: int):
    gm = _gm(request.user, pk)
    if not gm.evidence_file:
        raise Http404
    response = FileResponse(gm.evidence_file.open("rb"), as_attachment=True,
                            filename=gm.evidence_file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response


def _document(user, symbol: str):
    symbol = (symbol or "").strip()
    if not symbol:
        return None
    doc = doc_selectors.documents_for(user).filter(symbol_folded=doc_rules.fold_symbol(symbol)).first()
    if doc is None:
        raise ValidationError({"document_symbol": [_("No document %(symbols)s in your scope.") % {"symbols": symbol}]})
    return doc


def _kwargs(user, d) -> dict:
    d = dict(d)
    d["unit"] = d.pop("unit_code")
    d["document"] = _document(user, d.pop("document_symbol"))
    return d


@login_required
def good_model_create(request):
    user = request.user
    _require(user, "change")
    paths = user.scope_paths() if not user.is_unrestricted else []
    initial = {"year": timezone.localdate().year,
               "unit_code": paths[0].rstrip("/").rsplit("/", 1)[-1] if len(paths) == 1 else ""}
    form = f.GoodModelForm(request.POST or None, request.FILES or None, initial=initial)
    return service_form(request, form, lambda d: services.good_model_create(user=user, **_kwargs(user, d)),
                        done=lambda g: _("Good model “%(title)s” recorded.") % {"title": g.title},
                        then=lambda g: reverse("emulation:good_model", args=[g.pk]), title=_("New good model"),
                        cancel=reverse("emulation:good_model_list"), field_map={"unit": "unit_code",
                                                                                 "document": "document_symbol"},
                        template="documents/register.html", multipart=True)


@login_required
def good_model_edit(request, pk: int):
    user = request.user
    _require(user, "change")
    gm = _gm(user, pk, "change")
    initial = {"title": gm.title, "field": gm.field, "unit_code": gm.unit.code, "year": gm.year, "owner": gm.owner,
               "recognition_level": gm.recognition_level, "recognition_decision": gm.recognition_decision,
               "document_symbol": gm.document.symbol if gm.document_id else "", "description": gm.description,
               "evidence_url": gm.evidence_url}
    form = f.GoodModelForm(request.POST or None, request.FILES or None, initial=initial)

    def call(d):
        kw = _kwargs(user, d)
        if kw["unit"].code == gm.unit.code:
            kw["unit"] = gm.unit  # the version it was recorded on stays (history)
        return services.good_model_update(user=user, good_model=gm, **kw)

    return service_form(request, form, call, done=lambda g: _("Good model “%(title)s” changed.") % {"title": g.title},
                        then=lambda g: reverse("emulation:good_model", args=[g.pk]),
                        title=_("Change the good model"), cancel=reverse("emulation:good_model", args=[gm.pk]),
                        field_map={"unit": "unit_code", "document": "document_symbol"},
                        template="documents/register.html", multipart=True)


@login_required
def good_model_delete(request, pk: int):
    user = request.user
    _require(user, "change")
    gm = _gm(user, pk, "change")
    return confirm_delete(request, lambda: services.good_model_delete(user=user, good_model=gm),
                          done=_("Good model “%(title)s” deleted.") % {"title": gm.title},
                          then=reverse("emulation:good_model_list"), title=_("Delete the good model"),
                          cancel=reverse("emulation:good_model", args=[gm.pk]))


@login_required
@require_GET
def counts(request):
    user = request.user
    form = f.CountsForm(request.GET or None)
    qs = selectors.good_models_for(user)
    root = None
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["unit"].strip()
        if code:
            root = unit_for_code(code, timezone.localdate())
            if root is None:
                form.add_error("unit", _("No unit has the code %(code)s.") % {"code": code})
            else:
                qs = qs.filter(doc_selectors.within_q(root))
        if form.cleaned_data["year_from"]:
            qs = qs.filter(year__gte=form.cleaned_data["year_from"])
        if form.cleaned_data["year_to"]:
            qs = qs.filter(year__lte=form.cleaned_data["year_to"])
    if form.errors:
        qs = qs.none()
    by_field = [(label, n) for _c, label, n in selectors.counts_by_field(qs)]
    by_year = [(str(y), n) for y, n in selectors.counts_by_year(qs)]
    by_unit = [(r["unit"].name + (" " + _("(itself)") if r.get("own") else ""), r["count"])
               for r in selectors.counts_by_unit(qs, root, on=timezone.localdate())]
    which = request.GET.get("by", "field")
    if wants_export(request):
        rows, label, title = {"unit": (by_unit, _("Unit"), _("Good models by unit")),
                              "year": (by_year, _("Year"), _("Good models by year"))}.get(
            which, (by_field, _("Field"), _("Good models by field")))
        return export_response(CountTable(label, title), rows, "mo-hinh-hay-thong-ke.xlsx", request=request)
    return render(request, "emulation/counts.html", {
        "form": form, "root": root, "total": sum(n for _l, n in by_field),
        "field_chart": bar_chart(by_field, width=560, label_w=200),
        "year_chart": bar_chart(by_year, width=560, label_w=200), "unit_chart": bar_chart(by_unit[:25], width=1100, label_w=300), "by_field": by_field, "by_year": by_year, "by_unit": by_unit})
