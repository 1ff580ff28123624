"""Accent and case folding for Vietnamese search.

``fold("Phường Phúc Xá") == "phuong phuc xa"``; ``fold("Ba Đình") == "ba dinh"``.
The folded text is stored next to the original in an indexed column, so the same
``LIKE`` query answers on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


@lru_cache(maxsize=65536)
def fold(value: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d included) and collapse spaces."""
    if not value:
        return ""
    text = unicodedata.normalize("NFD", value.translate(_EXTRA))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()


def search_terms(query: str | None) -> list[str]:
    """Split a user's query into folded terms; every term must match."""
    return [t for t in fold(query).split(" ") if t]
