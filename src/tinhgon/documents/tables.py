"""Tables of the document lists (page rows and Excel from one description)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.tables import Column, Table


class DocumentTable(Table):
    title = _("Documents")
    columns = [
        Column(_("Number and symbol"), lambda d, t: d.symbol, link=lambda d, t: reverse("documents:document",
                                                                                         args=[d.pk]), width=18),
        Column(_("Date"), lambda d, t: d.issued_on, width=12),
        Column(_("Type"), lambda d, t: d.doc_type.name, width=18),
        Column(pgettext_lazy("document", "Title"), lambda d, t: d.title, width=60),
        Column(_("Issuer"), lambda d, t: d.issuer_label, width=32),
        Column(pgettext_lazy("document", "Direction"), lambda d, t: d.get_direction_display(), width=10),
        Column(_("Term"), lambda d, t: d.term.label if d.term_id else "", width=11),
        Column(_("Signed by"), lambda d, t: d.signer, width=22),
        Column(pgettext_lazy("document", "Validity"), lambda d, t: d.get_status_display(), width=12),
    ]


class TypeCountTable(Table):
    title = _("Documents by type")
    columns = [
        Column(_("Type"), lambda r, t: r.name, width=32),
        Column(_("Abbreviation"), lambda r, t: r.abbreviation, width=12),
        Column(_("System"), lambda r, t: str(_("Party")) if r.system == "party" else str(_("State")), width=10),
        Column(pgettext_lazy("document", "Issued"), lambda r, t: r.issued, num=True, width=10),
        Column(pgettext_lazy("document", "Received"), lambda r, t: r.received, num=True, width=10),
        Column(_("Total"), lambda r, t: r.total, num=True, width=10),
    ]


class DocumentTypeTable(Table):
    title = _("Document types")
    columns = [
        Column(_("Name"), lambda o, t: o.name, link=lambda o, t: (reverse("documents:type_edit", args=[o.pk])
                                                                 if t.may_edit else None), width=32),
        Column(_("Abbreviation"), lambda o, t: o.abbreviation, width=12),
        Column(_("System"), lambda o, t: o.get_system_display(), width=16),
        Column(_("Symbol form"), lambda o, t: o.symbol_pattern, width=24),
        Column(_("Number sequence"), lambda o, t: o.sequence, width=14),
        Column(_("In use from"), lambda o, t: o.valid_from, width=12),
        Column(_("In use until"), lambda o, t: o.valid_to, width=12),
        Column(_("Legal basis"), lambda o, t: o.legal_basis, width=40),
    ]

    def __init__(self, may_edit: bool = False):
        self.may_edit = may_edit
