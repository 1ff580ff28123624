"""Rule sets the apparatus ships (RULES.md §6)."""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

PAYROLL_ROADMAP = "payroll_roadmap"

register_default(
    RuleSetData(
        kind=PAYROLL_ROADMAP,
        code="payroll-roadmap-2022-2026",
        name="Lộ trình tinh giản biên chế 2022–2026 (tối thiểu 5%)",
        legal_basis="Kết luận 40-KL/TW ngày 18/7/2022; Nghị quyết 18-NQ/TW ngày 25/10/2017",
        valid_from=dt.date(2022, 1, 1),
        valid_to=None,
        parameters={"baseline_year": 2022, "target_year": 2026, "min_reduction": 0.05},
    )
)
