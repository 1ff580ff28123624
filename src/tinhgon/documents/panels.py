"""The documents' panel on the scope dashboard: party documents issued this term, by type."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.core import dashboard
from tinhgon.core.dated import valid_on

from . import selectors
from .models import PARTY, STATE, Document


def documents_panel(request) -> dict | None:
    today = timezone.localdate()
    qs = selectors.documents_for(request.user).filter(direction=Document.ISSUED)
    this_term = qs.filter(doc_type__system=PARTY).filter(valid_on(today, prefix="term__"))
    rows = selectors.counts_by_type(this_term)
    state = qs.filter(doc_type__system=STATE, year=today.year).count()
    if not rows and not state:
        return None
    since = min((d for d in this_term.values_list("term__valid_from", flat=True).order_by("term__valid_from")[:1]),
                default=None)
    return {"total": sum(r.issued for r in rows), "top": rows[:5], "state": state, "year": today.year,
            "since": since}


def register() -> None:
    dashboard.register(dashboard.Panel(key="documents.by_type", title=_("Documents issued this term"),
                                       template="documents/panels/summary.html", context=documents_panel, order=45))
