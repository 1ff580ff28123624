"""Tables of the good models lists (page rows and Excel from one description)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.core.tables import Column, Table


class GoodModelTable(Table):
    title = _("Good models and practices")
    columns = [
        Column(pgettext_lazy("good model", "Title"), lambda o, t: o.title, link=lambda o, t: reverse("emulation:good_model", args=[o.pk]),
               width=50),
        Column(_("Field"), lambda o, t: o.get_field_display(), width=22),
        Column(_("Unit"), lambda o, t: o.unit.name, width=30),
        Column(_("Year"), lambda o, t: str(o.year), width=8),
        Column(_("Collective or person"), lambda o, t: o.owner, width=24),
        Column(_("Recognition level"), lambda o, t: o.get_recognition_level_display(), width=16),
        Column(_("Recognition decision"), lambda o, t: o.document.symbol if o.document_id else o.recognition_decision,
               width=20),
    ]


class CountTable(Table):
    title = _("Good models by field")

    def __init__(self, first_label, title=None):
        if title:
            self.title = title
        self.columns = [Column(first_label, lambda r, t: r[0], width=40),
                        Column(_("Good models"), lambda r, t: r[1], num=True, width=14)]
