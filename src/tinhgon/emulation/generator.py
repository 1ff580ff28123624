"""Synthetic good models and practices (``tinhgon generate-good-models``): seeded, spread over the
communes and bodies of the provinces given, years 2021 to the reading date, every field and level."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from tinhgon.core.dated import valid_on
from tinhgon.core.text import fold

from .models import FIELDS, GoodModel

TITLES = {
    "economy": ["Mô hình hợp tác xã kiểu mới", "Chuỗi liên kết sản xuất – tiêu thụ sản phẩm OCOP"],
    "agriculture": ["Mô hình trồng lúa hữu cơ", "Khu dân cư nông thôn mới kiểu mẫu"],
    "culture": ["Tủ sách cộng đồng", "Câu lạc bộ dân ca"],
    "education": ["Khuyến học, khuyến tài trong dòng họ", "Lớp học xóa mù chữ số"],
    "health": ["Tổ y tế cộng đồng chăm sóc người cao tuổi", "Khám sàng lọc miễn phí tại thôn"],
    "party": ["Chi bộ 4 tốt", "Sinh hoạt chi bộ chuyên đề có chất lượng"],
    "mass_mobilization": ["Dân vận khéo trong giải phóng mặt bằng", "Tổ hòa giải ở cơ sở"],
    "defense": ["Camera an ninh khu dân cư", "Tổ tự quản an ninh trật tự"],
    "administration": ["Một cửa liên thông hiện đại", "Trả kết quả thủ tục hành chính tại nhà"],
    "digital": ["Chợ 4.0 thanh toán không tiền mặt", "Tổ công nghệ số cộng đồng"],
    "environment": ["Phân loại rác tại nguồn", "Tuyến đường hoa tự quản"],
    "other": ["Bữa cơm nghĩa tình", "Ngôi nhà 0 đồng"],
}
LEVELS = [("unit", 2), ("commune", 5), ("district", 2), ("province", 4), ("national", 1)]


@dataclass
class Result:
    models: int = 0
    skipped: bool = False


def generate_good_models(*, count: int, seed: int, within: list[str] | None, today: dt.date | None,
                         batch_size: int = 2000, progress: Callable[[int], None] | None = None) -> Result:
    from django.db.models import Q

    from tinhgon.apparatus.models import Unit

    result = Result()
    marker = f"Dữ liệu minh họa (seed {seed})"
    if GoodModel.objects.filter(description=marker).exists():
        result.skipped = True
        return result
    today = today or dt.date.today()
    rng = random.Random(seed)
    qs = Unit.objects.filter(valid_on(today), level__code__in=["commune", "body"])
    if within:
        cond = Q()
        for code in within:
            cond |= Q(path__startswith=f"{code}/")
        qs = qs.filter(cond)
    units = list(qs.order_by("path").only("pk", "name", "valid_from"))
    if not units or count <= 0:
        return result
    codes = [c for c, _label in FIELDS]
    rows = []
    for _ in range(count):
        unit = rng.choice(units)
        field = rng.choice(codes)
        year = rng.randint(max(2021, unit.valid_from.year), today.year)
        level = rng.choices([lv for lv, _w in LEVELS], weights=[w for _lv, w in LEVELS])[0]
        title = f"{rng.choice(TITLES[field])} ({unit.name})"
        rows.append(GoodModel(unit=unit, title=title[:300], title_folded=fold(title)[:300], field=field, year=year,
                              owner=unit.name[:200], recognition_level=level,
                              recognition_decision=f"{rng.randint(100, 3999)}/QĐ-UBND", description=marker))
    with transaction.atomic():
        for i in range(0, len(rows), batch_size):
            GoodModel.objects.bulk_create(rows[i:i + batch_size])
            if progress:
                progress(min(i + batch_size, count))
    result.models = len(rows)
    return result
