"""Rule sets shipped by placement: the merit weights and eligibility, the standard posts of a new
unit, and the restructuring policies of Decree 178/2024 (RULES.md §2b, §3). Administrators add
newer ones (core.rulesets); every score and estimate names the rule set that produced it."""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

MERIT = "placement_merit"
POLICY = "restructuring_policy"

KEY_COMMUNE_LEADERS = ["Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Chủ tịch HĐND", "Phó Chủ tịch HĐND",
                       "Chủ tịch UBND", "Phó Chủ tịch UBND", "Chủ tịch Ủy ban MTTQ"]

register_default(RuleSetData(
    kind=MERIT,
    code="placement-merit-2025",
    name="Bố trí cán bộ sau sắp xếp: trọng số thành tích và điều kiện",
    legal_basis="Kết luận 150-KL/TW 2025; Chỉ thị 45-CT/TW 2025 (thời gian công tác còn lại — cần đối chiếu); "
                "Nghị định 33/2023/NĐ-CP (tiêu chuẩn cán bộ cấp xã); trọng số do cơ quan tổ chức quy định",
    valid_from=dt.date(2025, 1, 1),
    valid_to=None,
    parameters={
        # points added to a candidate's merit for a post
        "weights": {
            "base": 10,                    # any eligible placement is worth more than none
            "same_title": 30,              # held this very title before
            "pool": 20,                    # in the planning pool for the title
            "qualification": 10,           # meets the education the title requires
            "leadership_experience": 8,    # held a leadership post (for a leadership post)
            "seniority_per_year": 1,       # years since the first recorded assignment …
            "seniority_cap_years": 15,     # … counted up to this many
            "assessment": {"excellent": 20, "good": 14, "completed": 6, "not_completed": 0, "none": 4},
        },
        # education level (cadres.EDUCATION_LEVELS) a title requires: 4 = university
        "requirements": {t: {"education_min": 4} for t in KEY_COMMUNE_LEADERS},
        # RULES.md §2b: months of service left before retirement for a leadership post
        "min_months_first_appointment": 60,
        "min_months_reappointment": 24,
        # a leadership post is open to those who held leadership or are in the pool for its title
        "leadership_needs_pool_or_experience": True,
        # the posts of a new unit without positions in the registry, per level:
        # [title, count, leadership]
        "standard_posts": {
            "commune": [["Bí thư Đảng ủy", 1, True], ["Phó Bí thư Đảng ủy", 2, True],
                        ["Chủ tịch HĐND", 1, True], ["Phó Chủ tịch HĐND", 1, True],
                        ["Chủ tịch UBND", 1, True], ["Phó Chủ tịch UBND", 2, True],
                        ["Chủ tịch Ủy ban MTTQ", 1, True], ["Trưởng phòng", 4, True],
                        ["Phó Trưởng phòng", 6, True],
                        ["Công chức Văn phòng – Thống kê", 3, False], ["Công chức Tài chính – Kế toán", 3, False],
                        ["Công chức Tư pháp – Hộ tịch", 3, False], ["Công chức Địa chính – Xây dựng", 3, False],
                        ["Công chức Văn hóa – Xã hội", 3, False], ["Chuyên viên", 6, False]],
        },
    },
))

register_default(RuleSetData(
    kind=POLICY,
    code="decree-178-2024-amended-67-2025",
    name="Chính sách đối với cán bộ, công chức trong sắp xếp tổ chức bộ máy",
    legal_basis="Nghị định 178/2024/NĐ-CP (hiệu lực 01/01/2025), sửa đổi bởi Nghị định 67/2025/NĐ-CP "
                "(hiệu lực 15/03/2025); Công văn 1814/BNV-TCBC (ví dụ tính) — cần đối chiếu",
    valid_from=dt.date(2025, 1, 1),
    valid_to=None,
    parameters={
        "window_months": 12,                 # from the restructuring decision's effective date
        "early_factors": [1.0, 0.5],         # salary × months early: within the window, after it
        "max_early_months": 60,
        "early_2_5_months_per_year": 5,
        "early_5_10_months_per_year": 4,
        # (iii) by the retirement date: before the switch date, and from it
        "insured_switch": "2025-07-01",
        "insured_before": {"first_years": 20, "first_months": 5, "per_year_after": 0.5},
        "insured_from": {"first_years": 15, "first_months": 4, "per_year_after": 0.5},
        "severance_factors": [0.8, 0.4],
        "severance_cap_months": 60,
        "severance_per_insured_year": 1.5,
        "severance_extra_months": 3,
    },
))
