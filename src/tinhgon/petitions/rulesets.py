"""Rule sets shipped by the petitions app (RULES.md §7).

Deadlines: the Law on Complaints 2011 and the Law on Denunciations 2018, then from
2026-07-01 Law 136/2025/QH15 (suspended time no longer counts).  Where RULES.md gives no
number the parameter is ``None`` ("not given"), and the computations say so instead of
inventing one: the acceptance period of denunciations, a settlement period for
recommendations and reflections, any remote-area rule for denunciations.

Reception duty of leaders: the Law on Citizen Reception 2013, then from 2026-07-01 Law
136/2025/QH15 (commune chair ≥2 days a month; provincial chair unchanged; heads of state
agencies not restated by RULES.md: ``None``).

The start dates of the first rule sets (2019-01-01, when the later of the two laws took
effect; 2014-07-01 for the reception law) are not in RULES.md: *verify*.

Hot-spot thresholds are the product's own parameters, not statutory: an administrator
tunes them by adding a newer rule set.
"""

import datetime as dt

from tinhgon.core.rulesets import RuleSetData, register_default

DEADLINES = "petitions.deadlines"
RECEPTION = "petitions.reception_duty"
HOTSPOTS = "petitions.hotspots"
ROUTING = "petitions.routing"

_COMPLAINT = {
    # settlement days after acceptance, by round, then [normal, complex] and remote [normal, complex]
    "1": {"normal": 30, "complex": 45, "remote_normal": 45, "remote_complex": 60},
    "2": {"normal": 45, "complex": 60, "remote_normal": 60, "remote_complex": 70},
}
_DENUNCIATION = {"days": 30, "extension_days": 30,
                 "max_extensions": {"normal": 0, "complex": 1, "especially_complex": 2}}

register_default(RuleSetData(
    kind=DEADLINES,
    code="petitions-2011-2018",
    name="Thời hạn giải quyết khiếu nại, tố cáo (Luật Khiếu nại 2011, Luật Tố cáo 2018)",
    legal_basis="Luật Khiếu nại 2011; Luật Tố cáo 2018; Bộ luật Dân sự 2015, Điều 147–148",
    valid_from=dt.date(2019, 1, 1),
    valid_to=dt.date(2026, 7, 1),
    parameters={
        "counting": "calendar",             # calendar | working
        "acceptance_days": {"complaint": 10, "denunciation": None, "recommendation": None},
        "complaint": _COMPLAINT,
        "complaint_extensions": 0,
        "denunciation": _DENUNCIATION,
        "recommendation": None,              # no statutory settlement period
        "second_round_window": {"normal": 30, "remote": 45},
        "lodge_days": 90,
        "suspension_excluded": False,
    },
))

register_default(RuleSetData(
    kind=DEADLINES,
    code="petitions-2026",
    name="Thời hạn giải quyết khiếu nại, tố cáo (từ 01/7/2026, Luật 136/2025/QH15)",
    legal_basis="Luật Khiếu nại 2011, Luật Tố cáo 2018 sửa đổi bởi Luật 136/2025/QH15; "
                "Bộ luật Dân sự 2015, Điều 147–148",
    valid_from=dt.date(2026, 7, 1),
    valid_to=None,
    parameters={
        "counting": "calendar",
        "acceptance_days": {"complaint": 10, "denunciation": None, "recommendation": None},
        "complaint": _COMPLAINT,
        "complaint_extensions": 0,
        "denunciation": _DENUNCIATION,
        "recommendation": None,
        "second_round_window": {"normal": 30, "remote": 45},
        "lodge_days": 90,
        "suspension_excluded": True,         # suspended time does not count toward the limit
    },
))

register_default(RuleSetData(
    kind=RECEPTION,
    code="reception-2013",
    name="Tiếp công dân định kỳ của người đứng đầu (Luật Tiếp công dân 2013)",
    legal_basis="Luật Tiếp công dân 2013, Điều 12–15",
    valid_from=dt.date(2014, 7, 1),
    valid_to=dt.date(2026, 7, 1),
    parameters={
        # per role: at least `days` reception days in every `per` (week | month)
        "duties": {
            "commune_chair": {"per": "week", "days": 1},
            "district_chair": {"per": "month", "days": 2, "until": "2025-07-01"},
            "province_chair": {"per": "month", "days": 1},
            "agency_head": {"per": "month", "days": 1},
        },
        "online_allowed": False,
    },
))

register_default(RuleSetData(
    kind=RECEPTION,
    code="reception-2026",
    name="Tiếp công dân định kỳ (từ 01/7/2026, Luật 136/2025/QH15)",
    legal_basis="Luật Tiếp công dân 2013 sửa đổi bởi Luật 136/2025/QH15",
    valid_from=dt.date(2026, 7, 1),
    valid_to=None,
    parameters={
        "duties": {
            "commune_chair": {"per": "month", "days": 2, "where": "the commune's reception place"},
            "province_chair": {"per": "month", "days": 1},
            "agency_head": None,  # not restated in RULES.md: unknown, never assumed
        },
        "online_allowed": True,
    },
))

register_default(RuleSetData(
    kind=HOTSPOTS,
    code="hotspots-default",
    name="Ngưỡng cảnh báo điểm nóng (tham số của hệ thống, điều chỉnh được)",
    legal_basis="Tham số vận hành (không phải quy định pháp luật)",
    valid_from=dt.date(2000, 1, 1),
    valid_to=None,
    parameters={
        "window_days": 90,
        "min_people": 30,          # people gathered on one place and subject in the window
        "min_contacts": 8,         # contacts (visits, letters) on one place and subject
        "crowded_group": 20,       # one contact of at least this many people (đoàn đông người)
        "min_overdue": 3,          # matters past their deadline, still open
        "min_repeats": 4,          # repeat contacts in the window
    },
))

register_default(RuleSetData(
    kind=ROUTING,
    code="routing-2025",
    name="Thẩm quyền tiếp nhận, giải quyết theo lĩnh vực (chính quyền hai cấp)",
    legal_basis="Tham số vận hành: cấp xử lý theo lĩnh vực; điều chỉnh theo quy chế của địa phương",
    valid_from=dt.date(2025, 7, 1),
    valid_to=None,
    parameters={
        # first matching rule wins: subject (or "*") and kind (or "*") → level of the handling unit,
        # the place itself or its nearest ancestor at that level
        "rules": [
            {"subject": "cadre_conduct", "kind": "*", "level": "province"},
            {"subject": "*", "kind": "denunciation", "level": "province"},
            {"subject": "*", "kind": "*", "level": "commune"},
        ],
    },
))

register_default(RuleSetData(
    kind=ROUTING,
    code="routing-three-level",
    name="Thẩm quyền theo lĩnh vực (chính quyền ba cấp, trước 01/7/2025)",
    legal_basis="Tham số vận hành",
    valid_from=dt.date(2000, 1, 1),
    valid_to=dt.date(2025, 7, 1),
    parameters={
        "rules": [
            {"subject": "cadre_conduct", "kind": "*", "level": "district"},
            {"subject": "land", "kind": "*", "level": "district"},
            {"subject": "*", "kind": "denunciation", "level": "district"},
            {"subject": "*", "kind": "*", "level": "commune"},
        ],
    },
))
