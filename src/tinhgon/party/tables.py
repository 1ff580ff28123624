"""Tables of the party lists (page rows and Excel from one description)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.tables import Column, Table


class OrganizationTable(Table):
    title = _("Party organizations")
    columns = [
        Column(_("Party organization"), lambda u, t: u.name, link=lambda u, t: reverse("party:organization",
                                                                                          args=[u.pk]), width=40),
        Column(_("Code"), lambda u, t: u.code, width=16),
        Column(pgettext_lazy("inspection", "Kind"), lambda u, t: u.kind.name, width=18),
        Column(_("Members"), lambda u, t: getattr(u, "n_members", None), num=True, width=10),
        Column(_("Probationary"), lambda u, t: getattr(u, "n_probationary", None), num=True, width=12),
    ]


class MemberTable(Table):
    title = _("Party members")

    def __init__(self, today):
        self.today = today

    columns = [
        Column(_("Full name"), lambda m, t: m.full_name, link=lambda m, t: reverse("party:member", args=[m.pk]),
               width=28),
        Column(_("Birth year"), lambda m, t: m.birth_year, width=10),
        Column(_("Party card number"), lambda m, t: m.card_number, width=14),
        Column(_("Party organization"), lambda m, t: m.organization.name, width=32),
        Column(_("Admission date"), lambda m, t: m.admission_date, width=12),
        Column(_("Official date"), lambda m, t: m.official_date, width=12),
        Column(pgettext_lazy("inspection", "Status"), lambda m, t: m.status_label(t.today), width=16),
        Column(_("Cadre record"), lambda m, t: m.cadre.full_name if m.cadre_id else "", width=24),
    ]


class RateTable(Table):
    title = _("Development rate")
    columns = [
        Column(_("Unit"), lambda r, t: ("  " * r.depth) + r.name, width=44),
        Column(_("Code"), lambda r, t: r.code, width=14),
        Column(_("Members on 1 January"), lambda r, t: r.at_start, num=True, width=14),
        Column(_("Admitted in the year"), lambda r, t: r.new, num=True, width=14),
        Column(_("Development rate (%)"), lambda r, t: r.rate_percent, num=True, width=14),
    ]
