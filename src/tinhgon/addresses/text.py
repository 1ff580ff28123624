"""Addresses as people write them, cut into tokens (pure: no database).

``tokenize("P.15, Q.Tân Bình, TP.HCM")`` gives the words with their place in the text,
folded (``"tan"``) and with their accents kept in a comparable form (``"tân"``), and
whether a comma (or a semicolon, a line break) comes before each.  Abbreviations are
expanded here: ``P15``/``F15`` → ``phuong 15``, ``Q1`` → ``quan 1``, ``TPHCM``/``HCM`` → ``ho chi
minh``…  Dots and dashes are not boundaries ("Bà Rịa - Vũng Tàu" stays one name).

Unit names go through the same function (:func:`name_key`), so a name and the way it is
written meet on the same key.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tinhgon.core.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_HARD = re.compile(r"[,;\n|]")
_GLUED = re.compile(r"^(p|f|ph|q|x|tt|tx|h|tp)(\d+)$")
# Tone marks (removed from the accent key and written once at the end of the syllable), so that
# "hoà" and "hòa", "thuỷ" and "thủy" compare equal; vowel marks (â, ă, ơ, ư, ô, ê) stay.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}

# Type words, per level (folded, as token tuples).  Single letters are the usual abbreviations.
COMMUNE_TYPES = {("phuong",), ("p",), ("f",), ("ph",), ("xa",), ("x",), ("thi", "tran"), ("tt",), ("dac", "khu")}
DISTRICT_TYPES = {("quan",), ("q",), ("huyen",), ("h",), ("thi", "xa"), ("tx",), ("thanh", "pho"), ("tp",)}
PROVINCE_TYPES = {("tinh",), ("t",), ("thanh", "pho"), ("tp",)}
TYPES = {"commune": COMMUNE_TYPES, "district": DISTRICT_TYPES, "province": PROVINCE_TYPES}
# A type word as written → the type word of a unit's name (to tell "Thị trấn Mường Tè" from "Xã Mường Tè").
CANONICAL_TYPE = {"p": "phuong", "f": "phuong", "ph": "phuong", "x": "xa", "tt": "thi tran", "q": "quan",
                  "h": "huyen", "tx": "thi xa", "tp": "thanh pho", "t": "tinh"}
# Full type words at the start of a unit's name (stripped to form its key), longest first.
NAME_PREFIXES = ("thanh pho ", "thi tran ", "thi xa ", "dac khu ", "phuong ", "huyen ", "quan ", "tinh ", "xa ")
# Street and lane words: a name right after one of them, without its own type word, is the street's
# ("đường Láng", "phố Huế"), not the unit's.
STREET_WORDS = {"duong", "pho", "ngo", "ngach", "hem", "kiet"}

# Ways of writing a province that are not its name (folded, as the text is tokenized).
PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tphcm": "ho chi minh", "tp hcm": "ho chi minh", "sai gon": "ho chi minh",
    "saigon": "ho chi minh", "sg": "ho chi minh", "hn": "ha noi", "hanoi": "ha noi",
    "thua thien hue": "hue", "tth": "hue", "brvt": "ba ria vung tau", "br vt": "ba ria vung tau",
    "dak lac": "dak lak", "dac lac": "dak lak", "daklak": "dak lak", "dac lak": "dak lak",
    "dak nong": "dak nong", "daknong": "dak nong", "dac nong": "dak nong", "kontum": "kon tum",
    "hai phong": "hai phong", "hp": "hai phong", "da nang": "da nang", "dng": "da nang",
}
# Glued abbreviations that mean a type word and a province.
_GLUED_PROVINCE = {"tphcm": ("tp", "hcm"), "tpsg": ("tp", "sg"), "tphn": ("tp", "hn")}
TRAILING_JUNK = {("viet", "nam"), ("vietnam",), ("vn",)}


@dataclass(frozen=True, slots=True)
class Token:
    f: str          # folded ("tan")
    a: str          # accent key ("tân", tone marks normalized)
    start: int      # span in the text
    end: int
    hard: bool      # a comma, semicolon or line break comes before it
    accented: bool  # the word as written carries diacritics


@lru_cache(maxsize=65536)
def accent_key(word: str) -> str:
    """``word`` lower-cased with its vowel marks and its tone written once at the end."""
    text = unicodedata.normalize("NFD", word.lower())
    tone = ""
    kept = []
    for ch in text:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


# The words of the type words with their accents: "Xá" (in "Phúc Xá") is no "Xã".
TYPE_ACCENTS = {accent_key(w) for w in "phường xã thị trấn đặc khu quận huyện thành phố tỉnh".split()}
STREET_ACCENTS = {accent_key(w) for w in "đường phố ngõ ngách hẻm kiệt".split()}


def _norm_number(f: str) -> str:
    return str(int(f)) if f.isdecimal() and len(f) < 7 else f


def tokenize(text: str) -> list[Token]:
    out: list[Token] = []
    prev_end = 0
    for m in _WORD.finditer(text or ""):
        raw = m.group()
        hard = bool(_HARD.search(text, prev_end, m.start())) or not out
        prev_end = m.end()
        f = fold(raw)
        if not f:
            continue
        accented = f != raw.lower()
        glued = _GLUED.match(f)
        if glued:
            out.append(Token(glued.group(1), glued.group(1), m.start(), m.end(), hard, False))
            num = _norm_number(glued.group(2))
            out.append(Token(num, num, m.start(), m.end(), False, False))
            continue
        if f in _GLUED_PROVINCE:
            a, b = _GLUED_PROVINCE[f]
            out.append(Token(a, a, m.start(), m.end(), hard, False))
            out.append(Token(b, b, m.start(), m.end(), False, False))
            continue
        if f.isdigit():
            f = _norm_number(f)
            out.append(Token(f, f, m.start(), m.end(), hard, False))
            continue
        out.append(Token(f, accent_key(raw) if accented else f, m.start(), m.end(), hard, accented))
    return out


def _strip_prefix(folded: str) -> str:
    for p in NAME_PREFIXES:
        if folded.startswith(p) and len(folded) > len(p):
            return folded[len(p):]
    return folded


def name_keys(name: str) -> tuple[str, str, str]:
    """A unit's name as a key (folded, type word left out), its accent key and its type word.

    ``name_keys("Phường Phúc Xá") == ("phuc xa", "phúc xa1", "phuong")``; ``name_keys("Phường 05")[0] == "5"``.
    """
    toks = tokenize(name)
    f = " ".join(t.f for t in toks)
    stripped = _strip_prefix(f)
    drop = len(f[: len(f) - len(stripped)].split())
    kept = toks[drop:]
    return " ".join(t.f for t in kept), " ".join(t.a for t in kept), f[: len(f) - len(stripped)].strip()


def is_short(key: str) -> bool:
    """A name that a house number or a stray word could be (a number, a roman numeral, one or two letters)."""
    return " " not in key and (key.isdigit() or len(key) <= 2 or set(key) <= set("ivxl"))
