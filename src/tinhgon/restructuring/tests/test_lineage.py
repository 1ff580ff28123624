"""Lineage across plans and the address converter."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.apparatus.models import Unit
from tinhgon.restructuring.selectors import resolve_address, unit_lineage
from tinhgon.restructuring.testing import applied_plan

pytestmark = pytest.mark.django_db
DAY1, DAY2 = dt.date(2025, 7, 1), dt.date(2026, 1, 1)


apply = applied_plan


@pytest.fixture
def two_plans(tree):
    apply(DAY1, [
        ("merge", {"sources": ["00001", "00004"], "target": {"code": "00004", "name": "Phường Ba Đình", "kind": "phuong"}}),
        ("split", {"source": "08974", "targets": [
            {"code": "08975", "name": "Xã Tiến Thắng", "kind": "xa", "share": 0.25},
            {"code": "08976", "name": "Xã Quang Minh", "kind": "xa", "share": 0.75}]}),
        ("dissolve_level", {"level": "district", "children_to": "province"}),
    ])
    apply(DAY2, [("rename", {"code": "00004", "name": "Phường Ba Đình – Hoàn Kiếm"})])
    return tree


def test_lineage_forward_across_two_plans(two_plans):
    old = Unit.objects.get(code="00001")
    lin = unit_lineage(old, as_of=DAY2)
    assert [(e.kind, e.successor["code"]) for e in lin.became] == [("merge", "00004"), ("rename", "00004")]
    assert [(c["name"], c["share"]) for c in lin.current] == [("Phường Ba Đình – Hoàn Kiếm", 1.0)]


def test_lineage_of_a_divided_commune_has_all_successors_with_shares(two_plans):
    old = Unit.objects.get(code="08974")
    lin = unit_lineage(old)
    assert sorted((e.successor["code"], e.share) for e in lin.became) == [("08975", 0.25), ("08976", 0.75)]


def test_lineage_backward(two_plans):
    today = unit_selectors.unit_version_on("00004", DAY2)
    lin = unit_lineage(today)
    assert sorted(o["name"] for o in lin.origins) == ["Phường Phúc Xá", "Phường Trúc Bạch"]


@pytest.mark.parametrize("query", ["phuong phuc xa", "Phúc Xá, Ba Đình", "phuc xa, ba dinh, ha noi", "00001"])
def test_resolve_old_address_to_today(two_plans, query):
    results = resolve_address(query, as_of=DAY2)
    assert results, query
    first = results[0]
    assert first.matched["name"] == "Phường Phúc Xá"
    assert [c["name"] for c in first.current] == ["Phường Ba Đình – Hoàn Kiếm"]


def test_resolve_a_dissolved_district_to_what_its_communes_became(two_plans):
    results = resolve_address("huyen me linh", as_of=DAY1)
    assert results[0].matched["name"] == "Huyện Mê Linh"
    assert sorted(c["code"] for c in results[0].current) == ["08975", "08976"]


def test_resolve_wrong_ancestor_finds_nothing(two_plans):
    assert resolve_address("phuc xa, ho chi minh", as_of=DAY2) == []
    assert resolve_address("   ", as_of=DAY2) == []
