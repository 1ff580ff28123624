import pytest

from tinhgon.core.text import fold, search_terms


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Phường Phúc Xá", "phuong phuc xa"),
        ("Quận Ba Đình", "quan ba dinh"),
        ("ĐẶC KHU CÔN ĐẢO", "dac khu con dao"),
        ("Nguyễn Văn A", "nguyen van a"),
        ("  Thừa   Thiên  Huế ", "thua thien hue"),
        ("Bắc Ninh", "bac ninh"),
        ("ỷ ỹ ự ữ ợ", "y y u u o"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_decomposed_input_matches_precomposed():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Phường Phúc Xá")) == "phuong phuc xa"


def test_search_terms_split_and_fold():
    assert search_terms("Phúc  XÁ") == ["phuc", "xa"]
    assert search_terms("   ") == []
