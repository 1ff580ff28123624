"""Minimal plausible bodies for the writes of the authorization matrix.

A body builder takes the world, the province whose units the body names and the
request's path parameters, and returns a :class:`Body`.  Builders marked
``names_units`` put a unit of that province in the body (a parent, the unit of a
position, a plan's scope, an operation's unit, a file's rows): the matrix sends them
once with the requester's own province and once with the other one, which must be
refused without changing anything.  Any other write gets its builder's body, or an
empty one; a 400 answer still shows the request got past authorization.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@dataclass(frozen=True)
class Body:
    data: object
    kind: str = "json"  # json | form | multipart


@dataclass(frozen=True)
class Builder:
    make: Callable
    names_units: bool = False


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 160), (160, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile("chan-dung.jpg", out.getvalue(), content_type="image/jpeg")


def _csv(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _section(w, p, kw) -> Body:
    """The add form of one section of the cadre profile."""
    unit = p["unit"].code
    return Body({
        "career": {"unit_code": unit, "title": "Kiêm nhiệm thử", "kind": "appointment",
                   "valid_from": "2024-01-01"},
        "pool": {"unit_code": unit, "title": "Phó Chủ tịch (thử)", "term": "2026-2031", "added_on": "2025-01-02"},
        "training": {"program": "Lớp thử", "kind": "professional", "start": "2024-01-01"},
        "commendation": {"title": "Giấy khen thử", "date": "2024-01-01"},
        "discipline": {"measure": "khien_trach", "body": "party", "decision_date": "2024-01-01",
                       "effective_date": "2024-01-01"},
    }.get(kw.get("section"), {}), "form")


def _doc_type(code: str) -> int:
    from tinhgon.documents.models import DocumentType

    return DocumentType.objects.get(code=code).pk


BUILDERS: dict[str, Builder] = {
    # Documents registry and good models
    "document": Builder(lambda w, p, kw: Body({"doc_type": _doc_type("nn-quyet-dinh"), "unit": p["root"].pk,
                                               "issued_on": "2026-01-10", "title": "Quyết định thử",
                                               "issuer_symbol": "UBND"}), names_units=True),
    "document_receive": Builder(lambda w, p, kw: Body({"doc_type": _doc_type("ket-luan"), "unit": p["root"].pk,
                                                       "symbol": "127-KL/TW", "issuer_name": "Bộ Chính trị",
                                                       "issued_on": "2025-02-28", "title": "Kết luận thử"}),
                                names_units=True),
    "document_patch": Builder(lambda w, p, kw: Body({"title": "Quyết định thử (sửa)"})),
    "document_form": Builder(lambda w, p, kw: Body({"doc_type": _doc_type("nn-quyet-dinh"), "unit_code": p["root"].code,
                                                    "issued_on": "2026-01-10", "title": "Quyết định thử",
                                                    "issuer_symbol": "UBND"}, "form"), names_units=True),
    "document_receive_form": Builder(lambda w, p, kw: Body({"doc_type": _doc_type("ket-luan"),
                                                            "unit_code": p["root"].code, "symbol": "127-KL/TW",
                                                            "issuer_name": "Bộ Chính trị", "issued_on": "2025-02-28",
                                                            "title": "Kết luận thử"}, "form"), names_units=True),
    "document_edit_form": Builder(lambda w, p, kw: Body({"title": "Quyết định thử (sửa)"}, "form")),
    "document_status_form": Builder(lambda w, p, kw: Body({"status": "expired", "on": "2026-02-01"}, "form")),
    "document_link_form": Builder(lambda w, p, kw: Body({"kind": "program", "record": p["program"].pk}, "form"),
                                  names_units=True),
    "document_type": Builder(lambda w, p, kw: Body({"code": "phieu-trinh-thu", "system": "party",
                                                    "name": "Phiếu trình (thử)", "abbreviation": "PTr",
                                                    "symbol_pattern": "{nn}-{abbr}/{issuer}"})),
    "document_type_form": Builder(lambda w, p, kw: Body({"code": "phieu-trinh-thu", "system": "party",
                                                         "name": "Phiếu trình (thử)", "abbreviation": "PTr",
                                                         "symbol_pattern": "{nn}-{abbr}/{issuer}", "order": 1},
                                                        "form")),
    "good_model": Builder(lambda w, p, kw: Body({"unit": p["unit"].pk, "title": "Mô hình thử", "field": "digital",
                                                 "year": 2025, "recognition_level": "commune"}), names_units=True),
    "good_model_patch": Builder(lambda w, p, kw: Body({"title": "Mô hình thử (sửa)"})),
    "good_model_form": Builder(lambda w, p, kw: Body({"unit_code": p["unit"].code, "title": "Mô hình thử",
                                                      "field": "digital", "year": 2025,
                                                      "recognition_level": "commune"}, "form"), names_units=True),
    # Work programs and tasks
    "program": Builder(lambda w, p, kw: Body({"unit": p["root"].pk, "title": "Chương trình thử", "year": 2026}),
                       names_units=True),
    "program_patch": Builder(lambda w, p, kw: Body({"title": "Chương trình thử (sửa)"})),
    "program_form": Builder(lambda w, p, kw: Body({"unit_code": p["root"].code, "title": "Chương trình thử",
                                                   "year": 2026}, "form"), names_units=True),
    "section_title_form": Builder(lambda w, p, kw: Body({"title": "Mục thử"}, "form")),
    "task": Builder(lambda w, p, kw: Body({"program": p["program"].pk, "title": "Nhiệm vụ thử"}), names_units=True),
    "task_patch": Builder(lambda w, p, kw: Body({"title": "Nhiệm vụ thử (sửa)"})),
    "task_form": Builder(lambda w, p, kw: Body({"title": "Nhiệm vụ thử"}, "form")),
    "accept_form": Builder(lambda w, p, kw: Body({"grade": "met"}, "form")),
    # Petitions
    "petition_form": Builder(lambda w, p, kw: Body({
        "kind": "complaint", "round": 1, "channel": "desk", "subject": "other", "place_text": p["unit"].code,
        "received_on": "2026-01-10", "title": "Đơn thử", "petitioners": "Người thử"}, "form"), names_units=True),
    "petition": Builder(lambda w, p, kw: Body({
        "kind": "complaint", "subject": "other", "place_text": p["unit"].code, "received_on": "2026-01-10",
        "title": "Đơn thử", "petitioners_in": [{"full_name": "Người thử"}]}), names_units=True),
    "day_swap_form": Builder(lambda w, p, kw: Body({"day_off": "2027-01-04", "work_day": "2027-01-09"}, "form")),
    "remote_areas_file": Builder(lambda w, p, kw: Body(
        {"file": _csv("vung-sau.csv", f"unit_code,valid_from\n{p['unit'].code},2025-01-01\n")}, "multipart")),
    "contact_form": Builder(lambda w, p, kw: Body({"on": "2026-01-10", "channel": "desk", "people": 2}, "form")),
    "contact": Builder(lambda w, p, kw: Body({"on": "2026-01-10", "people": 2})),
    "reception_session": Builder(lambda w, p, kw: Body({
        "unit_code": p["unit"].code, "leader_id": p["cadre"].pk, "leader_role": "commune_chair",
        "on": "2026-01-10", "place": "Trụ sở thử", "citizens": 1}), names_units=True),
    "dialogue": Builder(lambda w, p, kw: Body({
        "unit_code": p["unit"].code, "leader_id": p["cadre"].pk, "on": "2026-01-10", "topic": "Đối thoại thử",
        "participants": 1}), names_units=True),
    "petition_officers": Builder(lambda w, p, kw: Body({"officers": []})),
    "similar": Builder(lambda w, p, kw: Body({"text": "đơn thư thử", "names": ["Người thử"]})),
    "petition_session_form": Builder(lambda w, p, kw: Body({
        "unit_code": p["unit"].code, "leader_id": p["cadre"].pk, "leader_role": "commune_chair",
        "on": "2026-01-10", "place": "Trụ sở thử", "citizens": 1, "topic": "Đối thoại thử", "participants": 1},
        "form"), names_units=True),
    # API (JSON unless a file goes with it)
    "token": Builder(lambda w, p, kw: Body({"username": "hn-viewer", "password": "not-the-password"})),
    "unit_create": Builder(lambda w, p, kw: Body({
        "code": f"{p.code}-T1", "name": "Đơn vị thử", "kind": "phuong", "parent_code": p["district"].code,
        "valid_from": "2024-01-01"}), names_units=True),
    "unit_change": Builder(lambda w, p, kw: Body({
        "on": "2024-06-01", "name": "Tên mới thử", "parent_code": p["district"].code}), names_units=True),
    "unit_end": Builder(lambda w, p, kw: Body({"on": "2024-06-01"})),
    "position": Builder(lambda w, p, kw: Body({"unit": p["unit"].pk, "title": "Chức danh thử", "count": 1}),
                        names_units=True),
    "quota": Builder(lambda w, p, kw: Body({"unit": p["unit"].pk, "year": 2026, "quota": 10}), names_units=True),
    "cadre_create": Builder(lambda w, p, kw: Body({
        "full_name": "Người Thử Nghiệm", "sex": "M", "birth_date": "1990-01-01", "citizen_id": "001090999111",
        "position": {"unit": p["unit"].pk, "title": "Chuyên viên", "valid_from": "2024-01-01"}}), names_units=True),
    "cadre_patch": Builder(lambda w, p, kw: Body({"lock_version": 0, "note": "ghi chú thử"})),
    "reason": Builder(lambda w, p, kw: Body({"reason": "Nhập nhầm (thử)"})),
    "assignment": Builder(lambda w, p, kw: Body({
        "unit": p["unit"].pk, "title": "Kiêm nhiệm thử", "valid_from": "2024-01-01", "is_primary": False}),
        names_units=True),
    "assignment_end": Builder(lambda w, p, kw: Body({"on": "2026-01-01"})),
    "pool_entry": Builder(lambda w, p, kw: Body({
        "unit": p["unit"].pk, "title": "Phó Chủ tịch (thử)", "term": "2026-2031", "added_on": "2025-01-02"}),
        names_units=True),
    "pool_review": Builder(lambda w, p, kw: Body({"date": "2025-02-01", "result": "keep"})),
    "discipline": Builder(lambda w, p, kw: Body({
        "measure": "khien_trach", "decision_date": "2024-01-01", "effective_date": "2024-01-01"})),
    "training": Builder(lambda w, p, kw: Body({"program": "Lớp thử", "start": "2024-01-01"})),
    "commendation": Builder(lambda w, p, kw: Body({"title": "Giấy khen thử", "date": "2024-01-01"})),
    "photo": Builder(lambda w, p, kw: Body({"photo": _jpeg()}, "multipart")),
    "cadre_import": Builder(lambda w, p, kw: Body({"file": _csv("can-bo.csv", (
        "full_name,sex,birth_date,citizen_id,unit_code,title,valid_from\n"
        f"Người Nhập Thử,Nam,1990-01-01,001090999222,{p['unit'].code},Chuyên viên,2024-01-01\n"))},
        "multipart"), names_units=True),
    "plan": Builder(lambda w, p, kw: Body({"name": "Phương án thử", "effective_date": "2026-07-01",
                                           "scope_code": p.code}), names_units=True),
    "operations": Builder(lambda w, p, kw: Body([{"kind": "rename", "data": {"code": p["unit"].code,
                                                                            "name": "Tên thử"}}]),
                          names_units=True),
    "term": Builder(lambda w, p, kw: Body({"unit": p["root"].pk, "kind": "peoples_council", "label": "2021-2026"}),
                    names_units=True),
    "addresses": Builder(lambda w, p, kw: Body({"addresses": ["phuong phuc xa, ba dinh, ha noi"]})),
    "address_file": Builder(lambda w, p, kw: Body({"file": _csv("dia-chi.csv", "Dia chi\nphuc xa, ba dinh, ha noi\n"),
                                                   "column": "Dia chi"}, "multipart")),
    "saved_search": Builder(lambda w, p, kw: Body({"name": "Tìm thử", "params": {"sex": "M"}})),
    "body_review": Builder(lambda w, p, kw: Body({"status": "accepted"})),
    "function": Builder(lambda w, p, kw: Body({"code": "chuc-nang-thu-2", "name": "Chức năng thử"})),
    "power": Builder(lambda w, p, kw: Body({"code": "tham-quyen-thu-2", "name": "Thẩm quyền thử",
                                            "legal_basis": "Luật thử"})),
    "rename": Builder(lambda w, p, kw: Body({"name": "Tên đổi thử"})),
    "level": Builder(lambda w, p, kw: Body({"code": "cap-thu", "name": "Cấp thử", "rank": 9})),
    "unit_kind": Builder(lambda w, p, kw: Body({"code": "loai-thu", "name": "Loại thử", "category": "other"})),
    "body_kind": Builder(lambda w, p, kw: Body({"code": "loai-co-quan-thu", "name": "Loại cơ quan thử",
                                                "unit_kind": "xa", "territory_level": "province",
                                                "name_pattern": "Ban thử {territory}"})),
    "user": Builder(lambda w, p, kw: Body({"username": "nguoi-moi-thu", "role": "viewer",
                                           "scope_codes": [p.code]})),
    "user_patch": Builder(lambda w, p, kw: Body({"full_name": "Tên đổi thử"})),
    # Pages (forms)
    "address_file_form": Builder(lambda w, p, kw: Body({"file": _csv("dia-chi.csv", "Dia chi\nphuc xa, ha noi\n"),
                                                        "column": "Dia chi"}, "multipart")),
    "body_operation_form": Builder(lambda w, p, kw: Body({"name": "Tên đổi thử"}, "form")),
    "unit_create_form": Builder(lambda w, p, kw: Body({
        "code": f"{p.code}-T2", "name": "Đơn vị thử", "kind": "phuong", "parent_code": p["district"].code,
        "valid_from": "2024-01-01"}, "form"), names_units=True),
    "unit_change_form": Builder(lambda w, p, kw: Body({
        "on": "2024-06-01", "name": "Tên mới thử", "kind": "phuong", "parent_code": p["district"].code},
        "form"), names_units=True),
    "unit_end_form": Builder(lambda w, p, kw: Body({"on": "2024-06-01"}, "form")),
    "position_form": Builder(lambda w, p, kw: Body({"title": "Chức danh thử", "count": 1, "order": 100}, "form")),
    "quota_form": Builder(lambda w, p, kw: Body({"year": 2026, "category": "civil_servant", "quota": 10},
                                                "form")),
    "function_holding_form": Builder(lambda w, p, kw: Body({
        "function": w.functions["function"].code, "role": "coordinate", "valid_from": "2024-01-01"}, "form")),
    "power_holding_form": Builder(lambda w, p, kw: Body({
        "power": w.functions["power"].code, "valid_from": "2024-01-01"}, "form")),
    "cadre_create_form": Builder(lambda w, p, kw: Body({
        "full_name": "Người Thử Nghiệm", "sex": "M", "birth_date": "1990-01-01", "birth_year": 1990,
        "citizen_id": "001090999333", "education_level": 4, "political_theory": 0, "state_management": 0,
        "unit_code": p["unit"].code, "title": "Chuyên viên", "valid_from": "2024-01-01"}, "form"),
        names_units=True),
    "section_form": Builder(_section, names_units=True),
    # Inspection and party
    "inspection_plan": Builder(lambda w, p, kw: Body({"commission": p["root"].pk, "year": 2026, "title": "Kế hoạch thử",
                                                      "period_start": "2026-01-01", "period_end": "2026-12-31"}),
                               names_units=True),
    "inspection_plan_patch": Builder(lambda w, p, kw: Body({"title": "Kế hoạch thử (sửa)"})),
    "inspection_plan_form": Builder(lambda w, p, kw: Body({"commission_code": p["root"].code, "year": 2026,
                                                           "title": "Kế hoạch thử", "period_start": "2026-01-01",
                                                           "period_end": "2026-12-31"}, "form"), names_units=True),
    "inspection_plan_edit_form": Builder(lambda w, p, kw: Body({"year": 2026, "title": "Kế hoạch thử (sửa)",
                                                                "period_start": "2026-01-01",
                                                                "period_end": "2026-12-31"}, "form")),
    "inspection": Builder(lambda w, p, kw: Body({"commission": p["root"].pk, "subject_unit": p["unit"].pk,
                                                 "title": "Kiểm tra thử", "start": "2026-05-04", "end": "2026-06-04"}),
                          names_units=True),
    "inspection_form": Builder(lambda w, p, kw: Body({"commission_code": p["root"].code, "subject_code": p["unit"].code,
                                                      "activity": "inspection", "kind": "regular",
                                                      "title": "Kiểm tra thử", "start": "2026-05-04",
                                                      "end": "2026-06-04"}, "form"), names_units=True),
    "recommendation_report_form": Builder(lambda w, p, kw: Body({"status": "done", "on": "2026-03-02",
                                                                 "result": "Đã thực hiện (thử)"}, "form")),
    "party_member": Builder(lambda w, p, kw: Body({"full_name": "Đảng viên thử", "organization": p["party_cell"].pk,
                                                   "admission_date": "2026-02-03"}), names_units=True),
    "party_member_form": Builder(lambda w, p, kw: Body({"full_name": "Đảng viên thử",
                                                        "organization_code": p["party_cell"].code,
                                                        "admission_date": "2026-02-03"}, "form"), names_units=True),
    "party_leave_form": Builder(lambda w, p, kw: Body({"reason": "resigned", "on": "2026-01-02"}, "form")),
    "reason_form": Builder(lambda w, p, kw: Body({"reason": "Nhập nhầm (thử)"}, "form")),
    "photo_form": Builder(lambda w, p, kw: Body({"photo": _jpeg()}, "multipart")),
    "saved_search_form": Builder(lambda w, p, kw: Body({"name": "Tìm thử", "sex": "M"}, "form")),
    "assignment_end_form": Builder(lambda w, p, kw: Body({"on": "2026-01-01"}, "form")),
    "pool_review_form": Builder(lambda w, p, kw: Body({"date": "2025-02-01", "result": "keep"}, "form")),
    "plan_form": Builder(lambda w, p, kw: Body({"name": "Phương án thử", "effective_date": "2026-07-01",
                                                "scope_code": p.code}, "form"), names_units=True),
    "operation_form": Builder(lambda w, p, kw: Body({"kind": "rename", "code": p["unit"].code,
                                                     "name": "Tên thử"}, "form"), names_units=True),
    "operations_file": Builder(lambda w, p, kw: Body({"file": _csv("tac-vu.csv", (
        f"kind,source_codes,target_name\nrename,{p['unit'].code},Tên thử\n"))}, "multipart"), names_units=True),
    "unit_import": Builder(lambda w, p, kw: Body({"file": _csv("don-vi.csv", (
        "code,name,kind,parent_code,valid_from\n"
        f"{p.code}-T3,Đơn vị nhập thử,phuong,{p['district'].code},2024-01-01\n"))}, "multipart"),
        names_units=True),
    "language": Builder(lambda w, p, kw: Body({"language": "en", "next": "/"}, "form")),
}

# Assessment: a cycle names its scope unit; the what-if names none.
BUILDERS.update({
    "assessment_cycle_form": Builder(lambda w, p, kw: Body({"unit": p["unit"].code, "period": "2026-Q2",
                                                            "audience": "persons", "label": ""}, "form"),
                                     names_units=True),
    "assessment_cycle": Builder(lambda w, p, kw: Body({"unit": p["unit"].pk, "kind": "quarterly",
                                                       "period_start": "2026-04-01", "period_end": "2026-06-30"}),
                                names_units=True),
    "assessment_classify": Builder(lambda w, p, kw: Body({"as_of": "2026-12-31", "people": [
        {"id": "A", "score": 95, "discipline": None}, {"id": "B", "score": 75}]})),
    "assessment_review": Builder(lambda w, p, kw: Body({"general_points": "27", "remarks": "Thử"})),
    "assessment_self": Builder(lambda w, p, kw: Body({"text": "Tự đánh giá thử", "level": "good"})),
    "assessment_review_form": Builder(lambda w, p, kw: Body({"form": "review", "review-general_points": "27",
                                                             "review-remarks": "Thử"}, "form")),
    "assessment_override": Builder(lambda w, p, kw: Body({"ratio": "0.30", "decision": "QĐ thử 1"})),
    "assessment_override_form": Builder(lambda w, p, kw: Body({"ratio": "0.30", "decision": "QĐ thử 1"}, "form")),
})
