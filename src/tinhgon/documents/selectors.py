"""Reads of the documents registry: the scoped list, the symbol and title search, counts by type.

Symbol search folds the query (``DA/TU`` = ``ĐA/TU``) and matches by prefix the stored folded
symbol (a query starting with its number) or its tail without the number (one without) — one
index range, on both databases
(``core.scoping.scope_q`` writes the prefix as a range on SQLite). A page of the list reads the
ids first — from the covering index of the symbol and the date alone — then the page's rows by id
(:func:`page_of`), so that a symbol matching thousands of documents sorts index entries, not rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tinhgon.core.pagination import CappedPaginator
from tinhgon.core.scoping import VIEW, restrict, scope_q
from tinhgon.core.text import search_terms

from . import rules
from .models import Document, DocumentType

_SYMBOLISH = re.compile(r"[/\-]|^\d+$")


def documents_for(user, action: str = VIEW) -> QuerySet[Document]:
    """The documents ``user`` may reach for ``action``."""
    return restrict(Document.objects.select_related("doc_type", "unit", "term"), user, action)


def document_search(qs: QuerySet[Document], q: str | None) -> QuerySet[Document]:
    """Documents whose symbol starts with the query (with or without its number and accents),
    or — when the query is no symbol — whose title contains every folded term."""
    text = (q or "").strip()
    if not text:
        return qs
    folded = rules.fold_symbol(text)
    if _SYMBOLISH.search(text):
        # A query starting with the number reads the whole symbol; one without it, the symbol's tail
        # (a symbol that starts otherwise is its own tail): one index range either way.
        return qs.filter(scope_q("symbol_folded" if folded[:1].isdigit() else "symbol_tail", [folded]))
    cond = Q()
    for term in search_terms(text):
        cond &= Q(title_folded__contains=term)
    return qs.filter(cond | scope_q("symbol_tail", [folded]))


def paginator(qs: QuerySet[Document], size: int = 50) -> CappedPaginator:
    """A paginator of ``qs`` (ordered) with the exact count that pages ids first, then fetches
    the page's rows by id (with ``qs``'s related rows and prefetches)."""
    return CappedPaginator(qs, size, exact=True)


def page_of(qs: QuerySet[Document], number=None, *, size: int = 50):
    """Page ``number`` of ``qs`` (``last``, a bad or a too large number: the last page)."""
    p = paginator(qs, size)
    return p.get_page(p.num_pages if number == "last" else number)


@dataclass(frozen=True)
class TypeCount:
    doc_type_id: int
    name: str
    abbreviation: str
    system: str
    issued: int
    received: int

    @property
    def total(self) -> int:
        return self.issued + self.received


def counts_by_type(qs: QuerySet[Document], *, start: dt.date | None = None,
                   end: dt.date | None = None) -> list[TypeCount]:
    """Documents per type in ``qs`` (a scoped queryset) dated in ``[start, end]``, most first."""
    if start:
        qs = qs.filter(issued_on__gte=start)
    if end:
        qs = qs.filter(issued_on__lte=end)
    rows = (qs.order_by().values("doc_type").annotate(
        issued=Count("id", filter=Q(direction=Document.ISSUED)),
        received=Count("id", filter=Q(direction=Document.RECEIVED))))
    types = {t.pk: t for t in DocumentType.objects.filter(pk__in=[r["doc_type"] for r in rows])}
    out = [TypeCount(r["doc_type"], types[r["doc_type"]].name, types[r["doc_type"]].abbreviation,
                     types[r["doc_type"]].system, r["issued"], r["received"]) for r in rows]
    return sorted(out, key=lambda c: (-c.issued, -c.received, c.name))


def counts_by_year(qs: QuerySet[Document]) -> list[tuple[int, int]]:
    """Issued documents per calendar year in ``qs``."""
    return list(qs.filter(direction=Document.ISSUED).order_by().values_list("year").annotate(n=Count("id"))
                .order_by("year"))


def documents_counts(qs: QuerySet[Document], *, unit=None, start: dt.date | None = None,
                     end: dt.date | None = None, predecessors: bool = True) -> list[TypeCount]:
    """Counts by type of the documents ``qs`` (from ``documents_for(user)``) of ``unit``'s subtree
    (and, with ``predecessors``, of the units that became it — a merged province's documents count
    for its successor's history) in the period."""
    if unit is not None:
        qs = qs.filter(within_q(unit, predecessors=predecessors))
    return counts_by_type(qs, start=start, end=end)


def within_q(unit, *, predecessors: bool = True) -> Q:
    """Documents of ``unit``'s subtree, and of its predecessors' subtrees through the lineage."""
    cond = scope_q("unit__path", [unit.path])
    if predecessors:
        from tinhgon.restructuring.selectors import unit_predecessors

        paths = sorted({a.path for a in unit_predecessors(unit) if a.path and not a.path.startswith(unit.path)})
        if paths:
            cond |= scope_q("unit__path", paths)
    return cond
