"""A small world for placement: two wards of Ba Đình merged into one, a commune of Mê Linh
divided in two (its cadres are candidates in both), the plan applied, the cadres pending."""

from __future__ import annotations

import datetime as dt

from tinhgon.cadres import services as cadre_services
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

DAY = dt.date(2025, 7, 1)
START = dt.date(2021, 3, 1)
OPS = [
    ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}}),
    ("split", {"source": "08974", "targets": [
        {"code": "08975", "name": "Xã Đại Thịnh A", "kind": "xa", "share": 0.6},
        {"code": "08976", "name": "Xã Đại Thịnh B", "kind": "xa", "share": 0.4}]}),
]

_seq = [0]


def person(unit, name, title, *, sex="M", born=dt.date(1980, 5, 5), education=4, salary=12_000_000,
           insured=240, kind="appointment"):
    _seq[0] += 1
    century = 0 if born.year < 2000 else 2
    cid = f"001{century + (1 if sex == 'F' else 0)}{born.year % 100:02d}{_seq[0]:06d}"
    cadre = cadre_services.cadre_create(full_name=name, sex=sex, birth_date=born, citizen_id=cid,
                                        education_level=education, policy_salary=salary, insured_months=insured)
    cadre_services.assignment_create(cadre=cadre, unit=unit, title=title, valid_from=START, kind=kind)
    cadre.refresh_from_db()
    return cadre


def world(tree, *, apply: bool = True) -> dict:
    people = {
        "lan": person(tree["00001"], "Nguyễn Thị Lan", "Chủ tịch UBND", sex="F", born=dt.date(1978, 2, 3)),
        "nam": person(tree["00004"], "Trần Văn Nam", "Chủ tịch UBND", born=dt.date(1975, 6, 1), education=3),
        "ha": person(tree["00001"], "Lê Thu Hà", "Công chức Tư pháp – Hộ tịch", sex="F", born=dt.date(1990, 1, 9)),
        "son": person(tree["00004"], "Phạm Văn Sơn", "Công chức Tư pháp – Hộ tịch", born=dt.date(1966, 1, 15),
                      salary=15_356_250, insured=264),
        "binh": person(tree["08974"], "Đỗ Văn Bình", "Chủ tịch UBND", born=dt.date(1972, 8, 8)),
        "mai": person(tree["08974"], "Hoàng Thị Mai", "Chuyên viên", sex="F", born=dt.date(1992, 3, 3),
                      salary=None, insured=None),
    }
    plan = plan_create(name="Sắp xếp thử", effective_date=DAY, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=OPS)
    if apply:
        assert [f for f in plan_validate(plan=plan) if f["severity"] == "error"] == []
        plan_approve(plan=plan)
        plan_apply(plan=plan)
    for c in people.values():
        c.refresh_from_db()
    return {"plan": plan, **people}
