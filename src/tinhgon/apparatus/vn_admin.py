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
