"""Bodies follow their territories: derived body operations, body violations, staffing, focal points."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Function, FunctionHolding, PayrollQuota, Position, Unit
from tinhgon.apparatus.services import (
    UnitInput,
    function_holding_create,
    payroll_quota_set,
    position_create,
    units_create,
)
from tinhgon.apparatus.tests.factories import make_tree
from tinhgon.core.dated import valid_on
from tinhgon.restructuring import bodies
from tinhgon.restructuring.models import BodyOperation, Plan
from tinhgon.restructuring.services import (
    PlanRefused,
    body_operation_decide,
    body_operation_edit,
    body_operations_decide_all,
    body_operations_derive,
    body_operations_include,
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_revert,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
D0 = dt.date(2025, 1, 1)
TREE = {
    "25:Tỉnh Phú Thọ:tinh": {
        "227:Thành phố Việt Trì:thanh-pho-thuoc-tinh": {"07900:Phường Tiên Cát:phuong": {}},
    },
    "26:Tỉnh Vĩnh Phúc:tinh": {
        "243:Thành phố Vĩnh Yên:thanh-pho-thuoc-tinh": {"08866:Phường Tích Sơn:phuong": {}},
    },
}
BODIES = [
    # code, name, kind, parent
    ("25-UBND", "Ủy ban nhân dân tỉnh Phú Thọ", "ubnd", "25"),
    ("25-STC", "Sở Tài chính tỉnh Phú Thọ", "so-nganh", "25-UBND"),
    ("26-UBND", "Ủy ban nhân dân tỉnh Vĩnh Phúc", "ubnd", "26"),
    ("26-STC", "Sở Tài chính tỉnh Vĩnh Phúc", "so-nganh", "26-UBND"),
    ("26-SYT", "Sở Y tế tỉnh Vĩnh Phúc", "so-nganh", "26-UBND"),
    ("243-UBND", "Ủy ban nhân dân thành phố Vĩnh Yên", "ubnd", "243"),
    ("243-PTC", "Phòng Tài chính – Kế hoạch thành phố Vĩnh Yên", "phong", "243-UBND"),
]
TERRITORIAL = [
    ("merge", {"sources": ["25", "26"], "target": {"code": "25"}}),
    ("dissolve_level", {"level": "district", "children_to": "province"}),
]


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> dict:
    """Phú Thọ and Vĩnh Phúc with a district each, their People's Committees and departments, a district
    office leading finance, seats and quotas."""
    units = make_tree(TREE, valid_from=D0)
    units_create(rows=[UnitInput(code=c, name=n, kind=k, level="body", parent_code=p, valid_from=D0)
                       for c, n, k, p in BODIES])
    units.update({u.code: u for u in Unit.objects.filter(level__code="body")})
    finance = Function.objects.create(code="tai-chinh", name="Tài chính")
    for code in ("25-STC", "26-STC", "243-PTC"):
        function_holding_create(unit=units[code], function=finance, role="lead", valid_from=D0)
    for code, seats in (("25-STC", 4), ("26-STC", 3)):
        position_create(unit=units[code], title="Phó Giám đốc Sở", count=seats)
    for code, quota in (("25-STC", 60), ("26-STC", 50)):
        payroll_quota_set(unit=units[code], year=2022, quota=quota + 2)
        payroll_quota_set(unit=units[code], year=2026, quota=quota)
    return units


def make_plan(ops=TERRITORIAL, **kw):
    plan = plan_create(name="Hợp nhất Phú Thọ", effective_date=DAY, **kw)
    operations_add(plan=plan, operations=list(ops))
    return plan


def errors(found):
    return sorted({f["code"] for f in found if f["severity"] == "error"})


def include_all(plan, user=None):
    body_operations_derive(plan=plan, user=user)
    body_operations_decide_all(plan=plan, decision="accepted", user=user)
    return body_operations_include(plan=plan, user=user)


def test_territorial_plan_alone_reports_every_body_left_behind(world):
    found = plan_validate(plan=make_plan())
    codes = errors(found)
    for code in ("body_duplicate", "body_level_not_dissolved", "body_named_for_ended", "body_unhandled"):
        assert code in codes, code
    dup = next(f for f in found if f["code"] == "body_duplicate" and "26-UBND" in f["units"])
    assert "25-UBND" in dup["units"] and "hai cơ quan" in dup["message_vi"] and "two bodies" in dup["message_en"]


def test_derive_proposes_merges_renames_dissolutions_and_transfers(world):
    plan = make_plan()
    rows = body_operations_derive(plan=plan)
    got = {(b.kind, tuple(b.bodies)) for b in rows}
    assert ("merge", ("25-UBND", "26-UBND")) in got
    assert ("merge", ("25-STC", "26-STC")) in got
    assert ("rename", ("26-SYT",)) in got
    assert ("dissolve", ("243-UBND",)) in got and ("dissolve", ("243-PTC",)) in got
    transfer = next(b for b in rows if b.kind == "transfer_function")
    assert transfer.data == {"function": "tai-chinh", "from": "243-PTC", "to": "25-STC", "role": "lead",
                             "derived": True}
    rename = next(b for b in rows if b.kind == "rename")
    assert rename.data["name"] == "Sở Y tế tỉnh Phú Thọ"
    assert all(b.status == BodyOperation.PROPOSED for b in rows) and plan.operations.count() == 2


NEW_PROVINCE = [
    ("merge", {"sources": ["25", "26"], "target": {"code": "90", "name": "Tỉnh Hùng Vương", "kind": "tinh"}}),
    ("dissolve_level", {"level": "district", "children_to": "province"}),
]


def test_a_territory_without_a_body_of_the_kind_gets_a_new_one_named_by_the_pattern(world):
    plan = make_plan(NEW_PROVINCE)
    rows = body_operations_derive(plan=plan)
    merges = {b.data["target"]["code"]: b for b in rows if b.kind == "merge"}
    assert set(merges) == {"90-UBND", "90-STC"}
    ubnd, stc = merges["90-UBND"].data, merges["90-STC"].data
    assert ubnd["sources"] == ["25-UBND", "26-UBND"] and ubnd["target"] == {
        "code": "90-UBND", "name": "Ủy ban nhân dân tỉnh Hùng Vương", "kind": "ubnd", "level": "body",
        "parent_code": "90"}
    assert stc["target"]["name"] == "Sở Tài chính tỉnh Hùng Vương" and stc["target"]["parent_code"] == "90-UBND"
    assert "Form a new" in merges["90-STC"].reason_en
    include_all(plan)
    assert errors(plan_validate(plan=plan)) == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    after = Unit.objects.filter(valid_on(dt.date(2026, 1, 1)), level__code="body")
    assert sorted(after.values_list("code", "name")) == [
        ("26-SYT", "Sở Y tế tỉnh Hùng Vương"), ("90-STC", "Sở Tài chính tỉnh Hùng Vương"),
        ("90-UBND", "Ủy ban nhân dân tỉnh Hùng Vương")]
    assert after.get(code="26-SYT").path == "90/90-UBND/26-SYT/"
    stc_unit = after.get(code="90-STC")
    assert Position.objects.get(unit=stc_unit, title="Phó Giám đốc Sở").count == 7
    assert PayrollQuota.objects.get(unit=stc_unit, year=2026).quota == 110
    plan_revert(plan=plan)
    assert not Unit.objects.filter(code__startswith="90").exists()


def test_accepted_operations_validate_and_apply(world):
    plan = make_plan()
    include_all(plan)
    assert errors(plan_validate(plan=plan)) == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    after = Unit.objects.filter(valid_on(dt.date(2026, 1, 1)), level__code="body")
    assert not after.filter(name__contains="Vĩnh Phúc").exists()
    assert not after.filter(code__startswith="243-").exists()
    assert sorted(after.filter(path__startswith="25/").values_list("code", flat=True)) == [
        "25-STC", "25-UBND", "26-SYT"]
    stc = after.get(code="25-STC")
    assert Position.objects.get(unit=stc, title="Phó Giám đốc Sở").count == 7  # seats summed per title
    assert PayrollQuota.objects.get(unit=stc, year=2026).quota == 110          # quotas of the year combined
    # the district office's function went to the province department that already leads it: no overlap
    assert list(FunctionHolding.objects.filter(valid_on(DAY), function__code="tai-chinh")
                .values_list("unit__code", flat=True)) == ["25-STC"]
    plan_revert(plan=plan)
    assert Position.objects.get(unit__code="25-STC", unit__valid_to__isnull=True, title="Phó Giám đốc Sở").count == 4
    assert FunctionHolding.objects.filter(valid_on(DAY), function__code="tai-chinh").count() == 3


def test_holders_of_a_dissolved_district_body_wait_for_placement_at_the_province(world):
    from tinhgon.cadres import services as cadres
    from tinhgon.cadres.models import Assignment

    cadre = cadres.cadre_create(full_name="Nguyễn Văn Phòng", sex="M", birth_date=dt.date(1980, 5, 1),
                                citizen_id="026080000111")
    cadres.assignment_create(cadre=cadre, unit=world["243-PTC"], title="Trưởng phòng", valid_from=D0)
    before = sorted(Assignment.objects.values_list("id", "unit_id", "status", "valid_from", "valid_to"))
    plan = make_plan()
    include_all(plan)
    found = plan_validate(plan=plan)
    assert errors(found) == []
    moving = next(f for f in found if f["code"] == "cadres_to_move" and f["units"][0] == "243-PTC")
    assert moving["units"] == ["243-PTC", "25"]
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    ended = cadre.assignments.get(valid_to=DAY)
    assert ended.unit_id == world["243-PTC"].pk and ended.status == Assignment.ACTIVE
    pending = cadre.assignments.get(valid_from=DAY)
    province = Unit.objects.get(valid_on(DAY), code="25")
    assert (pending.unit_id, pending.status, pending.title) == (province.pk, Assignment.PENDING, "Trưởng phòng")
    plan_revert(plan=plan)
    assert sorted(Assignment.objects.values_list("id", "unit_id", "status", "valid_from", "valid_to")) == before


def test_roadmap_is_checked_on_the_merged_body(world):
    plan = make_plan()
    include_all(plan)
    found = plan_validate(plan=plan)
    short = [f for f in found if f["code"] == "body_roadmap_short"]
    # 2022: 62 + 52 = 114, 2026: 60 + 50 = 110: a 3.5 % cut, short of the 5 % roadmap (information)
    assert [f["units"][0] for f in short] == ["25-STC"] and short[0]["severity"] == "info"
    assert "3.5%" in short[0]["message_en"]


def test_the_roadmap_page_compares_a_merged_body_with_its_predecessors_baseline(world, admin_user, client):
    from tinhgon.apparatus import selectors

    plan = make_plan()
    include_all(plan)
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    rm = selectors.payroll_roadmap(admin_user, on=dt.date(2026, 1, 1), baseline_year=2022, target_year=2026)
    rows = {r.code: r for r in rm.rows}
    assert "26-STC" not in rows  # counted on the body it merged into
    stc = rows["25-STC"]
    assert (stc.baseline, stc.target, stc.merged_from) == (114, 110, ("26-STC",))  # not 62 → 110
    assert round(stc.reduction * 100, 1) == 3.5 and stc.meets is False
    assert (rm.total_baseline, rm.total_target) == (114, 110)
    scoped = make_user("pt-viewer", role="viewer", scopes=[Unit.objects.get(valid_on(DAY), code="25")])
    rows = {r.code: r for r in selectors.payroll_roadmap(scoped, on=dt.date(2026, 1, 1), baseline_year=2022,
                                                          target_year=2026).rows}
    assert rows["25-STC"].baseline == 114  # the predecessor outside the scope still counts
    client.force_login(admin_user)
    page = client.get("/apparatus/roadmap/")
    assert page.status_code == 200 and "26-STC" in page.content.decode()


def snapshot():
    return (sorted(Unit.objects.values_list("id", "code", "valid_from", "valid_to", "name")),
            sorted(Position.objects.values_list("id", "unit_id", "count")),
            sorted(FunctionHolding.objects.values_list("id", "unit_id", "valid_to")))


def test_merging_bodies_of_different_kinds_is_refused_and_writes_nothing(world):
    ops = [*TERRITORIAL, ("merge", {"sources": ["243-PTC", "26-SYT"], "target": {"code": "26-SYT"}})]
    plan = make_plan(ops)
    found = plan_validate(plan=plan)
    kinds = [f for f in found if f["code"] == "body_kinds_differ"]
    assert kinds and set(kinds[0]["units"]) == {"243-PTC", "26-SYT"} and "khác loại" in kinds[0]["message_vi"]
    before = snapshot()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.APPROVED)
    with pytest.raises(PlanRefused):
        plan_apply(plan=plan)
    assert snapshot() == before


def test_a_transfer_to_a_level_that_ends_is_refused(world):
    plan = make_plan()
    body_operations_derive(plan=plan)
    transfer = BodyOperation.objects.get(plan=plan, kind="transfer_function")
    with pytest.raises(PlanRefused, match=r"227 .*\(Cấp huyện\).*2025-07-01"):  # whatever the language
        body_operation_edit(proposal=transfer, to="227")  # a district: the level ends that day
    with pytest.raises(PlanRefused, match="99999"):
        body_operation_edit(proposal=transfer, to="99999")
    transfer.refresh_from_db()
    assert transfer.data["to"] == "25-STC"
    body_operation_edit(proposal=transfer, to="07900")  # the commune level exists: the user's choice
    transfer.refresh_from_db()
    assert transfer.data["to"] == "07900"
    # the same mistake made as an operation is a violation of the plan
    plan2 = make_plan([*TERRITORIAL, ("transfer_function", {"function": "tai-chinh", "from": "243-PTC",
                                                            "to": "227-X"})])
    assert "body_level_gone" not in errors(plan_validate(plan=plan2))  # unknown unit: another error
    plan3 = make_plan([*TERRITORIAL, ("transfer_function", {"function": "tai-chinh", "from": "243-PTC",
                                                            "to": "227"})])
    assert "body_level_gone" in errors(plan_validate(plan=plan3))


def test_a_pattern_name_already_in_use_is_refused_and_writes_nothing(world):
    units_create(rows=[UnitInput(code="25-BV", name="Sở Y tế tỉnh Phú Thọ", kind="su-nghiep", level="body",
                                 parent_code="25", valid_from=D0)])
    plan = make_plan()
    with pytest.raises(PlanRefused, match="“Sở Y tế tỉnh Phú Thọ” \\(25-BV / 26-SYT\\)"):
        body_operations_derive(plan=plan)
    assert not BodyOperation.objects.filter(plan=plan).exists()
    plan2 = make_plan([*TERRITORIAL, ("rename", {"code": "26-SYT", "name": "Sở Y tế tỉnh Phú Thọ"})])
    assert "body_name_in_use" in errors(plan_validate(plan=plan2))


def test_review_decisions_and_edits(world):
    plan = make_plan()
    rows = body_operations_derive(plan=plan)
    rename = next(b for b in rows if b.kind == "rename")
    body_operation_edit(proposal=rename, name="Sở Y tế Phú Thọ (mới)")
    body_operation_decide(proposal=rename, decision="rejected")
    with pytest.raises(PlanRefused):
        body_operation_decide(proposal=rename, decision="included")
    body_operations_decide_all(plan=plan, decision="accepted")
    ops = body_operations_include(plan=plan)
    assert len(ops) == len(rows) - 1
    assert BodyOperation.objects.get(pk=rename.pk).status == "rejected"
    with pytest.raises(PlanRefused):
        body_operations_include(plan=plan)  # nothing accepted any more
    found = plan_validate(plan=plan)  # the rejected rename leaves a body named for Vĩnh Phúc
    assert "body_named_for_ended" in errors(found)


def test_a_scoped_organizer_derives_inside_their_scope_only(world):
    outsider = make_user("org-hn", role="organizer", scopes=[world["227"]])
    plan = make_plan()
    with pytest.raises(PermissionDenied):
        body_operations_derive(plan=plan, user=outsider)
    assert not BodyOperation.objects.filter(plan=plan).exists()


def test_focal_points_before_and_after(world):
    plan = make_plan()
    include_all(plan)
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    f = bodies.focal_points(plan, user=make_user("fp-admin", role="administrator"))
    assert (f.before, f.after, f.change) == (7, 3, -4)
    by_province = {r["code"]: (r["before"], r["after"]) for r in f.provinces}
    assert by_province == {"25": (2, 3), "26": (5, 0)}
    kinds = {(r["level"], r["kind"]): (r["before"], r["after"]) for r in f.kinds}
    assert kinds[("Cấp huyện", "UBND huyện")] == (1, 0)
    assert kinds[("Cấp tỉnh", "Sở, ban, ngành tỉnh")] == (3, 2)


def test_party_cells_are_not_focal_points(world):
    """Grassroots party organizations opened after the plan (party cells of the new units) are
    organizations of members, not bodies of the apparatus: the count stays the same."""
    from tinhgon.apparatus.services import UnitInput, units_create

    plan = make_plan()
    include_all(plan)
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    user = make_user("fp-admin-cells", role="administrator")
    before = bodies.focal_points(plan, user=user)
    units_create(rows=[UnitInput(code=f"25-CB{k:02d}", name=f"Chi bộ {k}", kind="chi-bo", level="body",
                                 parent_code="25", valid_from=plan.effective_date, source="test")
                       for k in (1, 2)], event_message="two party cells")
    after = bodies.focal_points(plan, user=user)
    assert (after.before, after.after) == (before.before, before.after) == (7, 3)


# API and pages ---------------------------------------------------------------------------


@pytest.fixture
def admin(world):
    return make_user("bodies-admin", role="administrator")


def test_api_derive_review_include_and_focal_points(world, admin, api_client):
    plan = make_plan()
    api_client.force_authenticate(admin)
    r = api_client.post(f"/api/plans/{plan.pk}/body-operations/derive/")
    assert r.status_code == 201 and len(r.json()) == 6
    listed = api_client.get(f"/api/plans/{plan.pk}/body-operations/").json()["results"]
    transfer = next(b for b in listed if b["kind"] == "transfer_function")
    r = api_client.patch(f"/api/plans/{plan.pk}/body-operations/{transfer['id']}/", {"to": "227"}, format="json")
    assert r.status_code == 400 and "227" in r.json()["detail"] and "2025-07-01" in r.json()["detail"]
    r = api_client.patch(f"/api/plans/{plan.pk}/body-operations/{transfer['id']}/",
                         {"to": "07900", "status": "accepted"}, format="json")
    assert r.status_code == 200 and r.json()["data"]["to"] == "07900" and r.json()["status"] == "accepted"
    assert api_client.patch(f"/api/plans/{plan.pk}/body-operations/999999/", {"status": "accepted"},
                            format="json").status_code == 404
    r = api_client.post(f"/api/plans/{plan.pk}/body-operations/include/")
    assert r.status_code == 201 and [o["kind"] for o in r.json()] == ["transfer_function"]
    r = api_client.get(f"/api/plans/{plan.pk}/focal-points/")
    assert r.status_code == 200 and r.json()["before"] == 7


def _power_in_finance(world):
    from tinhgon.apparatus.models import Power, PowerHolding

    power = Power.objects.create(code="phe-duyet-du-toan", name="Phê duyệt dự toán", legal_basis="Luật NSNN",
                                 function=Function.objects.get(code="tai-chinh"))
    PowerHolding.objects.create(unit=world["243-PTC"], power=power, valid_from=D0)


def body_ops():
    return sorted(BodyOperation.objects.values_list("seq", "kind", "data", "status"), key=lambda r: r[0])


def test_a_field_goes_to_the_communes_or_the_province_for_all_its_transfers(world):
    from tinhgon.apparatus.models import PowerHolding
    from tinhgon.restructuring.services import body_operations_route_field, body_transfer_fields

    _power_in_finance(world)
    plan = make_plan()
    body_operations_derive(plan=plan)
    assert body_transfer_fields(plan) == [("tai-chinh", "Tài chính")]
    transfers = BodyOperation.objects.filter(plan=plan, kind__startswith="transfer_")
    assert sorted(b.data["to"] for b in transfers) == ["25-STC", "25-UBND"]
    transfers.filter(kind="transfer_power").update(status=BodyOperation.ACCEPTED)
    rows = body_operations_route_field(plan=plan, function="tai-chinh", to="commune")
    assert sorted((b.kind, b.data["to"], b.status) for b in rows) == [
        ("transfer_function", "08866", "proposed"), ("transfer_power", "08866", "accepted")]
    assert "commune level" in rows[0].reason_en and "cấp xã" in rows[0].reason_vi
    assert BodyOperation.objects.filter(plan=plan, kind__startswith="transfer_").count() == 2
    seqs = list(BodyOperation.objects.filter(plan=plan).values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
    body_operations_decide_all(plan=plan, decision="accepted")
    body_operations_include(plan=plan)
    assert errors(plan_validate(plan=plan)) == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    assert sorted(FunctionHolding.objects.filter(valid_on(DAY), function__code="tai-chinh")
                  .values_list("unit__code", flat=True)) == ["08866", "25-STC"]
    assert list(PowerHolding.objects.filter(valid_on(DAY)).values_list("unit__code", flat=True)) == ["08866"]
    plan_revert(plan=plan)
    assert list(PowerHolding.objects.filter(valid_on(DAY)).values_list("unit__code", flat=True)) == ["243-PTC"]


def test_routing_a_field_back_to_the_province_and_bad_input(world):
    from tinhgon.restructuring.services import body_operations_route_field

    plan = make_plan()
    body_operations_derive(plan=plan)
    body_operations_route_field(plan=plan, function="tai-chinh", to="commune")
    rows = body_operations_route_field(plan=plan, function="tai-chinh", to="province")
    assert [b.data["to"] for b in rows] == ["25-STC"]
    before = body_ops()
    for function, to in (("tai-chinh", "district"), ("khong-co", "commune"), ("", "province")):
        with pytest.raises(PlanRefused):
            body_operations_route_field(plan=plan, function=function, to=to)
    Function.objects.create(code="y-te", name="Y tế")
    with pytest.raises(PlanRefused, match="y-te"):
        body_operations_route_field(plan=plan, function="y-te", to="commune")
    assert body_ops() == before


def test_a_district_without_communes_cannot_send_its_field_to_the_commune_level(world):
    from tinhgon.restructuring.services import body_operations_route_field

    units_create(rows=[UnitInput(code="244", name="Huyện Trống", kind="huyen", parent_code="26", valid_from=D0)])
    units_create(rows=[UnitInput(code="244-PTC", name="Phòng Tài chính – Kế hoạch huyện Trống", kind="phong",
                                 level="body", parent_code="244", valid_from=D0)])
    function_holding_create(unit=Unit.objects.get(code="244-PTC"), function=Function.objects.get(code="tai-chinh"),
                            role="lead", valid_from=D0)
    plan = make_plan()
    body_operations_derive(plan=plan)
    before = body_ops()
    with pytest.raises(PlanRefused) as exc:
        body_operations_route_field(plan=plan, function="tai-chinh", to="commune")
    assert "244-PTC" in " ".join(exc.value.messages)
    assert body_ops() == before


def test_api_and_page_route_a_field(world, admin, api_client, client):
    plan = make_plan()
    api_client.force_authenticate(admin)
    api_client.post(f"/api/plans/{plan.pk}/body-operations/derive/")
    url = f"/api/plans/{plan.pk}/body-operations/route/"
    assert api_client.post(url, {"function": "tai-chinh", "to": "district"}, format="json").status_code == 400
    r = api_client.post(url, {"function": "khong-co", "to": "commune"}, format="json")
    assert r.status_code == 400 and "khong-co" in r.json()["detail"]
    r = api_client.post(url, {"function": "tai-chinh", "to": "commune"}, format="json")
    assert r.status_code == 201 and [b["data"]["to"] for b in r.json()] == ["08866"]
    client.force_login(admin)
    page = client.get(f"/restructuring/{plan.pk}/bodies/")
    assert 'id="route-field"' in page.content.decode() and "tai-chinh" in page.content.decode()
    r = client.post(f"/restructuring/{plan.pk}/bodies/route/", {"function": "tai-chinh", "to": "province"})
    assert r.status_code == 302
    assert list(BodyOperation.objects.filter(plan=plan, kind="transfer_function").values_list("data__to", flat=True)
                ) == ["25-STC"]
    r = client.post(f"/restructuring/{plan.pk}/bodies/route/", {"function": "tai-chinh", "to": "x"}, follow=True)
    text = r.content.decode()
    assert r.status_code == 200 and ("receiving level" in text or "cấp nhận" in text)


def test_api_viewer_may_read_but_not_derive(world, api_client):
    plan = make_plan()
    api_client.force_authenticate(make_user("bodies-viewer", role="viewer", scopes=[world["25"]]))
    assert api_client.get(f"/api/plans/{plan.pk}/body-operations/").status_code == 200
    assert api_client.post(f"/api/plans/{plan.pk}/body-operations/derive/").status_code == 403
    assert not BodyOperation.objects.exists()


def test_pages_derive_review_include_export_and_report(world, admin, client):
    plan = make_plan()
    client.force_login(admin)
    from django.urls import reverse

    url = reverse("restructuring:body_operations", args=[plan.pk])
    r = client.get(url)
    assert r.status_code == 200 and "no-body-operations" in r.content.decode()
    r = client.post(reverse("restructuring:body_operations_action", args=[plan.pk, "derive"]), follow=True)
    assert r.status_code == 200 and "Sở Y tế tỉnh Phú Thọ" in r.content.decode()
    b = BodyOperation.objects.get(plan=plan, kind="rename")
    client.post(reverse("restructuring:body_operation_decide", args=[plan.pk, b.pk, "reject"]))
    assert BodyOperation.objects.get(pk=b.pk).status == "rejected"
    t = BodyOperation.objects.get(plan=plan, kind="transfer_function")
    edit = reverse("restructuring:body_operation_edit", args=[plan.pk, t.pk])
    assert client.get(edit).status_code == 200
    r = client.post(edit, {"to": "227"})
    assert r.status_code == 400 and "Cấp huyện" in r.content.decode()
    assert client.post(edit, {"to": "25-UBND"}).status_code == 302
    client.post(reverse("restructuring:body_operations_action", args=[plan.pk, "accept-all"]))
    r = client.post(reverse("restructuring:body_operations_action", args=[plan.pk, "include"]))
    assert r.status_code == 302 and plan.operations.count() == 2 + 5
    r = client.get(url + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    r = client.get(reverse("restructuring:plan_report", args=[plan.pk]))
    assert r.status_code == 200 and 'id="focal-points"' in r.content.decode()
    r = client.get(reverse("restructuring:plan_report", args=[plan.pk]) + "?export=xlsx")
    assert r.status_code == 200


def test_a_viewer_cannot_post_to_the_body_pages(world, client):
    plan = make_plan()
    client.force_login(make_user("bodies-viewer2", role="viewer", scopes=[world["25"]]))
    from django.urls import reverse

    assert client.get(reverse("restructuring:body_operations", args=[plan.pk])).status_code == 200
    assert client.post(reverse("restructuring:body_operations_action", args=[plan.pk, "derive"])).status_code == 403
    assert not BodyOperation.objects.exists()


def test_a_companion_plan_the_same_day_amends_what_an_earlier_plan_left(world, monkeypatch):
    """A plan applied before it carried body operations: the bodies it moved get them from a companion
    plan effective the same day (the versions the first plan started that day are amended or retired)."""
    with monkeypatch.context() as m:
        m.setattr(bodies, "check", lambda cs: None)  # as before body operations existed
        first = make_plan()
        # the district bodies were not in the registry then
        Unit.objects.filter(code__startswith="243-").update(valid_to=DAY)
        FunctionHolding.objects.filter(unit__code="243-PTC").update(valid_to=DAY)
        assert errors(plan_validate(plan=first)) == []
        plan_approve(plan=first)
        plan_apply(plan=first)
    carried = Unit.objects.get(code="26-UBND", valid_from=DAY)  # moved under Phú Thọ, still named for Vĩnh Phúc
    assert carried.path.startswith("25/")
    proposals = bodies.derive(bodies.from_applied(first))
    assert {(p.kind, tuple(p.bodies)) for p in proposals} == {
        ("merge", ("25-UBND", "26-UBND")), ("merge", ("25-STC", "26-STC")), ("rename", ("26-SYT",))}
    companion = make_plan([(p.kind, p.data) for p in proposals])
    assert errors(plan_validate(plan=companion)) == []
    plan_approve(plan=companion)
    plan_apply(plan=companion)
    after = Unit.objects.filter(valid_on(dt.date(2026, 1, 1)), level__code="body")
    assert sorted(after.values_list("code", "name")) == [
        ("25-STC", "Sở Tài chính tỉnh Phú Thọ"), ("25-UBND", "Ủy ban nhân dân tỉnh Phú Thọ"),
        ("26-SYT", "Sở Y tế tỉnh Phú Thọ")]
    assert not Unit.objects.filter(pk=carried.pk).exists()  # retired: it never really existed
    assert Unit.objects.get(code="26-UBND", valid_to=DAY).successors_out.filter(plan=companion).exists()
    stc = after.get(code="25-STC")
    assert Position.objects.get(unit=stc, title="Phó Giám đốc Sở").count == 7
    assert FunctionHolding.objects.filter(valid_on(DAY), function__code="tai-chinh").count() == 1
    with pytest.raises(PlanRefused):  # it amended what another plan started that day
        plan_revert(plan=companion)
    assert Plan.objects.get(pk=companion.pk).status == Plan.APPLIED
