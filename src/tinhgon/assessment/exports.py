"""The council sheet as Excel and PDF (WeasyPrint, DejaVu Sans: full Vietnamese coverage)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from . import explain
from .tables import ResultTable

PDF_STYLESHEET = "assessment/council_sheet_pdf.css"


def council_rows(results) -> list[dict]:
    return [{"r": r, "lines": explain.lines(r.explanation), "level": explain.level_label(r.level),
             "before": explain.level_label(r.level_before_cap)} for r in results]


def council_pdf(cycle, results, *, request=None) -> bytes:
    from weasyprint import CSS, HTML

    first = next(iter(results), None)
    html = render_to_string("assessment/council_sheet_pdf.html", {
        "cycle": cycle, "rows": council_rows(results), "now": timezone.localtime(),
        "basis": explain.basis(first.explanation) if first is not None else "",
    }, request=request)
    # The layout is a static file (no inline <style>, as the content policy asks of every template).
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find(PDF_STYLESHEET))])


def council_xlsx(cycle, results, *, user) -> bytes:
    table = ResultTable()
    info = [("Chu kỳ / Cycle", cycle.label), ("Bộ quy tắc / Rule set", cycle.rule_set),
            ("Đơn vị / Unit", cycle.unit.name), ("Trạng thái / Stage", str(cycle.get_status_display())),
            ("Người xuất / Exported by", user.get_username())]
    return table.xlsx(results, info=info)
