"""The converter over the whole country (the real apparatus and the 2025 plan): run with ``pytest -m slow``."""

import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhgon.addresses.index import get_index
from tinhgon.addresses.national import DAY, EVE, old_communes
from tinhgon.addresses.resolver import resolve
from tinhgon.core.text import fold
from tinhgon.restructuring.models import Succession

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def country(django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_vn_admin_units", verbosity=0, stdout=io.StringIO())
        call_command("import_vn_2025_plan", verbosity=0, stdout=io.StringIO())
        succ = defaultdict(list)
        for p, s in Succession.objects.order_by("id").values_list("predecessor_id", "successor_id"):
            succ[p].append(s)
        communes = old_communes()
        try:
            yield {"successors": succ, "communes": communes}
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def idx(country, db):
    return get_index()


TABLE = [
    ("Phường 15, Quận Tân Bình, Thành phố Hồ Chí Minh", "Phường Tân Sơn"),
    ("phuong 15, tan binh, ho chi minh", "Phường Tân Sơn"),
    ("P.15, Q.Tân Bình, TP.HCM", "Phường Tân Sơn"),
    ("P15 Q Tan Binh TPHCM", "Phường Tân Sơn"),
    ("59 nguyễn sỹ sách, p15, tan binh, hcm", "Phường Tân Sơn"),
    ("phuc xa ba dinh ha noi", "Phường Hồng Hà"),
    ("Phường Phúc Xá, Quận Ba Đình, Hà Nội", "Phường Hồng Hà"),
    # A ward named after the street, no comma between; "Thị xã" is no "Xã".
    ("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội", "Phường Cửa Nam"),
    ("số 12 ngõ 5 đường Lê Lợi, Phường Đông Mai, Thị xã Quảng Yên, Tỉnh Quảng Ninh", "Phường Đông Mai"),
]


@pytest.mark.parametrize("text, first", TABLE)
def test_the_table_of_the_issue(idx, text, first):
    r = resolve(idx, text, as_of=DAY)
    assert r.candidates and r.candidates[0]["name"] == first, (text, r.status, r.reason)


def test_the_divided_ward_with_a_street_lists_every_successor_offline(idx):
    r = resolve(idx, "59 nguyễn sỹ sách, p15, tan binh, hcm", as_of=DAY)
    assert r.status == "divided" and len(r.candidates) >= 2 and r.street == "59 nguyễn sỹ sách"
    assert r.new_address == "59 nguyễn sỹ sách, Phường Tân Sơn, Thành phố Hồ Chí Minh"


def test_every_old_commune_in_full_resolves_to_exactly_its_successors(idx, country):
    wrong = []
    for c in country["communes"]:
        r = resolve(idx, f"{c.name}, {c.district}, {c.province}", as_of=DAY)
        got = [x["id"] for x in r.candidates]
        if got != country["successors"][c.id]:
            wrong.append((c.code, c.name, r.status, [x["name"] for x in r.candidates]))
    assert len(country["communes"]) == 10035
    assert wrong == []


def test_every_new_commune_reverses_to_exactly_its_predecessors(idx, country):
    preds = defaultdict(set)
    for p, ss in country["successors"].items():
        for s in ss:
            preds[s].add(p)
    wrong = 0
    for e in idx.entries.values():
        if e.level != "commune" or e.valid_from != DAY:
            continue
        province = idx.version_on(e.codes[0], DAY).name
        r = resolve(idx, f"{e.name}, {province}", as_of=DAY, reverse=True)
        wrong += {x["id"] for x in r.candidates} != preds[e.id] or any(x["valid_on"] != EVE for x in r.candidates)
    assert wrong == 0


# Property tests: commas, case, type words and accents ------------------------------------------


def _sample(country, i):
    return country["communes"][i % len(country["communes"])]


def _answer(idx, text):
    r = resolve(idx, text, as_of=DAY)
    return r.status, [x["id"] for x in r.candidates]


def _strip_type(name):
    for t in ("Phường ", "Xã ", "Thị trấn ", "Quận ", "Huyện ", "Thị xã ", "Thành phố ", "Tỉnh "):
        if name.startswith(t) and not name[len(t):].split(" ")[0].isdigit():
            return name[len(t):]
    return name


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 10034), commas=st.lists(st.booleans(), min_size=2, max_size=2),
       case=st.sampled_from([str.lower, str.upper, str.title, lambda s: s]),
       types=st.lists(st.booleans(), min_size=3, max_size=3))
def test_commas_case_and_type_words_never_change_the_answer(idx, country, i, commas, case, types):
    """Derandomized so that CI reads the same examples every run; a case a random run found and
    the parser still reads wrongly is kept below as a known failure."""
    c = _sample(country, i)
    base = _answer(idx, f"{c.name}, {c.district}, {c.province}")
    parts = [n if keep else _strip_type(n) for n, keep in zip((c.name, c.district, c.province), types, strict=True)]
    text = parts[0] + ("," if commas[0] else "") + " " + parts[1] + ("," if commas[1] else "") + " " + parts[2]
    got = _answer(idx, case(text))
    if types[0] or not _strip_type(c.name) != c.name:
        assert got == base, (text, got, base)
    else:  # without its type word a commune may meet a namesake of another kind: never lost, though
        assert set(base[1]) <= set(got[1]) or got == base, (text, got, base)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, 10034))
def test_removing_accents_never_loses_the_right_unit(idx, country, i):
    c = _sample(country, i)
    expected = set(country["successors"][c.id])
    r = resolve(idx, fold(f"{c.name}, {c.district}, {c.province}"), as_of=DAY)
    got = {x["id"] for x in r.candidates}
    assert expected <= got, (c.name, r.status)
    if r.status != "ambiguous":
        assert [x["id"] for x in r.candidates] == country["successors"][c.id]


@pytest.mark.xfail(strict=True, reason="known: with neither commas nor type words, a post-2025 ward's name at the "
                                       "end of an old district's name (Từ Liêm in Bắc Từ Liêm) wins over the "
                                       "commune and district the text names")
def test_no_commas_no_type_words_district_ending_in_a_new_ward_name(idx):
    got = resolve(idx, "Thượng Cát Bắc Từ Liêm, Hà Nội", as_of=DAY)
    want = resolve(idx, "Phường Thượng Cát, Quận Bắc Từ Liêm, Thành phố Hà Nội", as_of=DAY)
    assert [x["id"] for x in got.candidates] == [x["id"] for x in want.candidates]
