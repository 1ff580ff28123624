"""Violation codes of a restructuring plan, each with its message in Vietnamese and English."""

from __future__ import annotations

from tinhgon.core.successors import Finding

UNIT_NOT_VALID = "unit_not_valid"
CONSUMED_TWICE = "consumed_twice"
NOT_CONSUMED = "not_consumed"
SPLIT_SHARES = "split_shares"
CYCLE = "cycle"
VACANT_FIELD = "vacant_field"
BELOW_STANDARD = "below_standard"
STANDARD_UNKNOWN = "standard_unknown"
STANDARD_EXEMPTED = "standard_exempted"
QUOTA_EXCEEDS = "quota_exceeds"
ROADMAP_SHORT = "roadmap_short"
CODE_IN_USE = "code_in_use"
NEW_CODE_TWICE = "new_code_twice"
PARENT_ENDS = "parent_ends"
UNKNOWN_PARENT = "unknown_parent"
UNKNOWN_TARGET = "unknown_target"
BAD_OPERATION = "bad_operation"
OUT_OF_SCOPE = "out_of_scope"
BODY_DUPLICATE = "body_duplicate"
BODY_UNHANDLED = "body_unhandled"
BODY_LEVEL_NOT_DISSOLVED = "body_level_not_dissolved"
BODY_NAMED_FOR_ENDED = "body_named_for_ended"
BODY_KINDS_DIFFER = "body_kinds_differ"
BODY_LEVEL_GONE = "body_level_gone"
BODY_NAME_IN_USE = "body_name_in_use"
BODY_ROADMAP_SHORT = "body_roadmap_short"

TEXTS: dict[str, tuple[str, str, str]] = {
    # code: (severity, Vietnamese, English)
    UNIT_NOT_VALID: ("error", "Đơn vị {code} không có hiệu lực vào ngày {date}.",
                     "Unit {code} is not valid on {date}."),
    CONSUMED_TWICE: ("error", "Đơn vị {code} bị xử lý hai lần (thao tác {ops}).",
                     "Unit {code} is consumed twice (operations {ops})."),
    NOT_CONSUMED: ("error", "Đơn vị {code} thuộc {parent} (bị giải thể/chia tách) chưa được bố trí vào đơn vị nào.",
                   "Unit {code}, below {parent} which ends, is not taken over by any operation."),
    SPLIT_SHARES: ("error", "Tỷ lệ chia tách của {code} phải dương và cộng lại bằng 1 (hiện là {total}).",
                   "The split shares of {code} must be positive and sum to 1 (they sum to {total})."),
    CYCLE: ("error", "Cây đơn vị sau sắp xếp có vòng lặp: {codes}.",
            "The tree after the plan has a cycle: {codes}."),
    VACANT_FIELD: ("error", "{what} “{item}” của đơn vị {code} (bị giải thể) chưa được chuyển giao — bỏ trống lĩnh vực.",
                   "The {what} “{item}” of unit {code}, which is dissolved, is not transferred (a vacant field)."),
    BELOW_STANDARD: ("error", "Đơn vị mới {code} chưa đạt tiêu chuẩn {criterion}: {value} < {floor} ({rule}).",
                     "New unit {code} is below the standard on {criterion}: {value} < {floor} ({rule})."),
    STANDARD_UNKNOWN: ("unknown", "Chưa đủ dữ liệu để kiểm tra tiêu chuẩn {criterion} của đơn vị mới {code} ({rule}).",
                       "Not enough data to check the {criterion} standard of new unit {code} ({rule})."),
    STANDARD_EXEMPTED: ("info", "Đơn vị mới {code} chưa đạt tiêu chuẩn ({rule}) nhưng được miễn: {reason}.",
                        "New unit {code} is below the standard ({rule}) but exempted: {reason}."),
    QUOTA_EXCEEDS: ("error", "Biên chế năm {year} của đơn vị mới {code} ({quota}) vượt tổng biên chế các đơn vị tiền thân ({total}).",
                    "The {year} payroll quota of new unit {code} ({quota}) exceeds the sum of its predecessors ({total})."),
    ROADMAP_SHORT: ("info", "Phương án giảm {reduction}% biên chế, chưa đạt mức tối thiểu {minimum}% của lộ trình.",
                    "The plan cuts the payroll quota by {reduction}%, short of the roadmap's {minimum}%."),
    CODE_IN_USE: ("error", "Mã {code} đang được một đơn vị khác sử dụng vào ngày hiệu lực.",
                  "Code {code} is in use by another unit on the effective date."),
    NEW_CODE_TWICE: ("error", "Mã {code} được tạo hai lần trong phương án.",
                     "Code {code} is created twice in the plan."),
    PARENT_ENDS: ("error", "Đơn vị cấp trên {parent} của {code} chấm dứt mà không có đơn vị kế thừa duy nhất.",
                  "The parent {parent} of {code} ends without a single successor."),
    UNKNOWN_PARENT: ("error", "Đơn vị cấp trên {parent} của {code} không tồn tại vào ngày hiệu lực.",
                     "The parent {parent} of {code} does not exist on the effective date."),
    UNKNOWN_TARGET: ("error", "Đơn vị nhận {code} không tồn tại sau khi sắp xếp.",
                     "The receiving unit {code} does not exist after the plan."),
    OUT_OF_SCOPE: ("error", "Đơn vị {code} ({path}) nằm ngoài phạm vi {scope} của phương án.",
                   "Unit {code} ({path}) lies outside the plan's scope {scope}."),
    BODY_DUPLICATE: ("error", "Sau sắp xếp, địa bàn {code} có hai cơ quan cùng loại hoặc cùng lĩnh vực: {bodies}.",
                     "After the plan, territory {code} has two bodies of the same kind or field: {bodies}."),
    BODY_UNHANDLED: ("error", "Địa bàn {territory} chấm dứt nhưng chưa có thao tác nào xử lý {name} ({code}).",
                     "Territory {territory} ends but no operation handles {name} ({code})."),
    BODY_LEVEL_NOT_DISSOLVED: ("error", "{name} ({code}) thuộc cấp bị giải thể ({territory}) nhưng chưa được "
                                        "giải thể hoặc chuyển giao.",
                               "{name} ({code}) belongs to a level the plan dissolves ({territory}) but is neither "
                               "dissolved nor transferred."),
    BODY_NAMED_FOR_ENDED: ("error", "{name} ({code}) vẫn mang tên địa bàn đã chấm dứt ({territory}).",
                           "{name} ({code}) is still named for a territory that ended ({territory})."),
    BODY_KINDS_DIFFER: ("error", "Không thể hợp nhất các cơ quan khác loại vào {code}: {bodies}.",
                        "Bodies of different kinds cannot be merged into {code}: {bodies}."),
    BODY_LEVEL_GONE: ("error", "{code} được chuyển cho {target} thuộc cấp {level} không còn tồn tại vào ngày {date}.",
                      "{code} is transferred to {target}, of the {level} level, which does not exist on {date}."),
    BODY_NAME_IN_USE: ("error", "Tên “{name}” của {code} đã được cơ quan {other} sử dụng.",
                       "The name “{name}” of {code} is already used by body {other}."),
    BODY_ROADMAP_SHORT: ("info", "Cơ quan hợp nhất {code}: biên chế {ty} ({target}) giảm {reduction}% so với {by} "
                                 "({base}), chưa đạt {minimum}% của lộ trình.",
                         "Merged body {code}: the {ty} quota ({target}) is {reduction}% below {by} ({base}), short "
                         "of the roadmap's {minimum}%."),
    BAD_OPERATION: ("error", "Thao tác không hợp lệ: thiếu hoặc sai “{detail}”.",
                    "Invalid operation: “{detail}” is missing or wrong."),
}

WHAT_VI = {"function": "Chức năng", "power": "Thẩm quyền"}


def finding(violation: str, units, *, op: int | None = None, severity: str | None = None, **params) -> Finding:
    """A finding with both messages. A parameter given as a ``(vi, en)`` pair is used per language."""
    default_severity, vi, en = TEXTS[violation]
    vi_params = {k: (v[0] if isinstance(v, tuple) else v) for k, v in params.items()}
    params = {k: (v[1] if isinstance(v, tuple) else v) for k, v in params.items()}
    if "what" in params:
        vi_params["what"] = WHAT_VI.get(params["what"], params["what"])
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in params.items()}
    if op is not None:
        data["op"] = op
    return Finding(
        code=violation, units=tuple(str(u) for u in units), message_vi=vi.format(**vi_params),
        message_en=en.format(**params), severity=severity or default_severity, data=data,
    )


def as_dict(f: Finding) -> dict:
    return {"code": f.code, "severity": f.severity, "units": list(f.units), "message_vi": f.message_vi,
            "message_en": f.message_en, "op": f.data.get("op"), "data": f.data}
