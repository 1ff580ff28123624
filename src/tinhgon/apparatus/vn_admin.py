"""Vietnam's administrative units from the ``vietnamadminunits`` package.

``admin_units_legacy`` holds the apparatus before the 2025 reorganization:
63 provinces, 696 districts and 10,035 communes with their official codes
(Decision 124/2004/QĐ-TTg numbering), names, types and coordinates.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from importlib import metadata, resources

from .services import UnitInput

LEGACY_VALID_FROM = dt.date(2025, 1, 1)

DISTRICT_KINDS = {"Quận": "quan", "Huyện": "huyen", "Thị xã": "thi-xa", "Thành phố": "thanh-pho-thuoc-tinh"}
COMMUNE_KINDS = {"Phường": "phuong", "Xã": "xa", "Thị trấn": "thi-tran", "Đặc khu": "dac-khu"}


def dataset_path() -> str:
    return str(resources.files("vietnamadminunits") / "data" / "dataset.db")


def package_version() -> str:
    return metadata.version("vietnamadminunits")


def province_kind(name: str) -> str:
    return "thanh-pho-tw" if name.startswith("Thành phố") else "tinh"


def legacy_rows(valid_from: dt.date = LEGACY_VALID_FROM) -> Iterator[UnitInput]:
    """Provinces, then districts, then communes, each once, in code order."""
    source = f"vietnamadminunits {package_version()} (admin_units_legacy)"
    con = sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon,"
            " district, districtShort, districtType, districtCode, districtLat, districtLon,"
            " ward, wardShort, wardType, wardCode, wardLat, wardLon"
            " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
    finally:
        con.close()
    provinces, districts = {}, {}
    communes = []
    for (p, ps, pc, plat, plon, d, ds, dtype, dc, dlat, dlon, w, ws, wtype, wc, wlat, wlon) in rows:
        if pc not in provinces:
            provinces[pc] = UnitInput(code=pc, name=p, short_name=ps, kind=province_kind(p), valid_from=valid_from,
                                      latitude=plat, longitude=plon, source=source)
        if dc not in districts:
            districts[dc] = UnitInput(code=dc, name=d, short_name=ds, kind=DISTRICT_KINDS[dtype], parent_code=pc,
                                      valid_from=valid_from, latitude=dlat, longitude=dlon, source=source)
        if wc:  # five island districts have no commune level
            communes.append(UnitInput(code=wc, name=w, short_name=ws, kind=COMMUNE_KINDS[wtype], parent_code=dc,
                                      valid_from=valid_from, latitude=wlat, longitude=wlon, source=source))
    yield from provinces.values()
    yield from districts.values()
    yield from communes


def package_counts() -> dict[str, dict[str, int]]:
    """Units per level and per kind as the package counts them (distinct codes, by type).

    ``{"province": {"tinh": 58, "thanh-pho-tw": 5}, "district": {...}, "commune": {...}}``;
    read straight from the dataset, independently of :func:`legacy_rows`.
    """
    con = sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True)
    try:
        out: dict[str, dict[str, int]] = {"province": {}, "district": {}, "commune": {}}
        for name, n in con.execute(
            "SELECT province, COUNT(DISTINCT provinceCode) FROM admin_units_legacy GROUP BY province"
        ):
            kind = province_kind(name)
            out["province"][kind] = out["province"].get(kind, 0) + n
        for dtype, n in con.execute(
            "SELECT districtType, COUNT(DISTINCT districtCode) FROM admin_units_legacy GROUP BY districtType"
        ):
            out["district"][DISTRICT_KINDS[dtype]] = n
        for wtype, n in con.execute(
            "SELECT wardType, COUNT(DISTINCT wardCode) FROM admin_units_legacy"
            " WHERE wardCode IS NOT NULL AND wardCode != '' GROUP BY wardType"
        ):
            out["commune"][COMMUNE_KINDS[wtype]] = n
        return out
    finally:
        con.close()


def registry_counts(on: dt.date = LEGACY_VALID_FROM) -> dict[str, dict[str, int]]:
    """Units per level and kind in the registry on ``on`` that came from this package."""
    from django.db.models import Count

    from tinhgon.core.dated import valid_on

    from .models import Unit

    out: dict[str, dict[str, int]] = {"province": {}, "district": {}, "commune": {}}
    rows = (
        Unit.objects.filter(valid_on(on), source__startswith="vietnamadminunits")
        .order_by().values_list("level__code", "kind__code").annotate(n=Count("id"))
    )
    for level, kind, n in rows:
        out.setdefault(level, {})[kind] = n
    return out


def count_mismatches(on: dt.date = LEGACY_VALID_FROM) -> list[str]:
    """Differences between the package's counts per level and kind and the registry's."""
    expected, found = package_counts(), registry_counts(on)
    problems = []
    for level in sorted(set(expected) | set(found)):
        e, f = expected.get(level, {}), found.get(level, {})
        for kind in sorted(set(e) | set(f)):
            if e.get(kind, 0) != f.get(kind, 0):
                problems.append(f"{level}/{kind}: package {e.get(kind, 0)}, registry {f.get(kind, 0)}")
    return problems
