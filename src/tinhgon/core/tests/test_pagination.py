"""The capped count: exact under the cap, "more than N" above it, paging on still works."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tinhgon.apparatus.models import Unit
from tinhgon.core import pagination
from tinhgon.core.pagination import CappedPaginator, capped_page

pytestmark = pytest.mark.django_db


def units():
    return Unit.objects.order_by("code")


def test_exact_under_the_cap(tree):
    p = CappedPaginator(units(), 2, cap=100)
    assert p.count == Unit.objects.count()
    assert p.count_exact and p.count_limit is None


def test_capped_above_the_cap_offers_one_more_page(tree):
    total = Unit.objects.count()
    assert total > 8
    p = CappedPaginator(units(), 2, cap=3)
    assert not p.count_exact and p.count_limit == 3
    assert p.count == 4  # "more than 3": one row past the limit, so page 2 exists
    assert p.num_pages == 2
    assert p.page(2).has_next() is False  # the counted pages end here; paging on counts further
    p = CappedPaginator(units(), 2, cap=3, page_hint=3)
    assert p.count_limit == 7 and p.count == 8  # counts from the start of the requested page on
    assert [u.code for u in p.page(3).object_list] == [u.code for u in units()[4:6]]


def test_exact_when_asked(tree):
    p = CappedPaginator(units(), 2, cap=3, exact=True)
    assert p.count == Unit.objects.count() and p.count_exact


def test_lists_are_counted_exactly():
    p = CappedPaginator(list(range(10)), 3, cap=2)
    assert p.count == 10 and p.count_exact


def test_capped_page_reads_the_request(tree, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    rf = RequestFactory()
    page = capped_page(rf.get("/x", {"page": "2"}), units(), 2)
    assert page.number == 2 and not page.paginator.count_exact
    page = capped_page(rf.get("/x", {"page": "2", "count": "exact"}), units(), 2)
    assert page.paginator.count == Unit.objects.count()
    page = capped_page(rf.get("/x", {"page": "zz"}), units(), 2)
    assert page.number == 1
