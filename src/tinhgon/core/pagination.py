"""Pagination for the pages and the API, with an optional capped count.

Counting every match of a broad search over a national table costs more than
fetching the page a user looks at ("nguyen van" matches tens of thousands of
cadres).  :class:`CappedPaginator` counts at most ``cap`` rows beyond the start of
the requested page, in the same query that finds the page; when there are more,
``count_exact`` is False, the count is "more than ``limit``" and one more page is
offered, so paging on keeps working (each step counts a little further).  Asking for the exact count stays possible
(``count=exact`` on the page or the API).
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response

from .filters import INT64_MAX

COUNT_CAP = 1000


def wants_exact_count(request) -> bool:
    return request.GET.get("count") == "exact"


class CappedPaginator(Paginator):
    """A paginator whose count stops ``cap`` rows after the requested page starts.

    ``count_exact`` says whether :attr:`count` is the true number of rows; when it is
    not, the true number is larger than :attr:`count_limit`, and :attr:`count` is
    ``count_limit + 1`` so that the page after the last counted one still exists.

    For a queryset, :meth:`page` asks the database once for the ids, in order, from the
    start of the page up to ``cap`` rows on (the page and the capped count in one go:
    a name search builds its match set once, not twice), then reads the page's rows by
    primary key. Lists, and an exact count, go the usual way.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, exact: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.exact = exact

    def _is_queryset(self) -> bool:
        return hasattr(self.object_list, "values_list")

    @cached_property
    def _counted(self) -> tuple[int, int | None]:
        """(count, limit): limit is None when the count is exact. Used when the count is
        asked before a page (a page sets it from the ids it read)."""
        if self.exact or not self._is_queryset():
            return super().count, None
        limit = max(self.cap, self.per_page)
        n = self.object_list.order_by().values("pk")[: limit + 1].count()
        return (limit + 1, limit) if n > limit else (n, None)

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_limit(self) -> int | None:
        """The number the count stopped at (there are more rows), or None when it is exact."""
        return self._counted[1]

    @property
    def count_exact(self) -> bool:
        return self._counted[1] is None

    def get_page(self, number):
        """Like Django's: a bad number gives page 1, one past the end the true last page."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            if self._is_queryset() and not self.exact:
                self.__dict__["_counted"] = (self.object_list.count(), None)
                self.__dict__.pop("num_pages", None)
            return self.page(self.num_pages)

    def page(self, number):
        if not self._is_queryset():
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom + max(self.cap, self.per_page) >= INT64_MAX:
            # An offset no database takes (``?page=99999999999999999999``): past any end.
            raise EmptyPage(self.error_messages["no_results"])
        if self.exact:
            if number > 1 and bottom >= self.count:
                raise EmptyPage(self.error_messages["no_results"])
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        else:
            # Up to ``cap`` rows from the start of the page (never less than the page itself).
            limit = bottom + max(self.cap, self.per_page)
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:limit + 1])
            if not ids and number > 1:
                raise EmptyPage(self.error_messages["no_results"])
            seen = bottom + len(ids)
            self.__dict__["_counted"] = (limit + 1, limit) if seen > limit else (seen, None)
            self.__dict__.pop("num_pages", None)
            ids = ids[: self.per_page]
        rows = {obj.pk: obj for obj in self._rows(ids)}
        return self._get_page([rows[i] for i in ids if i in rows], number, self)

    def _rows(self, ids):
        """The rows with these primary keys, loaded as the queryset loads them (related rows,
        deferred fields, prefetches) but without its filters: the ids already passed them, and
        repeating a name search's filters would run its match a second time."""
        base = self.object_list
        if base.query.annotations or base.query.extra:
            return base.order_by().filter(pk__in=ids)
        qs = base.model._default_manager.filter(pk__in=ids)
        qs.query.select_related = base.query.select_related
        qs.query.deferred_loading = base.query.deferred_loading
        if base._prefetch_related_lookups:
            qs = qs.prefetch_related(*base._prefetch_related_lookups)
        return qs


def capped_page(request, items, size: int, *, param: str = "page"):
    """The requested page of ``items`` with a capped count (exact when the request asks)."""
    return CappedPaginator(items, size, exact=wants_exact_count(request)).get_page(request.GET.get(param))


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class CappedPagination(Pagination):
    """Page-number pagination whose ``count`` stops at 1,000 rows past the page (``count_exact``
    says whether it is exact; ``?count=exact`` asks for the exact count)."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = lambda qs, size: CappedPaginator(qs, size, exact=wants_exact_count(request))
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(OrderedDict([
            ("count", paginator.count_limit if not paginator.count_exact else paginator.count),
            ("count_exact", paginator.count_exact),
            ("next", self.get_next_link()),
            ("previous", self.get_previous_link()),
            ("results", data),
        ]))

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count"]["description"] = str(_(
            "Number of matches; when count_exact is false, there are more than this many."))
        out["properties"] = {
            "count": out["properties"]["count"],
            "count_exact": {"type": "boolean", "example": True, "description": str(_(
                "False when the count stopped at 1,000 rows past the page; ask count=exact for the exact one."))},
            **{k: v for k, v in out["properties"].items() if k != "count"},
        }
        out["required"] = ["count", "count_exact", "results"]
        return out

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        params.append({"name": "count", "required": False, "in": "query", "schema": {"type": "string",
                       "enum": ["exact"]}, "description": str(_("exact: count every match (slower)."))})
        return params
