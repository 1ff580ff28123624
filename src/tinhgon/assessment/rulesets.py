"""Rule sets shipped by the assessment (RULES.md §2).

A parameter RULES.md leaves open is held as ``{"value": …, "assumed": true, "note": …}``
(or with its ``source``): every result it touches is marked *assumed* and says which.
An administrator adds a rule set for a new period as a row of the rule-set table (kind
``assessment``, or ``assessment-party`` for party members), with the same parameters.
"""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

from .rules import CRITERIA, DISCIPLINE_MEASURES, KIND, KIND_PARTY, POINTS

D90 = "assessment-90-2020-48-2023"
D335 = "assessment-335-2025"
R366 = "assessment-party-366-2025"

_WEIGHTS = {"value": {"quantity": 1, "quality": 1, "timeliness": 1}, "assumed": True,
            "note": "Decree 335 names the three aspects of the 70 task points but not how they combine: "
                    "equal thirds assumed"}
_LEADER = {"value": 0.3, "assumed": True,
           "note": "RULES.md §2: a leader's 70 task points include the unit's operating result; its weight "
                   "(30%) is assumed"}
_ANNUAL = {"value": "recount", "assumed": True,
           "note": "the annual score recounts the year's tasks; 'mean_of_periods' averages the approved "
                   "quarterly results instead"}
_NO_TASKS = {"value": "general_scaled", "assumed": True,
             "note": "a person with no task due in the period is scored on the general criteria alone, "
                     "scaled to 100"}

register_default(RuleSetData(
    kind=KIND,
    code=D90,
    name="Đánh giá, xếp loại theo Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)",
    legal_basis="Nghị định 90/2020/NĐ-CP, Điều 8–11; Nghị định 48/2023/NĐ-CP (tỉ lệ xuất sắc)",
    valid_from=dt.date(2020, 8, 13),
    valid_to=dt.date(2026, 1, 1),
    parameters={
        "method": CRITERIA,
        "criteria": {"excellent_on_time_pct": 100, "excellent_exceeded_pct": 50, "good_on_time_pct": 100,
                     "completed_done_pct": 50, "leader_unit_min_pct": 50, "leader_units_good_pct": 70},
        "criteria_reading": {"value": "percentages of tasks", "assumed": True,
                             "note": "Decree 90 states the levels in words; they are read as shares of the "
                                     "period's tasks (done on time and with quality, done at all, exceeded)"},
        "no_tasks": {"value": "criteria_met", "assumed": True,
                     "note": "a person with no task due in the period has no unmet task: every share is read as "
                             "100% done on time, none exceeded"},
        "discipline_forcing": list(DISCIPLINE_MEASURES),
        "discipline_source": "Nghị định 90/2020, Điều 11 (bị kỷ luật trong năm)",
        "cap_ratio": {"value": 0.2, "source": "Nghị định 48/2023 (tỉ lệ theo quy định của Đảng: ≤ 20% số hoàn "
                                              "thành tốt)"},
        "annual": _ANNUAL,
    },
))

register_default(RuleSetData(
    kind=KIND,
    code=D335,
    name="Đánh giá, xếp loại theo Nghị định 335/2025/NĐ-CP (thang 100 điểm)",
    legal_basis="Nghị định 335/2025/NĐ-CP",
    valid_from=dt.date(2026, 1, 1),
    valid_to=None,
    parameters={
        "method": POINTS,
        "general_points": 30,
        "task_points": 70,
        "bands": {"excellent": 90, "good": 70, "completed": 50},
        "deduction": {"value": 0.25, "source": "Nghị định 335/2025: mỗi lần không bảo đảm chất lượng hoặc "
                                               "chậm tiến độ trừ 25% số điểm của sản phẩm đó"},
        "task_weights": _WEIGHTS,
        "leader_unit_weight": _LEADER,
        "leader_unit_shares": {"all_completed": 1, "one_not_completed": 0.5},
        "no_tasks": _NO_TASKS,
        "discipline_forcing": list(DISCIPLINE_MEASURES),
        "discipline_source": "Nghị định 335/2025: bị kỷ luật từ khiển trách trở lên trong năm",
        "cap_ratio": {"value": 0.2, "source": "Nghị định 335/2025: xuất sắc không quá 20% số hoàn thành tốt "
                                              "trong cùng cơ quan, nhóm có nhiệm vụ tương đồng"},
        "annual": _ANNUAL,
    },
))

register_default(RuleSetData(
    kind=KIND_PARTY,
    code=R366,
    name="Đánh giá, xếp loại đảng viên (Quy định 366-QĐ/TW, thang 100 điểm)",
    legal_basis="Quy định 366-QĐ/TW (2025)",
    valid_from=dt.date(2025, 1, 1),
    valid_to=None,
    parameters={
        "method": POINTS,
        "general_points": 30,
        "task_points": 70,
        "bands": {"excellent": 90, "good": 70, "completed": 50},
        "excellent_exceeded_pct": 30,
        "deduction": {"value": 0.25, "assumed": True,
                      "note": "the 25% deduction per failure or delay is taken from Decree 335"},
        "task_weights": _WEIGHTS,
        "leader_unit_weight": _LEADER,
        "leader_unit_shares": {"all_completed": 1, "one_not_completed": 0.5},
        "no_tasks": _NO_TASKS,
        "discipline_forcing": list(DISCIPLINE_MEASURES),
        "discipline_source": "Quy định 366-QĐ/TW: đảng viên bị kỷ luật trong năm",
        "cap_ratio": {"value": 0.2, "source": "Quy định 366-QĐ/TW: xuất sắc không quá 20% số hoàn thành tốt"},
        "annual": _ANNUAL,
    },
))
