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
        created = len(new_levels) + len(new_kinds)
    return created


def on_post_migrate(sender, using="default", **kwargs) -> None:
    if getattr(sender, "label", None) == "apparatus":
        reference_data_sync(using=using)
