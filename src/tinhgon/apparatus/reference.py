"""Levels and unit kinds shipped with tinhgon (data, written after ``migrate``).

Administrators may add levels and kinds; shipped ones are created when missing
and never overwritten.
"""

from __future__ import annotations

from tinhgon.core.changelog import acting_as

LEVELS = [
    # code, Vietnamese name, English name, rank
    ("province", "Cấp tỉnh", "Province level", 0),
    ("district", "Cấp huyện", "District level", 1),
    ("commune", "Cấp xã", "Commune level", 2),
    # Party bodies, state agencies and organizations inside an administrative unit: not a tier
    # of territory, so counts of provinces, districts and communes stay counts of territories.
    ("body", "Cơ quan, tổ chức", "Agencies and organizations", 10),
]

KINDS = [
    # code, Vietnamese name, English name, category, level code (None = any level)
    ("thanh-pho-tw", "Thành phố trực thuộc trung ương", "Centrally-run city", "administrative", "province"),
    ("tinh", "Tỉnh", "Province", "administrative", "province"),
    ("quan", "Quận", "Urban district", "administrative", "district"),
    ("huyen", "Huyện", "Rural district", "administrative", "district"),
    ("thi-xa", "Thị xã", "District-level town", "administrative", "district"),
    ("thanh-pho-thuoc-tinh", "Thành phố thuộc tỉnh", "Provincial city", "administrative", "district"),
    ("phuong", "Phường", "Ward", "administrative", "commune"),
    ("xa", "Xã", "Commune", "administrative", "commune"),
    ("thi-tran", "Thị trấn", "Township", "administrative", "commune"),
    ("dac-khu", "Đặc khu", "Special zone", "administrative", "commune"),
    ("cap-uy", "Cấp ủy Đảng", "Party committee", "party", None),
    ("co-quan-dang", "Cơ quan tham mưu, giúp việc của cấp ủy", "Party advisory body", "party", None),
    ("hdnd", "Hội đồng nhân dân", "People's Council", "state", None),
    ("ubnd", "Ủy ban nhân dân", "People's Committee", "state", None),
    ("so-nganh", "Sở, ban, ngành", "Department", "state", None),
    ("phong", "Phòng, ban chuyên môn", "Office", "state", None),
    ("mttq", "Ủy ban Mặt trận Tổ quốc", "Fatherland Front committee", "front", None),
    ("doan-the", "Tổ chức chính trị – xã hội", "Mass organization", "front", None),
    ("su-nghiep", "Đơn vị sự nghiệp công lập", "Public service unit", "public_service", None),
]

BODY_KINDS = [
    # code, Vietnamese name, English name, unit kind, level of the territory, per, name pattern
    ("tinh-uy", "Tỉnh ủy, Thành ủy", "Provincial party committee", "cap-uy", "province", "territory",
     "{party} {short}"),
    ("co-quan-dang-tinh", "Cơ quan tham mưu của Tỉnh ủy", "Provincial party board", "co-quan-dang", "province",
     "field", "{title} {party} {short}"),
    ("hdnd-tinh", "HĐND tỉnh", "Provincial People's Council", "hdnd", "province", "territory",
     "Hội đồng nhân dân {territory}"),
    ("ubnd-tinh", "UBND tỉnh", "Provincial People's Committee", "ubnd", "province", "territory",
     "Ủy ban nhân dân {territory}"),
    ("so", "Sở, ban, ngành tỉnh", "Provincial department", "so-nganh", "province", "field", "{title} {territory}"),
    ("mttq-tinh", "Ủy ban MTTQ tỉnh", "Provincial Front committee", "mttq", "province", "territory",
     "Ủy ban Mặt trận Tổ quốc Việt Nam {territory}"),
    ("huyen-uy", "Huyện ủy, Quận ủy, Thị ủy, Thành ủy", "District party committee", "cap-uy", "district",
     "territory", "{party} {short}"),
    ("co-quan-dang-huyen", "Cơ quan tham mưu của Huyện ủy", "District party office", "co-quan-dang", "district",
     "field", "{title} {party} {short}"),
    ("hdnd-huyen", "HĐND huyện", "District People's Council", "hdnd", "district", "territory",
     "Hội đồng nhân dân {territory}"),
    ("ubnd-huyen", "UBND huyện", "District People's Committee", "ubnd", "district", "territory",
     "Ủy ban nhân dân {territory}"),
    ("phong-huyen", "Phòng chuyên môn huyện", "District office", "phong", "district", "field",
     "{title} {territory}"),
    ("mttq-huyen", "Ủy ban MTTQ huyện", "District Front committee", "mttq", "district", "territory",
     "Ủy ban Mặt trận Tổ quốc Việt Nam {territory}"),
    ("dang-uy-xa", "Đảng ủy xã", "Commune party committee", "cap-uy", "commune", "territory",
     "Đảng ủy {territory}"),
    ("hdnd-xa", "HĐND xã", "Commune People's Council", "hdnd", "commune", "territory",
     "Hội đồng nhân dân {territory}"),
    ("ubnd-xa", "UBND xã", "Commune People's Committee", "ubnd", "commune", "territory",
     "Ủy ban nhân dân {territory}"),
    ("phong-xa", "Phòng chuyên môn xã", "Commune office", "phong", "commune", "field", "{title} {territory}"),
    ("mttq-xa", "Ủy ban MTTQ xã", "Commune Front committee", "mttq", "commune", "territory",
     "Ủy ban Mặt trận Tổ quốc Việt Nam {territory}"),
]


def reference_data_sync(using: str = "default") -> int:
    from .models import Level, UnitKind

    created = 0
    with acting_as(None, source="migrate"):
        have = set(Level.objects.using(using).values_list("code", flat=True))
        new_levels = [Level(code=c, name=n, name_en=e, rank=r) for c, n, e, r in LEVELS if c not in have]
        Level.objects.using(using).bulk_create(new_levels)
        levels = {lv.code: lv for lv in Level.objects.using(using).all()}
        have = set(UnitKind.objects.using(using).values_list("code", flat=True))
        new_kinds = [
            UnitKind(code=c, name=n, name_en=e, category=cat, level=levels.get(lv) if lv else None)
            for c, n, e, cat, lv in KINDS
            if c not in have
        ]
        UnitKind.objects.using(using).bulk_create(new_kinds)
        created = len(new_levels) + len(new_kinds) + _body_kinds_sync(using, levels)
    return created


def _body_kinds_sync(using: str, levels) -> int:
    from .models import BodyKind, UnitKind

    kinds = {k.code: k for k in UnitKind.objects.using(using).all()}
    have = set(BodyKind.objects.using(using).values_list("code", flat=True))
    taken = set(BodyKind.objects.using(using).values_list("unit_kind__code", "territory_level__code"))
    new = [
        BodyKind(code=c, name=n, name_en=e, unit_kind=kinds[uk], territory_level=levels[lv], per=per, name_pattern=pat)
        for c, n, e, uk, lv, per, pat in BODY_KINDS
        if c not in have and (uk, lv) not in taken and uk in kinds and lv in levels
    ]
    BodyKind.objects.using(using).bulk_create(new)
    return len(new)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) == "apparatus":
        reference_data_sync(using=using)
