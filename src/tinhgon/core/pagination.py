"""Pagination for the pages and the API, with an optional capped count.

Counting every match of a broad search over a national table costs more than
fetching the page a user looks at ("nguyen van" matches tens of thousands of
cadres).  :class:`CappedPaginator` counts at most ``cap`` rows beyond the start of
the requested page; when there are more, ``count_exact`` is False, the count is
"more than ``limit``" and one more page is offered, so paging on keeps working
(each step counts a little further).  Asking for the exact count stays possible
(``count=exact`` on the page or the API).
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.response import Response

COUNT_CAP = 1000


def wants_exact_count(request) -> bool:
    return request.GET.get("count") == "exact"


def page_number_hint(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


class CappedPaginator(Paginator):
    """A paginator whose count stops ``cap`` rows after the requested page starts.

    ``count_exact`` says whether :attr:`count` is the true number of rows; when it is
    not, the true number is larger than :attr:`count_limit`, and :attr:`count` is
    ``count_limit + 1`` so that the page after the last counted one still exists.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = None, page_hint: int = 1,
                 exact: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or COUNT_CAP
        self.page_hint = page_hint
        self.exact = exact

    @cached_property
    def _counted(self) -> tuple[int, int | None]:
        """(count, limit): limit is None when the count is exact."""
        qs = self.object_list
        if self.exact or not hasattr(qs, "order_by"):
            return super().count, None
        # Up to ``cap`` rows from the start of the requested page, and never less than that page.
        limit = (self.page_hint - 1) * self.per_page + max(self.cap, self.per_page)
        # Ordering is irrelevant to a count: without it the database stops at limit + 1.
        n = qs.order_by().values("pk")[: limit + 1].count()
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


def capped_page(request, items, size: int, *, param: str = "page"):
    """The requested page of ``items`` with a capped count (exact when the request asks)."""
    number = request.GET.get(param)
    paginator = CappedPaginator(items, size, page_hint=page_number_hint(number), exact=wants_exact_count(request))
    return paginator.get_page(number)


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class CappedPagination(Pagination):
    """Page-number pagination whose ``count`` stops at 1,000 rows past the page (``count_exact``
    says whether it is exact; ``?count=exact`` asks for the exact count)."""

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or 1
        self.django_paginator_class = lambda qs, size: CappedPaginator(
            qs, size, page_hint=page_number_hint(number), exact=wants_exact_count(request))
        self.page_size = page_size
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
