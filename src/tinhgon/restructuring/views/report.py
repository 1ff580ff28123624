"""Before/after report of a plan: page with a server-rendered SVG chart, and Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from tinhgon.apparatus.models import Level
from tinhgon.core.exports import safe_row, xlsx_response
from tinhgon.core.tables import paginate

from .. import bodies, selectors
from ..models import Succession
from .common import plan_or_404

BAR_W, LABEL_W, ROW_H = 420, 150, 46


def level_rows(report) -> list[dict]:
    """Per level: count before, after, change (levels in rank order, empty ones left out)."""
    levels = list(Level.objects.order_by("rank").values_list("code", "name"))
    before, after = defaultdict(int), defaultdict(int)
    for r in report.before:
        before[r["level"]] += r["count"]
    for r in report.after:
        after[r["level"]] += r["count"]
    rows = []
    for code, name in levels:
        b, a = before.get(code, 0), after.get(code, 0)
        if b or a:
            rows.append({"code": code, "name": name, "before": b, "after": a, "change": a - b,
                         "pct": round((a - b) * 100 / b, 1) if b else None})
    return rows


def kind_rows(report) -> list[dict]:
    names = dict(Level.objects.values_list("code", "name"))
    merged: dict[tuple, dict] = {}
    for side in ("before", "after"):
        for r in getattr(report, side):
            row = merged.setdefault((r["level"], r["kind"]), {"level": names.get(r["level"], r["level"]),
                                                             "kind": r["kind"], "before": 0, "after": 0})
            row[side] = r["count"]
    rank = dict(Level.objects.values_list("code", "rank"))
    return [v for k, v in sorted(merged.items(), key=lambda kv: (rank.get(kv[0][0], 99), kv[0][1]))]


def bar_chart(rows: list[dict]) -> dict:
    """Geometry of a horizontal before/after bar chart, each level on its own scale."""
    bars = []
    for i, r in enumerate(rows):
        top = max(r["before"], r["after"]) or 1
        y = i * ROW_H
        bars.append({**r, "y": y, "label_y": y + 22, "by": y + 4, "ay": y + 22,
                     "bw": round(BAR_W * r["before"] / top), "aw": round(BAR_W * r["after"] / top)})
    for b in bars:
        b["btx"] = LABEL_W + b["bw"] + 6
        b["atx"] = LABEL_W + b["aw"] + 6
    return {"bars": bars, "height": len(rows) * ROW_H + 30, "width": LABEL_W + BAR_W + 90,
            "label_w": LABEL_W, "legend_y": len(rows) * ROW_H + 16}


@login_required
def plan_report(request, pk: int):
    plan = plan_or_404(request.user, pk)
    report = selectors.plan_report(plan, user=request.user)
    focal = bodies.focal_points(plan, user=request.user)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"bao-cao-phuong-an-{plan.pk}.xlsx", report_xlsx(plan, report, focal))
    levels = level_rows(report)
    return render(request, "restructuring/plan_report.html", {
        "plan": plan, "report": report, "levels": levels, "kinds": kind_rows(report), "chart": bar_chart(levels),
        "eve": plan.effective_date - dt.timedelta(days=1),
        "reduction_pct": round(report.reduction * 100, 2) if report.reduction is not None else None,
        "new_page": _with_kind_labels(paginate(request, report.new_units, 50)),
        "totals": {"before": sum(r["before"] for r in levels), "after": sum(r["after"] for r in levels)},
        "focal": focal, "focal_chart": bar_chart(focal_levels(focal)),
    })


def focal_levels(focal) -> list[dict]:
    """Focal points per level of territory, then the total: the rows of the focal-point chart."""
    rows: dict[str, dict] = {}
    for r in focal.kinds:
        row = rows.setdefault(r["level"], {"name": r["level"], "before": 0, "after": 0})
        row["before"] += r["before"]
        row["after"] += r["after"]
    out = list(rows.values())
    if len(out) > 1:
        out.append({"name": _("Total"), "before": focal.before, "after": focal.after})
    return out


def _with_kind_labels(page):
    """Each predecessor of the units on ``page`` gets the readable name of its succession kind."""
    kinds = dict(Succession.KINDS)
    for u in page.object_list:
        for p in u["predecessors"]:
            p["kind_label"] = kinds.get(p["kind"], p["kind"])
    return page


def _sheet(wb: Workbook, title: str, headers: list[str], rows, widths: list[int]) -> None:
    """A sheet of ``rows`` under a bold header; text cells neutralized (:func:`safe_row`)."""
    ws = wb.create_sheet(title=title[:31])
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = w
    ws.append(safe_row(headers))
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    ws.freeze_panes = "A2"
    for row in rows:
        ws.append(safe_row(row))


def report_xlsx(plan, report, focal=None) -> bytes:
    """One sheet per table: levels, kinds, focal points, payroll quota, new units with their predecessors."""
    wb = Workbook()
    wb.remove(wb.active)
    levels = level_rows(report)
    _sheet(wb, _("Levels"), [_("Level"), pgettext("report", "Before"), pgettext("report", "After"),
                                 pgettext("report", "Change"), _("Change (%)")],
           ((r["name"], r["before"], r["after"], r["change"], r["pct"]) for r in levels), [26, 12, 12, 12, 12])
    _sheet(wb, _("Kinds"), [_("Level"), _("Kind"), pgettext("report", "Before"), pgettext("report", "After")],
           ((r["level"], r["kind"], r["before"], r["after"]) for r in kind_rows(report)), [22, 34, 12, 12])
    _sheet(wb, _("Payroll quota"), [_("Quota before"), _("Quota after"), _("Reduction (%)")],
           [(report.quota_before, report.quota_after,
             round(report.reduction * 100, 2) if report.reduction is not None else None)], [16, 16, 16])
    rows, kinds = [], dict(Succession.KINDS)
    for u in report.new_units:
        for p in u["predecessors"]:
            rows.append((u["code"], u["name"], u["kind__name"], p["code"], p["name"], str(kinds.get(p["kind"], p["kind"])),
                         p["share"]))
    _sheet(wb, _("New units"), [_("Code"), _("Name"), _("Kind"), _("Predecessor code"), _("Predecessor"),
                                _("Succession"), _("Share")], rows, [10, 34, 22, 16, 34, 12, 8])
    if focal is not None:
        _sheet(wb, _("Focal points"), [_("Level"), _("Body kind"), pgettext("report", "Before"),
                                       pgettext("report", "After"), pgettext("report", "Change")],
               [*((r["level"], r["kind"], r["before"], r["after"], r["change"]) for r in focal.kinds),
                ("", str(_("Total")), focal.before, focal.after, focal.change)], [22, 40, 12, 12, 12])
        _sheet(wb, _("Focal points by province"), [_("Code"), _("Province"), pgettext("report", "Before"),
                                                  pgettext("report", "After"), pgettext("report", "Change")],
               ((r["code"], r["name"], r["before"], r["after"], r["change"]) for r in focal.provinces),
               [10, 34, 12, 12, 12])
    info = wb.create_sheet(title=_("Info"))
    for k, v in ((_("Plan"), plan.name), (_("Effective date"), plan.effective_date.isoformat()),
                 (_("Legal basis"), plan.legal_basis), (pgettext("plan", "Status"), plan.get_status_display())):
        info.append(safe_row([str(k), str(v)]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
