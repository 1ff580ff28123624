"""Reads of the good models registry: the scoped list, search, counts by field, unit (rolled up the
tree) and year."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet

from tinhgon.core.scoping import VIEW, restrict
from tinhgon.core.text import search_terms

from .models import FIELDS, GoodModel


def good_models_for(user, action: str = VIEW) -> QuerySet[GoodModel]:
    return restrict(GoodModel.objects.select_related("unit", "document"), user, action)


def good_model_search(qs: QuerySet[GoodModel], q: str | None) -> QuerySet[GoodModel]:
    cond = Q()
    for term in search_terms(q):
        cond &= Q(title_folded__contains=term)
    return qs.filter(cond)


def counts_by_field(qs: QuerySet[GoodModel]) -> list[tuple[str, str, int]]:
    """(field code, label, count) for every field, most first."""
    got = dict(qs.order_by().values_list("field").annotate(n=Count("id")))
    return sorted(((c, str(label), got.get(c, 0)) for c, label in FIELDS if got.get(c)), key=lambda r: -r[2])


def counts_by_year(qs: QuerySet[GoodModel]) -> list[tuple[int, int]]:
    return list(qs.order_by().values_list("year").annotate(n=Count("id")).order_by("year"))


def counts_by_unit(qs: QuerySet[GoodModel], root=None, *, on=None) -> list[dict]:
    """Counts per child of ``root`` (the country when None), each with its whole subtree.

    Units are matched by their path: a good model of an ended commune counts under the
    branch of the tree its path was in (history is kept as it was).
    """
    from tinhgon.apparatus.models import Unit
    from tinhgon.core.dated import valid_on

    per_path = Counter(dict(qs.order_by().values_list("unit__path").annotate(n=Count("id"))))
    if root is None:
        children = Unit.objects.filter(depth=0)
    else:
        children = Unit.objects.filter(parent_code=root.code, path__startswith=root.path)
    if on is not None:
        children = children.filter(valid_on(on))
    out, seen = [], set()
    for u in children.order_by("path", "-valid_from"):
        if u.path in seen:
            continue
        seen.add(u.path)
        n = sum(c for p, c in per_path.items() if p.startswith(u.path))
        if n:
            out.append({"unit": u, "count": n})
    own = sum(c for p, c in per_path.items() if root is not None and p == root.path)
    if own:
        out.insert(0, {"unit": root, "count": own, "own": True})
    return sorted(out, key=lambda r: -r["count"])
