"""The apparatus as of a date: level counts, an expandable tree (children by
HTMX) and the whole subtree of one unit as nested lists."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhgon.core.dated import valid_on

from .. import selectors
from ..models import PATH_SEP, Level, Unit
from ..selectors import TREE_FIELDS
from .common import DEMO_DATES, as_of_from, scoped_version, today, unit_or_404, units


def _subtree_counts(date: dt.date, rows: list[dict], root_path: str) -> dict[str, dict[str, int]]:
    """Like :func:`selectors.descendant_counts`, reading only the subtree under ``root_path``."""
    wanted = {r["path"] for r in rows}
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    qs = Unit.objects.filter(valid_on(date), path__startswith=root_path).values_list("path", "level__code")
    for path, level in qs.iterator(chunk_size=5000):
        parts = path.split(PATH_SEP)[:-2]
        for i in range(len(parts)):
            prefix = PATH_SEP.join(parts[: i + 1]) + PATH_SEP
            if prefix in wanted:
                out[prefix][level] += 1
    return out


def _nodes(rows: list[dict], counts: dict[str, dict[str, int]], levels: list[Level]) -> list[dict]:
    for r in rows:
        c = counts.get(r["path"], {})
        r["counts"] = [(lv.name, c[lv.code]) for lv in levels if c.get(lv.code)]
        r["has_children"] = bool(r["counts"])
    return rows


@login_required
def tree(request):
    date, date_error = as_of_from(request)
    levels = list(Level.objects.order_by("rank"))
    rows = list(units(request.user).filter(valid_on(date), depth=0).order_by("path").values(*TREE_FIELDS))
    nodes = _nodes(rows, selectors.descendant_counts(date, rows), levels)
    return render(request, "apparatus/tree.html", {
        "as_of": date, "date_error": date_error, "demo_dates": DEMO_DATES,
        "level_counts": selectors.level_counts_as_of(date), "nodes": nodes,
    })


@login_required
def tree_children(request, code: str):
    """HTMX partial: the children of one unit as of a date, as tree nodes."""
    date, _error = as_of_from(request)
    parent = scoped_version(request.user, code, date)
    if parent is None:
        raise Http404(_("No such unit on that date."))
    rows = list(
        units(request.user).filter(valid_on(date), parent_code=parent.code, path__startswith=parent.path)
        .order_by("path").values(*TREE_FIELDS)
    )
    levels = list(Level.objects.order_by("rank"))
    nodes = _nodes(rows, _subtree_counts(date, rows, parent.path), levels)
    return render(request, "apparatus/partials/tree_nodes.html", {"nodes": nodes, "as_of": date})


def nest(rows: list[dict], levels: list[Level]) -> list[dict]:
    """Tree-ordered rows → items carrying their depth, whether they open a sub-list,
    how many lists close after them, and counts of descendants per level.

    Built in one pass with a stack of open paths (no query per node)."""
    level_name = {lv.code: lv.name for lv in levels}
    level_rank = {lv.code: lv.rank for lv in levels}
    stack: list[dict] = []
    items: list[dict] = []
    for r in rows:
        while stack and not r["path"].startswith(stack[-1]["path"]):
            stack.pop()
        for anc in stack:
            anc["_counts"][r["level__code"]] += 1
        item = {**r, "depth": len(stack), "_counts": defaultdict(int)}
        items.append(item)
        stack.append(item)
    for i, item in enumerate(items):
        next_depth = items[i + 1]["depth"] if i + 1 < len(items) else 0
        item["opens"] = next_depth > item["depth"]
        item["closes"] = range(0 if item["opens"] else item["depth"] - next_depth)
        item["counts"] = [(level_name.get(c, c), n) for c, n in
                          sorted(item.pop("_counts").items(), key=lambda kv: level_rank.get(kv[0], 99))]
    return items


@login_required
def unit_tree(request, pk: int):
    """The whole subtree of one unit as of a date, as nested lists."""
    unit = unit_or_404(request.user, pk)
    default = today() if unit.is_valid_on(today()) else (unit.last_valid_day or unit.valid_from)
    date, date_error = as_of_from(request, default)
    root = unit if unit.is_valid_on(date) else scoped_version(request.user, unit.code, date)
    levels = list(Level.objects.order_by("rank"))
    items = nest(selectors.unit_tree_as_of(date, root_path=root.path), levels) if root else []
    return render(request, "apparatus/unit_tree.html", {
        "unit": unit, "root": root, "as_of": date, "date_error": date_error, "items": items,
        "level_counts": [lc for lc in selectors.level_counts_as_of(date, root_path=root.path) if lc["count"]]
        if root else [],
        "demo_dates": DEMO_DATES,
    })
