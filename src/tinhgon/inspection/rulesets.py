"""Rule sets shipped by the inspection app (RULES.md §8).

Party discipline under Regulation 69-QĐ/TW (2022), amended by Regulation 264-QĐ/TW (2025):
organizations — khiển trách, cảnh cáo, giải tán; full members — khiển trách, cảnh cáo,
cách chức (when holding a post), khai trừ; probationary members — khiển trách, cảnh cáo.
Limitation periods (*verify*): 5 years for khiển trách, 10 years for cảnh cáo or cách
chức, none for khai trừ; RULES.md gives none for giải tán, which is treated like khai trừ
(no limitation, *verify*). The start date (2022-07-06, the date of Regulation 69) is not in
RULES.md: *verify*. An administrator adds a newer rule set when the regulation changes.
"""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

DISCIPLINE = "inspection.discipline"

register_default(RuleSetData(
    kind=DISCIPLINE,
    code="discipline-69-2022",
    name="Kỷ luật đảng (Quy định 69-QĐ/TW năm 2022, sửa đổi bởi Quy định 264-QĐ/TW năm 2025)",
    legal_basis="Quy định 69-QĐ/TW ngày 06/07/2022; Quy định 264-QĐ/TW năm 2025",
    valid_from=dt.date(2022, 7, 6),
    valid_to=None,
    parameters={
        "allowed": {
            "organization": ["khien_trach", "canh_cao", "giai_tan"],
            "full_member": ["khien_trach", "canh_cao", "cach_chuc", "khai_tru"],
            "probationary_member": ["khien_trach", "canh_cao"],
        },
        "limitation_years": {"khien_trach": 5, "canh_cao": 10, "cach_chuc": 10, "khai_tru": None,
                             "giai_tan": None},
    },
))
