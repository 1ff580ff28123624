"""Standards for administrative units (RULES.md §5), as dated rule sets.

Each kind of unit lists its variants (plain, mountainous, …). Without the
terrain of a unit, a variant cannot be chosen: the unit passes when it meets
every variant, fails when it meets none, and is "unknown" otherwise.
"""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

UNIT_STANDARD = "unit_standard"

_PROVINCE_1211 = [
    {"label": "tỉnh đồng bằng", "population": 1_400_000, "area_km2": 5_000},
    {"label": "tỉnh miền núi, vùng cao", "population": 900_000, "area_km2": 8_000},
]
_COMMUNE_1211 = [
    {"label": "xã đồng bằng", "population": 8_000, "area_km2": 30},
    {"label": "xã miền núi, vùng cao", "population": 5_000, "area_km2": 50},
]

register_default(
    RuleSetData(
        kind=UNIT_STANDARD,
        code="unit-standard-res1211-2016",
        name="Tiêu chuẩn đơn vị hành chính (Nghị quyết 1211/2016, sửa đổi bởi 27/2022)",
        legal_basis="Nghị quyết 1211/2016/UBTVQH13; Nghị quyết 27/2022/UBTVQH15",
        valid_from=dt.date(2016, 7, 1),
        valid_to=dt.date(2025, 4, 15),
        parameters={"kinds": {"tinh": _PROVINCE_1211, "thanh-pho-tw": _PROVINCE_1211, "xa": _COMMUNE_1211},
                    "exempt_when_sources_at_least": None},
    )
)

register_default(
    RuleSetData(
        kind=UNIT_STANDARD,
        code="unit-standard-res76-2025",
        name="Tiêu chuẩn ĐVHC hình thành sau sắp xếp năm 2025 (Nghị quyết 76/2025)",
        legal_basis="Nghị quyết 76/2025/UBTVQH15 (hiệu lực 15/4/2025); chuẩn gốc Nghị quyết 1211/2016, 27/2022",
        valid_from=dt.date(2025, 4, 15),
        valid_to=dt.date(2026, 1, 1),
        parameters={
            "kinds": {
                # Merged commune: population ≥ 200 % and area ≥ 100 % of the commune standard
                # (mountainous: area ≥ 200 %, population ≥ 100 %).
                "xa": [
                    {"label": "xã đồng bằng", "population": 16_000, "area_km2": 30},
                    {"label": "xã miền núi, vùng cao", "population": 5_000, "area_km2": 100},
                ],
                # Ward ≥ 5.5 km²; population ≥ 45,000 in centrally-run cities, ≥ 15,000 in
                # mountainous or border provinces.
                "phuong": [
                    {"label": "phường thuộc thành phố trực thuộc trung ương", "population": 45_000, "area_km2": 5.5},
                    {"label": "phường thuộc tỉnh miền núi, biên giới", "population": 15_000, "area_km2": 5.5},
                ],
            },
            # A unit formed from this many predecessors or more need not meet the standard
            # (verify: the exception clause of the resolution).
            "exempt_when_sources_at_least": 3,
        },
    )
)

register_default(
    RuleSetData(
        kind=UNIT_STANDARD,
        code="unit-standard-res112-2026",
        name="Tiêu chuẩn đơn vị hành chính (Nghị quyết 112/2025)",
        legal_basis="Nghị quyết 112/2025/UBTVQH15 (hiệu lực 01/01/2026)",
        valid_from=dt.date(2026, 1, 1),
        valid_to=None,
        parameters={
            "kinds": {
                "xa": [
                    {"label": "xã đồng bằng", "population": 16_000, "area_km2": 30},
                    {"label": "xã miền núi, vùng cao", "population": 5_000, "area_km2": 100},
                    {"label": "xã hải đảo", "population": 2_500, "area_km2": 15},
                ],
                "phuong": [{"label": "phường", "population": 21_000, "area_km2": 5.5}],
                "thanh-pho-tw": [{"label": "thành phố trực thuộc trung ương", "population": 2_500_000, "area_km2": 2_500}],
            },
            "exempt_when_sources_at_least": None,
        },
    )
)
