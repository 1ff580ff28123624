"""The converter over a small registry and two plans: forward, backward, statuses, the cache."""

import datetime as dt

import pytest

from tinhgon.addresses.selectors import convert_address
from tinhgon.apparatus.tests.factories import make_tree
from tinhgon.restructuring.testing import applied_plan

pytestmark = pytest.mark.django_db
DAY1, DAY2 = dt.date(2025, 7, 1), dt.date(2026, 1, 1)
EVE = DAY1 - dt.timedelta(days=1)

TREE = {
    "01:Thành phố Hà Nội:thanh-pho-tw": {
        "001:Quận Ba Đình:quan": {
            "00001:Phường Phúc Xá:phuong": {},
            "00004:Phường Trúc Bạch:phuong": {},
        },
        "250:Huyện Mê Linh:huyen": {"08974:Xã Đại Thịnh:xa": {}},
    },
    "15:Tỉnh Yên Bái:tinh": {
        "136:Huyện Trấn Yên:huyen": {"04402:Xã Minh Quân:xa": {}, "04405:Xã Minh Quán:xa": {}},
    },
    "79:Thành phố Hồ Chí Minh:thanh-pho-tw": {
        "766:Quận Tân Bình:quan": {"27007:Phường 15:phuong": {}, "27010:Phường 14:phuong": {}},
        "760:Quận 1:quan": {"26734:Phường Tân Định:phuong": {}},
    },
}


def applied_plan_2025():
    """The two plans of this small registry (the second renames the merged ward)."""
    applied_plan(DAY1, [
        ("merge", {"sources": ["00001", "00004"], "target": {"code": "00004", "name": "Phường Ba Đình", "kind": "phuong"}}),
        ("split", {"source": "08974", "targets": [
            {"code": "08975", "name": "Xã Tiến Thắng", "kind": "xa", "share": 0.25},
            {"code": "08976", "name": "Xã Quang Minh", "kind": "xa", "share": 0.75}]}),
        ("split", {"source": "27007", "targets": [
            {"code": "27008", "name": "Phường Tân Sơn", "kind": "phuong", "share": 0.5},
            {"code": "27009", "name": "Phường Tân Bình", "kind": "phuong", "share": 0.5}]}),
        ("dissolve_level", {"level": "district", "children_to": "province"}),
    ])
    applied_plan(DAY2, [("rename", {"code": "00004", "name": "Phường Ba Đình – Hoàn Kiếm"})])


@pytest.fixture
def registry(db):
    tree = make_tree(TREE)
    applied_plan_2025()
    return tree


def names(r):
    return [c["name"] for c in r.candidates]


@pytest.mark.parametrize("text", [
    "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", "phuc xa ba dinh ha noi", "P. Phúc Xá, Q. Ba Đình, HN",
    "phuong phuc xa", "00001"])
def test_an_old_commune_to_what_it_is_after_two_plans(registry, text):
    r = convert_address(text, as_of=DAY2)
    assert r.status == "exact" and names(r) == ["Phường Ba Đình – Hoàn Kiếm"], text
    assert r.matched[0]["name"] == "Phường Phúc Xá"


def test_between_the_plans_the_first_plan_answers(registry):
    assert names(convert_address("phuc xa, ba dinh, ha noi", as_of=DAY1)) == ["Phường Ba Đình"]
    assert names(convert_address("phuc xa, ba dinh, ha noi", as_of=EVE)) == ["Phường Phúc Xá"]


@pytest.mark.parametrize("text", ["59 nguyễn sỹ sách, p15, tan binh, hcm", "59 Nguyễn Sỹ Sách P15 Q Tan Binh TPHCM",
                                  "59 nguyễn sỹ sách, F.15, Q.Tân Bình, TP.HCM"])
def test_a_divided_ward_gives_every_successor_default_first_and_keeps_the_street(registry, text):
    r = convert_address(text, as_of=DAY1)
    assert r.status == "divided"
    assert names(r) == ["Phường Tân Sơn", "Phường Tân Bình"]
    assert [c["default"] for c in r.candidates] == [True, False]
    assert [c["share"] for c in r.candidates] == [0.5, 0.5]
    assert r.street.lower() == "59 nguyễn sỹ sách"
    assert r.new_address.endswith("Phường Tân Sơn, Thành phố Hồ Chí Minh")
    assert r.understood["commune"]["unit"] == "Phường 15" and r.understood["district"]["unit"] == "Quận Tân Bình"


def test_split_shares_follow_the_lineage(registry):
    r = convert_address("Xã Đại Thịnh, Huyện Mê Linh, Hà Nội", as_of=DAY2)
    assert [(c["code"], c["share"]) for c in r.candidates] == [("08975", 0.25), ("08976", 0.75)]


def test_without_accents_two_communes_are_candidates_with_accents_one(registry):
    r = convert_address("xa minh quan, tran yen, yen bai", as_of=DAY1)
    assert r.status == "ambiguous" and sorted(m["name"] for m in r.matched) == ["Xã Minh Quán", "Xã Minh Quân"]
    r = convert_address("Xã Minh Quân, Trấn Yên, Yên Bái", as_of=DAY1)
    assert r.status == "exact" and r.matched[0]["name"] == "Xã Minh Quân"


def test_a_numbered_ward_needs_its_district(registry):
    r = convert_address("Phường 14, Quận Tân Bình", as_of=EVE)
    assert r.status == "exact" and names(r) == ["Phường 14"]


def test_a_spelling_mistake_is_corrected_and_reported(registry):
    r = convert_address("phuong phuc xz, ba dinh, ha noi", as_of=DAY2)
    assert r.status == "corrected" and names(r) == ["Phường Ba Đình – Hoàn Kiếm"]
    assert r.corrections == [{"level": "commune", "written": "phuong phuc xz", "read_as": "Phường Phúc Xá"}]


def test_reverse_a_new_ward_back_to_the_old_ones(registry):
    r = convert_address("Phường Ba Đình, Hà Nội", as_of=DAY1, reverse=True)
    assert r.status == "merged" and sorted(names(r)) == ["Phường Phúc Xá", "Phường Trúc Bạch"]
    assert all(c["valid_on"] == EVE for c in r.candidates)
    # The same through the date: an earlier day walks the lineage backward.
    assert sorted(names(convert_address("Phường Tân Sơn, TP HCM", as_of=EVE))) == ["Phường 15"]


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("   ", "empty"), ("xyz 123 abc", "No province"), ("phuc xa, ho chi minh", "not found in"),
])
def test_not_found_says_why(registry, text, reason):
    r = convert_address(text, as_of=DAY2)
    assert r.status == "not_found" and reason in r.reason and not r.candidates


def test_a_plan_applied_later_is_seen_at_once(registry):
    assert names(convert_address("Phường Tân Định, Quận 1, HCM", as_of=DAY2)) == ["Phường Tân Định"]
    applied_plan(dt.date(2026, 3, 1), [("rename", {"code": "26734", "name": "Phường Sài Gòn"})])
    r = convert_address("Phường Tân Định, Quận 1, HCM", as_of=dt.date(2026, 3, 1))
    assert names(r) == ["Phường Sài Gòn"] and r.status == "exact"


def test_a_commune_right_after_the_street_without_a_comma(registry):
    r = convert_address("Số 1 Phúc Xá, Quận Ba Đình, Hà Nội", as_of=DAY1)
    assert r.matched[0]["name"] == "Phường Phúc Xá" and r.street == "Số 1"
