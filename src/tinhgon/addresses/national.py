"""The old communes of the whole country written the ways people write them (the oracle test and the
benchmark read the same spellings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from tinhgon.core.text import fold

EVE, DAY = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
SHORT = {"Phường": "P.", "Xã": "X.", "Thị trấn": "TT.", "Quận": "Q.", "Huyện": "H.", "Thị xã": "TX.",
         "Thành phố": "TP.", "Tỉnh": "T."}
STREET = "số 12 ngõ 5 đường Lê Lợi"


@dataclass(frozen=True)
class OldCommune:
    id: int
    code: str
    name: str
    district: str
    province: str


def old_communes() -> list[OldCommune]:
    """The 10,035 communes valid on the eve of the 2025 plan, with their district and province names."""
    from tinhgon.apparatus.models import Unit
    from tinhgon.core.dated import valid_on

    names = dict(Unit.objects.filter(valid_on(EVE), level__code__in=("province", "district"))
                 .values_list("code", "name"))
    out = []
    for pk, code, name, path in (Unit.objects.filter(valid_on(EVE), level__code="commune").order_by("code")
                                 .values_list("pk", "code", "name", "path")):
        p, d = path.split("/")[:2]
        out.append(OldCommune(pk, code, name, names[d], names[p]))
    return out


def _abbrev(name: str) -> str:
    for full, short in SHORT.items():
        if name.startswith(full + " "):
            return short + name[len(full) + 1:]
    return name


def spellings(c: OldCommune) -> Iterator[tuple[str, str]]:
    """``(kind, text)``: full, no accents, no commas, abbreviated type words, short numbered ward, with a street."""
    full = f"{c.name}, {c.district}, {c.province}"
    yield "full", full
    yield "no_accents", fold(full)
    yield "no_commas", full.replace(",", "")
    yield "abbreviated", f"{_abbrev(c.name)}, {_abbrev(c.district)}, {_abbrev(c.province)}"
    num = c.name.split(" ")[-1]
    if c.name == f"Phường {num}" and num.isdigit():
        yield "numbered", f"P{num} {_abbrev(c.district).replace('.', ' ')} {fold(c.province)}"
    yield "street", f"{STREET}, {full}"
