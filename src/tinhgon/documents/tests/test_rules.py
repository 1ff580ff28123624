"""Numbering rules: symbols, sequences, repeats and gaps (RULES.md §4, Decree 30/2020)."""

import pytest

from tinhgon.documents import rules


@pytest.mark.parametrize(("pattern", "number", "abbr", "issuer", "year", "expected"), [
    ("{nn}-{abbr}/{issuer}", 9, "NQ", "TU", 2026, "09-NQ/TU"),
    ("{nn}-{abbr}/{issuer}", 127, "KL", "TW", 2025, "127-KL/TW"),
    ("{nn}-{abbr}/{issuer}", 1, "ĐA", "TU", 2026, "01-ĐA/TU"),
    ("{n}/{abbr}-{issuer}", 123, "QĐ", "UBND", 2025, "123/QĐ-UBND"),
    ("{n}/{year}/{issuer}", 76, "NQ", "UBTVQH15", 2025, "76/2025/UBTVQH15"),
    ("{n}/{year}/{abbr}-{issuer}", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("{n}/{abbr}-{issuer}", 45, "", "UBND", 2025, "45/UBND"),
])
def test_render_symbol(pattern, number, abbr, issuer, year, expected):
    assert rules.render_symbol(pattern, number=number, abbreviation=abbr, issuer=issuer, year=year) == expected


@pytest.mark.parametrize(("pattern", "problems"), [
    ("{nn}-{abbr}/{issuer}", []),
    ("{abbr}/{issuer}", ["no_number"]),
    ("{nn}-{kind}/{issuer}", ["unknown:kind"]),
    ("{nn-{abbr}", ["malformed"]),
])
def test_pattern_problems(pattern, problems):
    assert rules.pattern_problems(pattern) == problems


@pytest.mark.parametrize(("existing", "number", "proposed", "duplicate", "skipped"), [
    ([], 1, 1, False, []),
    ([1, 2, 3], 4, 4, False, []),
    ([1, 2, 3], 3, 4, True, []),
    ([1, 2, 3], 6, 4, False, [4, 5]),
    ([1, 3], 2, 4, False, []),          # fills an earlier gap: fine
    ([], 3, 1, False, [1, 2]),
])
def test_check_number(existing, number, proposed, duplicate, skipped):
    c = rules.check_number(existing, number)
    assert (c.proposed, c.duplicate, c.skipped) == (proposed, duplicate, skipped)
    assert c.needs_reason == (duplicate or bool(skipped))


def test_gaps_and_text():
    assert rules.gaps([1, 2, 5, 7]) == [3, 4, 6]
    assert rules.skipped_text([4, 5]) == "4, 5"
    assert rules.skipped_text(list(range(4, 60))) == "4–59"


@pytest.mark.parametrize(("symbol", "folded", "tail"), [
    ("01-ĐA/TU", "01-da/tu", "da/tu"),
    ("123/QĐ-UBND", "123/qd-ubnd", "qd-ubnd"),
    ("127-KL/TW", "127-kl/tw", "kl/tw"),
    ("76/2025/UBTVQH15", "76/2025/ubtvqh15", "2025/ubtvqh15"),
])
def test_search_forms(symbol, folded, tail):
    assert rules.fold_symbol(symbol) == folded
    assert rules.symbol_tail(folded) == tail


def test_sequence_key_party_by_term_state_by_year():
    assert rules.sequence_key(system="party", body_code="01-TU", group="QĐ", term_id=7) == "party|01-TU|t7|QĐ"
    assert rules.sequence_key(system="state", body_code="01-UBND", group="QĐ", year=2025) == "state|01-UBND|2025|QĐ"
    assert rules.leading_number("127-KL/TW") == 127
    assert rules.leading_number("KL/TW") is None
