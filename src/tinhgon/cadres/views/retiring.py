"""Cadres reaching the statutory retirement date in the next N months, in the
user's scopes (or inside one unit), with Excel export."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhgon.core.exports import xlsx_response
from tinhgon.core.rulesets import rule_set_for
from tinhgon.core.tables import fmt_date, paginate

from .. import selectors
from ..forms import RetiringForm
from ..rulesets import RETIREMENT
from ..tables import RetiringTable
from .common import log_personal_export, today

QUICK_MONTHS = (3, 6, 12, 24)


@login_required
def retiring(request):
    user = request.user
    on = today()
    form = RetiringForm(request.GET or {"months": 12}, user=user)
    rows = []
    months = 12
    if form.is_valid():
        months = form.cleaned_data["months"]
        query = selectors.CadreQuery(retiring_within_months=months, within=form.unit.path if form.unit else "", on=on)
        rule = selectors.retirement_rule(on)
        qs = selectors.cadre_search(user, query).select_related("unit")
        rows = sorted(((c, selectors.cadre_retirement(c, rule=rule)) for c in qs),
                      key=lambda r: (r[1].retirement_date, r[0].name_folded))
    horizon = rows[-1][1].retirement_date if rows else None
    rule_set = rule_set_for(RETIREMENT, on)
    table = RetiringTable(user)
    if request.GET.get("export") == "xlsx":
        log_personal_export(request, [c.pk for c, _r in rows])
        info = [(_("List"), _("Retiring in the next %(n)s months") % {"n": months}), (_("As of"), fmt_date(on)),
                (_("Inside unit"), form.unit.name if form.unit else _("all your scopes")),
                (_("Rule set"), f"{rule_set.code} — {rule_set.name}"), (_("Exported by"), user.get_username())]
        return xlsx_response("nghi-huu.xlsx", table.xlsx(rows, info=info))
    page = paginate(request, rows)
    sexes = Counter(c.sex for c, _r in rows)
    return render(request, "cadres/retiring.html", {
        "form": form, "months": months, "page": page, "headers": table.headers(),
        "rows": table.html_rows(page.object_list), "total": len(rows), "men": sexes.get("M", 0),
        "women": sexes.get("F", 0), "rule_set": rule_set, "today": on, "quick": QUICK_MONTHS, "horizon": horizon,
    })
