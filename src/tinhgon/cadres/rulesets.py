"""Rule sets shipped by the cadres app (RULES.md §1 and §8)."""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

RETIREMENT = "retirement_age"
DISCIPLINE = "discipline_effects"

register_default(RuleSetData(
    kind=RETIREMENT,
    code="retirement-labor-code-2019",
    name="Tuổi nghỉ hưu theo lộ trình (Bộ luật Lao động 2019)",
    legal_basis="Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP",
    valid_from=dt.date(2021, 1, 1),
    valid_to=None,
    parameters={
        # men 60 rising 3 months a year from 2021 to 62 (2028); women 55 rising 4 months to 60 (2035)
        "base_months": {"M": 720, "F": 660},
        "step_months": {"M": 3, "F": 4},
        "cap_months": {"M": 744, "F": 720},
        "start_year": 2021,
        "max_adjust_months": 60,
    },
))

register_default(RuleSetData(
    kind=DISCIPLINE,
    code="discipline-2022",
    name="Kỷ luật: thời hiệu và thời hạn ảnh hưởng (Quy định 69-QĐ/TW; Luật CB, CC)",
    legal_basis="Quy định 69-QĐ/TW 2022 (sửa đổi bởi 264-QĐ/TW 2025); Luật Cán bộ, công chức, Điều 82 (cần đối chiếu)",
    valid_from=dt.date(2022, 7, 6),
    valid_to=None,
    parameters={
        # limitation periods for disciplining (years; null = none)
        "limitation_years": {"khien_trach": 5, "canh_cao": 10, "cach_chuc": 10, "khai_tru": None,
                             "giang_chuc": 10, "buoc_thoi_viec": None, "giai_tan": None},
        # months during which a disciplined cadre may not be planned, appointed or promoted
        # (null = permanently out)
        "ineligible_months": {"khien_trach": 12, "canh_cao": 12, "giang_chuc": 24, "cach_chuc": 24,
                              "khai_tru": None, "buoc_thoi_viec": None},
    },
))
