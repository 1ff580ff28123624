"""Bodies (agencies and organizations) and their kinds: which territory a body belongs to,
which body kind it is, its field, and the name a kind's pattern gives it for a territory.

Pure functions over plain values; the kinds come from :class:`~tinhgon.apparatus.models.BodyKind`
(data, shipped in ``reference.py``, editable by administrators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tinhgon.core.text import fold

from .models import PATH_SEP

BODY_LEVEL = "body"

# The word for a territory's party committee, by the territory's unit kind (communes: "Đảng ủy").
PARTY_WORD = {
    "thanh-pho-tw": "Thành ủy", "tinh": "Tỉnh ủy", "quan": "Quận ủy", "huyen": "Huyện ủy", "thi-xa": "Thị ủy",
    "thanh-pho-thuoc-tinh": "Thành ủy",
}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Kind:
    """A body kind as the restructuring reads it."""

    code: str
    name: str
    unit_kind: str
    territory_level: str
    per: str
    name_pattern: str

    @property
    def per_field(self) -> bool:
        return self.per == "field"


@dataclass(frozen=True)
class Territory:
    code: str
    name: str
    short_name: str
    kind: str
    level: str


class _Blank(dict):
    def __missing__(self, key):
        return ""


def words(t: Territory) -> dict[str, str]:
    name = t.name or t.short_name
    return {"territory": name[:1].lower() + name[1:], "short": t.short_name or name,
            "party": PARTY_WORD.get(t.kind, "Đảng ủy")}


def body_name(pattern: str, territory: Territory, title: str = "") -> str:
    """The name ``pattern`` gives a body of ``territory`` (``title``: its field, for a field kind)."""
    return _SPACES.sub(" ", pattern.format_map(_Blank(words(territory), title=title))).strip()


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot name bodies (None when it can)."""
    try:
        pattern.format_map(_Blank(territory="t", short="s", party="p", title="x"))
    except (ValueError, IndexError, AttributeError) as exc:
        return str(exc)
    if "{territory}" not in pattern and "{short}" not in pattern:
        return "{territory} / {short}"
    return None


def field_title(name: str, kind: Kind, territory: Territory | None) -> str:
    """A field body's title: its name without the territory part of its kind's pattern."""
    if territory is not None:
        suffix = body_name(kind.name_pattern.replace("{title}", ""), territory)
        if suffix and fold(name).endswith(fold(suffix)) and len(name) > len(suffix):
            return name[: len(name) - len(suffix)].strip()
    return name.strip()


def field_key(name: str, kind: Kind, territory: Territory | None) -> str:
    """What makes two bodies of a field kind the same field ("" for a kind one per territory)."""
    return fold(field_title(name, kind, territory)) if kind.per_field else ""


def territory_of(path: str, territories) -> str:
    """The code of the nearest territory above the unit at ``path`` ("" when none)."""
    parts = [p for p in path.split(PATH_SEP) if p][:-1]
    for code in reversed(parts):
        if code in territories:
            return code
    return ""


# Grassroots party organizations (party cells, grassroots party committees) are organizations of
# party members inside a commune or an agency, not bodies of the apparatus: they are not focal
# points ("đầu mối") when a plan's bodies are counted.
MEMBER_ORGANIZATION_KINDS = ("chi-bo", "dang-bo-co-so")


def load_kinds() -> dict[tuple[str, str], Kind]:
    """Body kinds by (unit kind code, territory level code)."""
    from .models import BodyKind

    rows = BodyKind.objects.values_list("code", "name", "unit_kind__code", "territory_level__code", "per",
                                        "name_pattern")
    return {(uk, lv): Kind(c, n, uk, lv, per, pat) for c, n, uk, lv, per, pat in rows}


def administrative_kinds() -> set[str]:
    from .models import UnitKind

    return set(UnitKind.objects.filter(category="administrative").values_list("code", flat=True))
