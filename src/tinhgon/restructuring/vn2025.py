"""Vietnam's 2025 reorganization as one plan, from the ``vietnamadminunits`` data.

``admin_units`` holds the 34 provinces and 3,321 commune-level units valid from
2025-07-01 with their areas; ``converter_2025.json`` maps every old unit to its
new one(s): provinces merged, communes merged whole, and 471 communes divided
among several new ones. The plan built here:

- merges the 63 provinces into 34 (a new province keeps the code of the old one
  it continues, e.g. Hải Phòng 31 absorbs Hải Dương 30);
- forms each of the 3,321 new commune-level units from the old communes merged
  into it (and from the five island districts that became special zones);
- splits each divided commune among its successors — the data does not say how
  much of it each received, so the shares are equal and flagged as assumed,
  the successor the data marks as default listed first;
- dissolves the district level, its children going to the province level.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from importlib import resources

from tinhgon.apparatus import vn_admin

EFFECTIVE = dt.date(2025, 7, 1)
PLAN_NAME = "Sắp xếp đơn vị hành chính năm 2025 (63 → 34 tỉnh, bỏ cấp huyện, 10.035 → 3.321 xã)"
LEGAL_BASIS = (
    "Nghị quyết 202/2025/QH15 về sắp xếp ĐVHC cấp tỉnh; Nghị quyết 76/2025/UBTVQH15; "
    "các nghị quyết của UBTVQH năm 2025 về sắp xếp ĐVHC cấp xã của 34 tỉnh, thành phố"
)
RATIONALE = (
    "Kết luận 137-KL/TW và 167-KL/TW (2025); Nghị quyết 60-NQ/TW ngày 12/4/2025: "
    "tổ chức chính quyền địa phương hai cấp, kết thúc hoạt động của cấp huyện từ 01/7/2025."
)
# When the plan was applied before it carried body operations, these come in a companion plan.
COMPANION_NAME = "Sắp xếp cơ quan, tổ chức theo đơn vị hành chính năm 2025 (bổ sung)"
COMPANION_RATIONALE = (
    "Hợp nhất các cơ quan, tổ chức cùng loại của các tỉnh hợp nhất, đổi tên theo địa bàn mới; "
    "bổ sung cho phương án sắp xếp đơn vị hành chính đã thực hiện trước khi có thao tác về cơ quan."
)
COMMUNE_KINDS = {"Phường": "phuong", "Xã": "xa", "Đặc khu": "dac-khu"}


def _data():
    base = resources.files("vietnamadminunits") / "data"
    converter = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(f"file:{vn_admin.dataset_path()}?mode=ro", uri=True)
    try:
        new_rows = con.execute(
            "SELECT provinceKey, province, provinceShort, provinceCode, provinceLat, provinceLon,"
            " wardKey, ward, wardShort, wardType, wardCode, wardLat, wardLon, wardAreaKm2 FROM admin_units"
        ).fetchall()
        legacy = con.execute(
            "SELECT provinceKey, provinceCode, districtKey, districtCode, wardKey, wardCode FROM admin_units_legacy"
        ).fetchall()
    finally:
        con.close()
    return converter, new_rows, legacy


def build_operations() -> list[tuple[str, dict]]:
    """The plan's operations, in order: provinces, communes, divided communes, the district level."""
    converter, new_rows, legacy = _data()
    old_province_code = {pk: pc for pk, pc, *_rest in legacy}
    old_unit_code: dict[str, str] = {}
    for pk, _pc, dk, dc, wk, wc in legacy:
        old_unit_code[f"{pk}_{dk}_{wk or ''}"] = wc or dc  # island districts carry no commune

    provinces: dict[str, dict] = {}
    wards: dict[tuple[str, str], dict] = {}
    area_by_province: dict[str, float] = defaultdict(float)
    for pk, p, ps, pc, plat, plon, wk, w, ws, wtype, wc, wlat, wlon, area in new_rows:
        provinces.setdefault(pk, {"code": pc, "name": p, "short_name": ps, "kind": vn_admin.province_kind(p),
                                  "latitude": plat, "longitude": plon})
        wards[(pk, wk)] = {"code": wc, "name": w, "short_name": ws, "kind": COMMUNE_KINDS[wtype],
                           "parent_code": pc, "latitude": wlat, "longitude": wlon, "area_km2": area}
        area_by_province[pk] += area or 0.0

    ops: list[tuple[str, dict]] = []
    for pk, old_keys in sorted(converter["DICT_PROVINCE"].items(), key=lambda kv: provinces[kv[0]]["code"]):
        target = dict(provinces[pk], area_km2=round(area_by_province[pk], 2))
        sources = [old_province_code[k] for k in old_keys]
        if len(sources) == 1 and sources[0] == target["code"]:
            continue  # unchanged province (its communes change below)
        ops.append(("merge", {"sources": sorted(sources), "target": target}))

    whole: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pk, by_ward in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, old_keys in by_ward.items():
            whole[(pk, wk)].extend(old_unit_code[k] for k in old_keys)
    for key in sorted(wards, key=lambda k: wards[k]["code"]):
        target = wards[key]
        sources = sorted(set(whole.get(key, [])))
        if sources:
            ops.append(("merge", {"sources": sources, "target": target}))
        else:
            ops.append(("create", {"unit": target}))

    for pk, by_old in sorted(converter["DICT_PROVINCE_WARD_DIVIDED"].items()):
        for old_key, parts in sorted(by_old.items()):
            parts = sorted(parts, key=lambda x: not x["isDefaultNewWard"])
            share = 1 / len(parts)
            ops.append(("split", {
                "source": old_unit_code[old_key],
                "targets": [{"code": wards[(pk, x["newWardKey"])]["code"], "share": share} for x in parts],
                "shares_assumed": True,
            }))

    ops.append(("dissolve_level", {"level": "district", "children_to": "province"}))
    _mark_exemptions(ops)
    return ops


EXEMPTION = (
    "phê chuẩn tại nghị quyết năm 2025 của UBTVQH về sắp xếp ĐVHC cấp xã của tỉnh, thành phố "
    "(trường hợp không bắt buộc đạt tiêu chuẩn theo Nghị quyết 76/2025/UBTVQH15)"
)


def _mark_exemptions(ops: list[tuple[str, dict]]) -> None:
    """Units that the 2025 resolutions approved below the area floor carry that approval as their exemption."""
    from tinhgon.core.rulesets import rule_set_for

    from .rulesets import UNIT_STANDARD
    from .standards import evaluate

    kinds = rule_set_for(UNIT_STANDARD, EFFECTIVE).parameters.get("kinds", {})
    for kind, data in ops:
        target = data.get("target") if kind == "merge" else data.get("unit") if kind == "create" else None
        if not target or target.get("kind") not in kinds:
            continue
        result, _short = evaluate({"population": None, "area_km2": target.get("area_km2")}, kinds[target["kind"]])
        if result == "fail":
            target["standard_exemption"] = EXEMPTION
