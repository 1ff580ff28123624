"""The payroll roadmap and the functions-and-powers coverage pages."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhgon.core.dated import valid_on
from tinhgon.core.exports import workbook_bytes, xlsx_response
from tinhgon.core.rulesets import NoRuleSet
from tinhgon.core.scoping import may_change_everywhere, restrict
from tinhgon.core.tables import fmt_date, fmt_number, wants_export

from .. import selectors
from ..models import Function, FunctionHolding, PayrollQuota, Power, PowerHolding
from .common import as_of_from, root_for_code, today, units


def _status(meets: bool | None) -> tuple[str, str]:
    if meets is None:
        return "warn", _("Missing figure")
    return ("ok", _("Meets")) if meets else ("bad", _("Does not meet"))


def _pct(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}".replace(".", ",") + " %"


@login_required
def roadmap(request):
    user = request.user
    category = request.GET.get("category") or PayrollQuota.CIVIL_SERVANT
    if category not in dict(PayrollQuota.CATEGORIES):
        category = PayrollQuota.CIVIL_SERVANT
    within = (request.GET.get("within") or "").strip()
    root = root_for_code(user, within, today())
    error = ""
    if within and root is None:
        error = _("No unit with code %(code)s in your scope.") % {"code": within}
    try:
        rm = selectors.payroll_roadmap(user, category=category, root_path=root.path if root else None)
    except NoRuleSet:
        return render(request, "apparatus/roadmap.html", {"no_rule_set": True})
    if within and root is None:
        rm = None
    ids = dict(units(user).filter(code__in=[r.code for r in rm.rows] if rm else []).order_by("code", "valid_from")
               .values_list("code", "id"))
    rows = [{"row": r, "unit_id": ids.get(r.code), "status": _status(r.meets), "pct": _pct(r.reduction),
             "baseline": fmt_number(r.baseline), "target": fmt_number(r.target)}
            for r in (rm.rows if rm else [])]
    if rm and wants_export(request):
        headers = [_("Code"), _("Unit"), _("Baseline %(year)s") % {"year": rm.baseline_year},
                   _("Target %(year)s") % {"year": rm.target_year}, _("Reduction (%)"), _("Status")]
        data = [[r["row"].code, r["row"].name, r["row"].baseline, r["row"].target,
                 None if r["row"].reduction is None else round(r["row"].reduction * 100, 2), r["status"][1]]
                for r in rows]
        data.append(["", _("Total"), rm.total_baseline, rm.total_target,
                     None if rm.total_reduction is None else round(rm.total_reduction * 100, 2),
                     _status(rm.total_meets)[1]])
        info = [(_("Rule set"), rm.rule_set_name), (_("Legal basis"), rm.legal_basis),
                (_("Minimum reduction"), _pct(rm.min_reduction)), (_("Category"), dict(PayrollQuota.CATEGORIES)[category]),
                (_("Exported by"), user.get_username())]
        content = workbook_bytes(str(_("Payroll roadmap")), headers, data, info=info, widths=[10, 40, 14, 14, 14, 18])
        return xlsx_response("lo-trinh-bien-che.xlsx", content)
    return render(request, "apparatus/roadmap.html", {
        "rm": rm, "rows": rows, "category": category, "categories": PayrollQuota.CATEGORIES, "within": within,
        "root": root, "error": error,
        "total_status": _status(rm.total_meets) if rm else None, "total_pct": _pct(rm.total_reduction) if rm else "",
        "min_pct": _pct(rm.min_reduction) if rm else "",
        "counts": Counter(r["status"][0] for r in rows),
        "total_baseline": fmt_number(rm.total_baseline) if rm else "",
        "total_target": fmt_number(rm.total_target) if rm else "",
    })


@login_required
def coverage(request):
    user = request.user
    date, date_error = as_of_from(request)
    within = (request.GET.get("within") or "").strip()
    root = root_for_code(user, within, date)
    root_path = root.path if root else None
    error = _("No unit with code %(code)s.") % {"code": within} if within and root is None else ""
    overlaps = selectors.function_overlaps(date, root_path=root_path) if not error else []
    gaps = selectors.coverage_gaps(date, root_path=root_path) if not error else []
    territory_names = dict(
        units(user).filter(valid_on(date), path__in={o.territory_path for o in overlaps}).values_list("path", "name")
    )
    overlap_rows = [{"o": o, "territory": territory_names.get(o.territory_path, o.territory_path or "—")}
                    for o in overlaps]

    leads = restrict(FunctionHolding.objects.filter(valid_on(date), role=FunctionHolding.LEAD), user)
    coords = restrict(FunctionHolding.objects.filter(valid_on(date), role=FunctionHolding.COORDINATE), user)
    held = restrict(PowerHolding.objects.filter(valid_on(date)), user)
    if root_path:
        leads, coords, held = (q.filter(unit__path__startswith=root_path) for q in (leads, coords, held))
    n_lead = Counter(leads.values_list("function_id", flat=True))
    n_coord = Counter(coords.values_list("function_id", flat=True))
    n_held = Counter(held.values_list("power_id", flat=True))
    gap_count = Counter((g.kind, g.item_code) for g in gaps)
    functions = [{"f": f, "lead": n_lead[f.pk], "coord": n_coord[f.pk], "gaps": gap_count[("function", f.code)]}
                 for f in restrict(Function.objects.all(), user)]
    powers = [{"p": p, "held": n_held[p.pk], "gaps": gap_count[("power", p.code)]}
              for p in restrict(Power.objects.select_related("function"), user)]

    if wants_export(request):
        headers = [_("Finding"), _("Type"), _("Code"), _("Name"), _("Territory / unit code"),
                   _("Territory / unit"), _("Units involved")]
        data = [[_("Overlap"), _("Function"), r["o"].function_code, r["o"].function_name, r["o"].territory_path,
                 r["territory"], "; ".join(f"{c} {n}" for _i, c, n in r["o"].units)] for r in overlap_rows]
        data += [[_("Gap"), _("Function") if g.kind == "function" else _("Power"), g.item_code, g.item_name,
                  g.unit_code, g.unit_name, ""] for g in gaps]
        info = [(_("As of"), fmt_date(date)), (_("Inside unit"), within or _("whole apparatus")),
                (_("Exported by"), user.get_username())]
        content = workbook_bytes(str(_("Coverage")), headers, data, info=info, widths=[12, 12, 18, 40, 18, 36, 60])
        return xlsx_response("chuc-nang-tham-quyen.xlsx", content)
    return render(request, "apparatus/coverage.html", {
        "as_of": date, "date_error": date_error, "within": within, "root": root, "error": error,
        "overlaps": overlap_rows, "gaps": gaps, "functions": functions, "powers": powers,
        "may_define": may_change_everywhere(user),
    })
