"""Cutting an address into words: abbreviations, accents, commas (pure)."""

import pytest

from tinhgon.addresses.text import accent_key, is_short, name_keys, tokenize


def words(text):
    return [t.f for t in tokenize(text)]


@pytest.mark.parametrize("text, expected", [
    ("P.15, Q.Tân Bình, TP.HCM", ["p", "15", "q", "tan", "binh", "tp", "hcm"]),
    ("P15 Q Tan Binh TPHCM", ["p", "15", "q", "tan", "binh", "tp", "hcm"]),
    ("F05 Q1", ["f", "5", "q", "1"]),
    ("Tỉnh Bà Rịa - Vũng Tàu", ["tinh", "ba", "ria", "vung", "tau"]),
    ("Huyện Ea H'Leo", ["huyen", "ea", "h", "leo"]),
])
def test_abbreviations_and_numbers(text, expected):
    assert words(text) == expected


def test_commas_mark_segments_dots_and_dashes_do_not():
    toks = tokenize("59 Nguyễn Sỹ Sách, P.15; Tân Bình - HCM")
    assert [t.f for t in toks if t.hard] == ["59", "p", "tan"]
    assert toks[1].accented and not toks[0].accented


def test_accent_key_ignores_where_the_tone_mark_sits():
    assert accent_key("Hoà") == accent_key("Hòa")
    assert accent_key("Thuỷ") == accent_key("Thủy")
    assert accent_key("Quân") != accent_key("Quán")


def test_name_keys():
    assert name_keys("Phường Phúc Xá")[0] == "phuc xa"
    assert name_keys("Phường Phúc Xá")[2] == "phuong"
    assert name_keys("Phường 05")[0] == "5"
    assert name_keys("Thành phố Hồ Chí Minh")[0] == "ho chi minh"
    assert name_keys("Thị trấn Đu")[:1] == ("du",) and is_short("du") and is_short("15") and is_short("iv")
    assert not is_short("phuc xa")


def test_digit_like_characters_that_are_not_numbers_are_kept_as_they_are():
    """Superscripts and other characters Python calls digits but int() refuses ("³") are words, not a crash."""
    toks = tokenize("Số ³ ngõ ²5, Phường ¹")
    assert [t.f for t in toks][:2] == ["so", "³"]
    assert tokenize("Số 05 ngõ 7")[1].f == "5"
