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
    codes = [u.code for u in units()]
    assert len(codes) > 8
    p = CappedPaginator(units(), 2, cap=3)
    assert not p.count_exact and p.count_limit == 3  # asked before a page: counted from the start
    page = CappedPaginator(units(), 2, cap=3).page(1)
    assert [u.code for u in page.object_list] == codes[:2]
    assert page.paginator.count_limit == 3 and page.paginator.count == 4  # "more than 3"
    assert page.has_next() and page.paginator.num_pages == 2
    page = CappedPaginator(units(), 2, cap=3).page(3)  # counts from the start of the page asked
    assert [u.code for u in page.object_list] == codes[4:6]
    assert page.paginator.count_limit == 7 and page.paginator.count == 8 and page.has_next()
    last = (len(codes) + 1) // 2
    page = CappedPaginator(units(), 2, cap=3).page(last)  # near the end the count is exact
    assert page.paginator.count_exact and page.paginator.count == len(codes) and not page.has_next()
    assert [u.code for u in page.object_list] == codes[(last - 1) * 2:]


def test_pages_past_the_end_and_bad_numbers(tree):
    from django.core.paginator import EmptyPage, PageNotAnInteger

    p = CappedPaginator(units(), 2, cap=3)
    with pytest.raises(EmptyPage):
        p.page(100)
    with pytest.raises(EmptyPage):
        p.page(0)
    with pytest.raises(PageNotAnInteger):
        p.page("x")
    page = CappedPaginator(units(), 2, cap=3).get_page(100)  # get_page falls back to the last page
    assert page.number == page.paginator.num_pages and page.object_list
    with pytest.raises(EmptyPage):
        CappedPaginator(units(), 2, exact=True).page(100)


def test_exact_when_asked(tree):
    p = CappedPaginator(units(), 2, cap=3, exact=True)
    assert p.count == Unit.objects.count() and p.count_exact
    assert [u.code for u in p.page(2).object_list] == [u.code for u in units()[2:4]]


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


def test_page_rows_load_as_the_queryset_says(tree, django_assert_num_queries):
    qs = Unit.objects.filter(code__startswith="0").select_related("level").order_by("-code")
    with django_assert_num_queries(2):  # the ids (with the capped count), then the page's rows
        page = CappedPaginator(qs, 3).page(1)
    with django_assert_num_queries(0):
        levels = [u.level.code for u in page.object_list]
    assert [u.code for u in page.object_list] == [u.code for u in qs[:3]] and all(levels)
