"""Two provinces with everything a user can reach, for the authorization tests.

Hà Nội (``01``, the small tree every app's tests use) and Cần Thơ (``92``) each get
units, a position, payroll quotas, function and power holdings, cadres with their
career, planning pool, training, commendation, discipline and a portrait, plans in
every workflow state (one of them applied, so successions exist) and one user per
role scoped to the province.  Users of every role without any scope and saved
searches for every user complete it.

Each province lists its *secrets*: strings that only a user inside it (or an
administrator) may ever receive — cadre names, citizen IDs, birth dates, position
titles, quota decisions and figures, user names.  The structure (units, their names
and codes, plans) is public to signed-in users and is not a secret.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tinhgon.accounts.roles import ROLE_ACTIONS
from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

ROLES = tuple(ROLE_ACTIONS)
# National reference data: objects of no province (World.functions holds them).
NATIONAL = frozenset({"function", "power", "level", "unit_kind", "body_kind", "rule_set", "day_swap",
                      "document_type"})
DAY = dt.date(2025, 7, 1)          # the plans' effective date
START = dt.date(2021, 1, 1)        # careers start
QUOTA_YEAR = 2022                  # the roadmap's baseline, before the plans: their reports read it

CAN_THO = {
    "92:Thành phố Cần Thơ:thanh-pho-tw": {
        "916:Quận Ninh Kiều:quan": {
            "31117:Phường Cái Khế:phuong": {},
            "31120:Phường An Hòa:phuong": {},
            "31123:Phường Thới Bình:phuong": {},
        },
    },
}


@dataclass
class Province:
    """One province and the objects inside it, by the names the authorization table uses."""

    key: str
    objects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)          # role -> user scoped to the province
    secrets: list[str] = field(default_factory=list)   # never shown outside the province
    personal: list[str] = field(default_factory=list)  # shown only to roles with personal_data

    def __getitem__(self, name):
        return self.objects[name]

    @property
    def code(self) -> str:
        return self.objects["root"].code


@dataclass
class World:
    provinces: dict[str, Province]
    nobody: dict                   # role -> user without any scope
    functions: dict                # national reference data: function, power, level, kind, rule set
    saved_searches: dict           # user pk -> that user's saved search

    @property
    def hn(self) -> Province:
        return self.provinces["hn"]

    @property
    def ct(self) -> Province:
        return self.provinces["ct"]


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (20, 90, 160)).save(out, "JPEG")
    return SimpleUploadedFile("anh.jpg", out.getvalue(), content_type="image/jpeg")


def _figure_forms(n: int) -> list[str]:
    """A figure as the API writes it and as the pages format it."""
    return [str(n), f"{n:,}", f"{n:,}".replace(",", ".")]


def _province(key: str, units: dict, spec: dict, fn, pw) -> Province:
    from tinhgon.apparatus import services as apparatus
    from tinhgon.cadres import services as cadres
    from tinhgon.restructuring import services as plans

    p = Province(key=key)
    o = p.objects
    o.update(root=units[spec["root"]], district=units[spec["district"]], unit=units[spec["commune"]])
    o["position"] = apparatus.position_create(unit=o["unit"], title=spec["position"], count=3, is_leadership=True)
    o["quota"] = apparatus.payroll_quota_set(unit=o["unit"], year=QUOTA_YEAR, quota=spec["quota"],
                                             decision=spec["decision"])
    apparatus.payroll_quota_set(unit=units[spec["renamed"]], year=QUOTA_YEAR, quota=spec["renamed_quota"],
                                decision=spec["decision"])
    o["term"] = apparatus.term_create(body=o["root"], label="2021-2026")
    o["function_holding"] = apparatus.function_holding_create(unit=o["unit"], function=fn, valid_from=START)
    o["power_holding"] = apparatus.power_holding_create(unit=o["unit"], power=pw, valid_from=START)

    cadre = cadres.cadre_create(full_name=spec["cadre"], sex=spec["sex"], birth_date=spec["born"],
                                citizen_id=spec["citizen_id"], education_level=5, political_theory=3)
    o["assignment"] = cadres.assignment_create(cadre=cadre, unit=o["unit"], title=spec["position"],
                                               position=o["position"], valid_from=START)
    o["pool_entry"] = cadres.pool_entry_add(cadre=cadre, unit=o["unit"], title=spec["pool_title"],
                                            term="2026-2031", added_on=dt.date(2023, 1, 2))
    cadres.pool_review_add(entry=o["pool_entry"], date=dt.date(2023, 6, 1), result="keep")
    cadres.training_add(cadre=cadre, program=spec["training"], start=dt.date(2022, 3, 1))
    cadres.commendation_add(cadre=cadre, title=spec["commendation"], date=dt.date(2022, 5, 2))
    cadres.discipline_add(cadre=cadre, measure="khien_trach", decision_number=spec["discipline"],
                          decision_date=dt.date(2018, 2, 1), effective_date=dt.date(2018, 2, 1))
    o["cadre"] = cadres.cadre_photo_set(cadre=cadre, fileobj=_jpeg())
    plain = cadres.cadre_create(full_name=spec["plain"], sex=spec["plain_sex"], birth_date=spec["plain_born"],
                                citizen_id=spec["plain_citizen_id"])
    cadres.assignment_create(cadre=plain, unit=o["unit"], title="Chuyên viên", valid_from=START)
    plain.refresh_from_db()
    o["cadre_plain"] = plain

    scope = o["root"].path

    def plan(name: str, ops: list, until: str) -> object:
        made = plans.plan_create(name=name, effective_date=DAY, legal_basis="Nghị quyết thử",
                                 scope_path=scope)
        plans.operations_add(plan=made, operations=ops)
        if until == "draft":
            return made
        errors = [f for f in plans.plan_validate(plan=made) if f["severity"] == "error"]
        assert not errors, errors
        if until != "validated":
            plans.plan_approve(plan=made)
        if until == "applied":
            plans.plan_apply(plan=made)
        made.refresh_from_db()
        return made

    rename = lambda code, name: ("rename", {"code": code, "name": name})  # noqa: E731
    o["plan"] = plan(f"Phương án nháp {key}", [rename(spec["district"], spec["district_new"])], "draft")
    o["operation"] = o["plan"].operations.get()
    from tinhgon.restructuring.models import BodyOperation

    o["body_operation"] = BodyOperation.objects.create(
        plan=o["plan"], seq=1, kind="rename", data={"code": spec["district"], "name": spec["district_new"]},
        reason_vi="Đổi tên (thử)", reason_en="Rename (test)", bodies=[spec["district"]])
    o["plan_validated"] = plan(f"Phương án đã kiểm tra {key}", [rename(spec["commune"], spec["commune_new"])],
                               "validated")
    o["plan_approved"] = plan(f"Phương án đã duyệt {key}", [rename(spec["approved"], spec["approved_new"])],
                              "approved")
    o["plan_applied"] = plan(f"Phương án đã thực hiện {key}", [rename(spec["renamed"], spec["renamed_new"])],
                             "applied")
    o["succession"] = o["plan_applied"].successions.get()
    # Findings carry figures of the units they name, and may carry names: one that names the
    # province's cadre must reach nobody outside the province, though the plan is public.
    for name in ("plan_validated", "plan_applied"):
        o[name].violations = [*o[name].violations, {
            "code": "cadres_to_move", "severity": "info", "units": [spec["commune"]], "op": 1,
            "message_vi": f"{spec['cadre']} chuyển sang đơn vị mới.", "message_en": f"{spec['cadre']} moves."}]
        o[name].save(update_fields=["violations"])

    for role in ROLES:
        p.users[role] = make_user(f"{key}-{role}", role=role, scopes=[o["root"]],
                                  full_name=f"{spec['user_name']} {role}")
    o["user"] = p.users["viewer"]
    # Jobs its administrator started for the province (one queued, one failed with a row report):
    # the others inside see them and cannot cancel them.
    from tinhgon.core.models import Job

    o["job"] = Job.objects.create(kind="cadres.import", label=f"Nhập hồ sơ {spec['job_file']}",
                                  user=p.users["administrator"], scope_path=scope, input_name=spec["job_file"])
    o["job_failed"] = Job.objects.create(
        kind="cadres.import", label=f"Nhập hồ sơ {spec['job_file']}", user=p.users["administrator"],
        scope_path=scope, input_name=spec["job_file"], state=Job.FAILED,
        errors=[{"row": 2, "column": "unit_code", "message": spec["job_error"]}])

    # An export its administrator ran: the file is theirs alone (others, even inside, get 404).
    from django.core.files.base import ContentFile

    o["job_export"] = Job.objects.create(kind="cadres.export", label=f"Xuất hồ sơ {spec['job_file']}",
                                         user=p.users["administrator"], scope_path=scope, state=Job.SUCCEEDED,
                                         output_name=f"can-bo-{key}.csv")
    o["job_export"].output_file.save(f"{key}-export.csv", ContentFile(
        f"{spec['cadre']},{spec['citizen_id']},{spec['born'].isoformat()}\n".encode()))

    # Work programs and tasks: a draft with its six clears, and one submitted to the commune (the authority).
    from tinhgon.tasks import services as tasks

    o["program"] = tasks.program_create(unit=o["root"], title=spec["program"], year=2026, source_symbol="09-NQ/TU")
    clears = dict(program=o["program"], content="Nội dung thử", lead_unit=o["unit"], assignee=cadre, leader=cadre,
                  start=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 20), product_type="report",
                  product_description="Báo cáo thử", authority_unit=o["unit"], authority_power=pw)
    o["task"] = tasks.task_create(title=spec["task"], **clears)
    o["task_submitted"] = tasks.task_create(title=f"{spec['task']} (đã trình)", **clears)
    tasks.task_issue(task=o["task_submitted"], on=dt.date(2026, 1, 5))
    tasks.task_submit(task=o["task_submitted"], product_note="Báo cáo thử", on=dt.date(2026, 1, 20))

    # Assessment: a quarterly cycle of the commune, computed (its results name the province's cadres;
    # its label names the province's program, a secret).
    from tinhgon.assessment import services as assessment

    o["cycle"] = assessment.cycle_create(user=None, unit=o["unit"], kind="quarterly",
                                         label=f"Đánh giá theo {spec['program']}",
                                         period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31))
    assessment.cycle_compute(user=None, cycle=o["cycle"])
    o["result"] = o["cycle"].results.order_by("id").first()

    # Petitions: an accepted complaint arising and handled at the commune, a denunciation (its denouncer
    # is named on no answer: no handling officer is named), and a hot spot at the commune.
    from tinhgon.petitions import services as petitions
    from tinhgon.petitions.models import HotSpot

    matter = f"Đơn thư bí mật {key.upper()}-D17"
    denouncer = f"Người tố cáo {key.upper()} Ẩn Danh"
    hotspot_plan = f"Kế hoạch đối thoại bí mật {key.upper()}-H5"
    o["petition"] = petitions.petition_receive(
        kind="complaint", subject="land", title=matter, received_on=dt.date(2026, 1, 5), place=o["unit"],
        handling_unit=o["unit"], petitioners=[{"full_name": "Người khiếu nại thử"}])
    petitions.petition_accept(petition=o["petition"], on=dt.date(2026, 1, 6))
    o["denunciation"] = petitions.petition_receive(
        kind="denunciation", subject="cadre_conduct", title=f"{matter} (tố cáo)", received_on=dt.date(2026, 1, 5),
        place=o["unit"], handling_unit=o["unit"], petitioners=[{"full_name": denouncer}])
    o["hotspot"] = HotSpot.objects.create(
        place=o["unit"], place_path=o["unit"].path, subject="land", detected_on=dt.date(2026, 1, 6),
        updated_on=dt.date(2026, 1, 6), reasons=["crowded_group"], plan_kind="dialogue", plan=hotspot_plan,
        evidence={"people": 40, "contacts": 1, "largest_group": 40, "repeats": 0, "overdue": 0,
                  "since": "2025-10-09", "until": "2026-01-06", "rule_set": "hotspots-default"})
    o["hotspot"].petitions.add(o["petition"])
    session_note = f"Buổi tiếp dân bí mật {key.upper()}-R3"
    dialogue_outcome = f"Kết quả đối thoại bí mật {key.upper()}-Q8"
    o["reception_session"] = petitions.reception_session_create(
        unit=o["unit"], leader=o["cadre"], leader_role="commune_chair", on=DAY, place="Trụ sở",
        citizens=2, note=session_note, petitions=[o["petition"], o["denunciation"]])
    o["dialogue"] = petitions.dialogue_create(
        unit=o["unit"], leader=o["cadre"], on=DAY, topic="Đối thoại thử", participants=5,
        outcome=dialogue_outcome, petitions=[o["petition"]], hotspot=o["hotspot"])

    # The documents registry and good models: a decision of the province (with its file) and a good model
    # of the commune (with its evidence); their titles are the province's.
    from django.core.files.uploadedfile import SimpleUploadedFile as _Upload

    from tinhgon.documents import services as documents
    from tinhgon.documents.models import DocumentType
    from tinhgon.emulation import services as emulation

    doc_title = f"Quyết định bí mật {key.upper()}-V12"
    good_title = f"Mô hình hay bí mật {key.upper()}-M4"
    o["document"] = documents.document_register(
        doc_type=DocumentType.objects.get(code="nn-quyet-dinh"), unit=o["root"], issued_on=dt.date(2026, 1, 5),
        title=doc_title, issuer_symbol="UBND", attachment=_Upload("qd.pdf", b"%PDF-1.4 thu", "application/pdf"))
    o["good_model"] = emulation.good_model_create(
        unit=o["unit"], title=good_title, field="digital", year=2025, recognition_level="commune",
        evidence_file=_Upload("minh-chung.pdf", b"%PDF-1.4 thu", "application/pdf"))

    # Inspection: the province's commission (its root) inspects the commune; a plan, two concluded
    # inspections with findings (the early warning repeats them), an open recommendation owned by the
    # commune, a planned inspection; a party cell of the commune with a member.
    from tinhgon.inspection import services as inspection
    from tinhgon.party import services as party

    inspection_title = f"Kế hoạch kiểm tra bí mật {key.upper()}-K3"
    finding_topic = f"Vi phạm bí mật {key.upper()}-F6"
    recommendation_text = f"Kiến nghị bí mật {key.upper()}-N2"
    member_name = f"Đảng viên Bí Mật {key.upper()}"
    o["inspection_plan"] = inspection.plan_create(commission=o["root"], year=2026, title=inspection_title,
                                                  period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    for name in ("inspection", "inspection_repeat"):
        o[name] = inspection.inspection_create(plan=o["inspection_plan"], title=f"{inspection_title} ({name})",
                                               subject_unit=o["unit"], start=dt.date(2026, 1, 5),
                                               end=dt.date(2026, 2, 5))
        inspection.inspection_start(inspection=o[name], on=dt.date(2026, 1, 5))
        inspection.finding_add(inspection=o[name], topic=finding_topic, found_on=dt.date(2026, 1, 10))
        inspection.inspection_conclude(inspection=o[name], on=dt.date(2026, 2, 2), conclusion="Có vi phạm",
                                       violation=True)
    o["recommendation"] = inspection.recommendation_add(inspection=o["inspection"], text=recommendation_text,
                                                        owner_unit=o["unit"], due=dt.date(2026, 3, 1))
    o["inspection_open"] = inspection.inspection_create(plan=o["inspection_plan"], title=f"{inspection_title} (mở)",
                                                        subject_unit=o["unit"], start=dt.date(2026, 9, 1),
                                                        end=dt.date(2026, 10, 1))
    o["party_cell"] = apparatus.unit_create(code=f"{o['unit'].code}-CB1", name=f"Chi bộ {o['unit'].name}",
                                            kind="chi-bo", level="body", parent_code=o["unit"].code,
                                            valid_from=o["unit"].valid_from)
    o["party_member"] = party.member_admit(organization=o["party_cell"], full_name=member_name,
                                           admission_date=dt.date(2020, 3, 2), official_date=dt.date(2021, 3, 2))
    o["party_cell_2"] = apparatus.unit_create(code=f"{o['unit'].code}-CB2", name=f"Chi bộ 2 {o['unit'].name}",
                                              kind="chi-bo", level="body", parent_code=o["unit"].code,
                                              valid_from=o["unit"].valid_from)
    transfer_note = f"Chuyển sinh hoạt bí mật {key.upper()}-T9"
    party.member_transfer(member=o["party_member"], organization=o["party_cell_2"], on=dt.date(2024, 5, 6),
                          note=transfer_note)
    o["party_member"].refresh_from_db()

    p.personal = [spec["citizen_id"], spec["plain_citizen_id"], spec["born"].isoformat(),
                  spec["born"].strftime("%d/%m/%Y"), spec["plain_born"].isoformat()]
    p.secrets = [
        spec["cadre"], spec["plain"], spec["position"], spec["decision"], spec["pool_title"], spec["training"],
        spec["commendation"], spec["discipline"], spec["user_name"], spec["job_file"],
        spec["job_error"], spec["program"], spec["task"], matter, denouncer, hotspot_plan, session_note,
        dialogue_outcome,
        *_figure_forms(spec["quota"]), *_figure_forms(spec["renamed_quota"]),
        *p.personal,
    ]
    p.secrets += [doc_title, good_title]
    p.secrets += [inspection_title, finding_topic, recommendation_text, member_name, transfer_note]
    return p


SPECS = {
    "hn": dict(
        tree=SMALL_TREE, root="01", district="001", commune="00001", approved="00004", renamed="08974",
        district_new="Quận Ba Đình mới", commune_new="Phường Phúc Xá mới", approved_new="Phường Trúc Bạch mới",
        renamed_new="Xã Đại Thịnh mới",
        position="Phó Chủ tịch phụ trách Nội vụ HN-7", quota=613579, renamed_quota=624683,
        decision="QĐ 01-BC-4417/Mật", cadre="Nguyễn Thị Hồng Nhung", sex="F", born=dt.date(1979, 8, 23),
        citizen_id="001179048213", plain="Trần Quốc Vĩnh Khang", plain_sex="M", plain_born=dt.date(1985, 2, 11),
        plain_citizen_id="001085217364", pool_title="Chủ tịch UBND phường (HN quy hoạch 7)",
        training="Bồi dưỡng lãnh đạo cấp phòng HN-K31", commendation="Bằng khen Thủ đô HN-2291",
        discipline="KL-HN-5531", user_name="Lưu Hà Nội Bí Danh", job_file="ho-so-mat-HN-4471.xlsx",
        job_error="Mã đơn vị HN-X9 không có",
        program="Chương trình công tác HN-P61", task="Nhiệm vụ bí mật HN-T83",
    ),
    "ct": dict(
        tree=CAN_THO, root="92", district="916", commune="31117", approved="31123", renamed="31120",
        district_new="Quận Ninh Kiều mới", commune_new="Phường Cái Khế mới", approved_new="Phường Thới Bình mới",
        renamed_new="Phường An Hòa mới",
        position="Trưởng phòng Tây Đô CT-3", quota=918273, renamed_quota=927461,
        decision="QĐ 92-BC-7731/Mật", cadre="Huỳnh Văn Khương Ninh", sex="M", born=dt.date(1972, 4, 9),
        citizen_id="092072631945", plain="Lâm Thị Bảo Ngọc", plain_sex="F", plain_born=dt.date(1988, 12, 3),
        plain_citizen_id="092188473920", pool_title="Bí thư phường (CT quy hoạch 5)",
        training="Bồi dưỡng Tây Đô CT-K77", commendation="Bằng khen Tây Đô CT-8812",
        discipline="KL-CT-9917", user_name="Đỗ Cần Thơ Bí Danh", job_file="ho-so-mat-CT-8823.xlsx",
        job_error="Mã đơn vị CT-X7 không có",
        program="Chương trình công tác CT-P27", task="Nhiệm vụ bí mật CT-T49",
    ),
}


def _placement(p: Province) -> None:
    """A placement round of the province (proposed): one new unit, one post, the plain cadre as candidate."""
    from tinhgon.placement.models import Candidacy, Candidate, Round, RoundEvent, RoundUnit, Slot
    from tinhgon.restructuring.models import Plan

    o = p.objects
    name = f"Bố trí sau sắp xếp bí mật {p.key.upper()}-B5"
    p.secrets.append(name)
    o["placement_round"] = Round.objects.create(
        plan=Plan.objects.get(pk=o["plan_applied"].pk), name=name, scope_unit=o["root"],
        scope_path=o["root"].path, as_of=DAY, leave_date=DAY, status=Round.PROPOSED)
    o["placement_unit"] = RoundUnit.objects.create(round=o["placement_round"], unit=o["unit"], code=o["unit"].code,
                                                   name=o["unit"].name, path=o["unit"].path)
    o["placement_post"] = Slot.objects.create(round_unit=o["placement_unit"], title="Chuyên viên", count=2)
    o["placement_candidate"] = Candidate.objects.create(
        round=o["placement_round"], cadre=o["cadre_plain"], from_unit=o["unit"], from_title="Chuyên viên",
        waiting_path=o["unit"].path)
    Candidacy.objects.create(candidate=o["placement_candidate"], round_unit=o["placement_unit"])
    o["placement_event"] = RoundEvent.objects.create(round=o["placement_round"], action="create")


def _day_swap():
    from tinhgon.petitions.models import DaySwap

    return DaySwap.objects.create(day_off=dt.date(2026, 1, 2), work_day=dt.date(2026, 1, 10), decision="Thử")


def _document_type():
    from tinhgon.documents.models import DocumentType

    return DocumentType.objects.order_by("pk").first()


def build_world() -> World:
    """Create everything (call inside a transaction that the caller rolls back)."""
    from tinhgon.apparatus import services as apparatus
    from tinhgon.apparatus.models import BodyKind, Level, UnitKind
    from tinhgon.cadres import services as cadres
    from tinhgon.core.models import RuleSet

    fn = apparatus.function_create(code="noi-vu-thu", name="Nội vụ (thử)")
    pw = apparatus.power_create(code="bo-nhiem-thu", name="Bổ nhiệm (thử)", legal_basis="Luật thử", function=fn)
    units = {}
    for spec in SPECS.values():
        units.update(make_tree(spec["tree"]))
    provinces = {key: _province(key, units, spec, fn, pw) for key, spec in SPECS.items()}
    for province in provinces.values():
        _placement(province)
    nobody = {role: make_user(f"nobody-{role}", role=role) for role in ROLES}
    everyone = [u for p in provinces.values() for u in p.users.values()] + list(nobody.values())
    saved = {u.pk: cadres.saved_search_save(user=u, name=f"Tìm kiếm của {u.username}", params={"sex": "F"})
             for u in everyone}
    reference = {"function": fn, "power": pw, "level": Level.objects.order_by("pk").first(),
                 "unit_kind": UnitKind.objects.order_by("pk").first(),
                 "body_kind": BodyKind.objects.order_by("pk").first(),
                 "rule_set": RuleSet.objects.order_by("pk").first(),
                 "day_swap": _day_swap(),
                 "document_type": _document_type()}
    return World(provinces=provinces, nobody=nobody, functions=reference, saved_searches=saved)
