"""Web pages of the apparatus registry: rendering, accent-free search, scoping (404
across scopes), forms that refuse bad input and change nothing, Excel exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus import services
from tinhgon.apparatus.models import (
    Function,
    FunctionHolding,
    PayrollQuota,
    Position,
    Power,
    PowerHolding,
    Unit,
)
from tinhgon.apparatus.views.tree import nest

PASSWORD = "Pw-for-tests-123"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def hn_client(client, hanoi_viewer):
    client.force_login(hanoi_viewer)
    return client


@pytest.fixture
def hn_clerk(tree):
    return make_user("hn-clerk", role="clerk", scopes=[tree["01"]])


@pytest.fixture
def clerk_client(client, hn_clerk):
    client.force_login(hn_clerk)
    return client


@pytest.fixture
def staffing(tree):
    """Positions and quotas in Hà Nội (01) and Hồ Chí Minh City (79)."""
    return {
        "hn_position": services.position_create(unit=tree["01"], title="Chủ tịch UBND", is_leadership=True),
        "hcm_position": services.position_create(unit=tree["79"], title="Chủ tịch UBND", is_leadership=True),
        "hn_quota": services.payroll_quota_set(unit=tree["01"], year=2022, quota=1000),
        "hn_quota_2026": services.payroll_quota_set(unit=tree["01"], year=2026, quota=940),
        "ba_dinh_quota": services.payroll_quota_set(unit=tree["001"], year=2022, quota=200),
        "ba_dinh_quota_2026": services.payroll_quota_set(unit=tree["001"], year=2026, quota=199),
        "hcm_quota": services.payroll_quota_set(unit=tree["79"], year=2022, quota=1200),
    }


def _xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return wb.worksheets[0]


# Pages render ---------------------------------------------------------------------------


def test_pages_need_login(client, tree):
    response = client.get(reverse("apparatus:tree"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["apparatus:tree", "apparatus:unit_list", "apparatus:roadmap", "apparatus:coverage",
                                  "apparatus:position_list", "apparatus:quota_list"])
def test_list_pages_render(admin_client, staffing, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_tree_counts_levels_and_lists_top_units(admin_client, tree):
    response = admin_client.get(reverse("apparatus:tree"), {"as_of": "2025-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "30/06/2025" in html
    assert "Thành phố Hà Nội" in html and "Tỉnh Vĩnh Phúc" in html
    counts = {lc["code"]: lc["count"] for lc in response.context["level_counts"]}
    assert counts == {"province": 3, "district": 4, "commune": 5, "body": 0}
    hanoi = next(n for n in response.context["nodes"] if n["code"] == "01")
    assert dict(hanoi["counts"]) == {"Cấp huyện": 2, "Cấp xã": 3}
    assert "Phường Phúc Xá" not in html  # children come by HTMX


def test_tree_before_the_units_existed_is_empty(admin_client, tree):
    response = admin_client.get(reverse("apparatus:tree"), {"as_of": "2019-12-31"})
    assert response.status_code == 200 and response.context["nodes"] == []


def test_tree_with_a_bad_date_falls_back_to_today(admin_client, tree):
    response = admin_client.get(reverse("apparatus:tree"), {"as_of": "not-a-date"})
    assert response.status_code == 200 and response.context["date_error"]


def test_tree_children_partial(admin_client, tree):
    url = reverse("apparatus:tree_children", args=["001"])
    response = admin_client.get(url, {"as_of": "2025-06-30"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Phường Phúc Xá" in html and "Phường Trúc Bạch" in html
    assert admin_client.get(reverse("apparatus:tree_children", args=["nope"])).status_code == 404


def test_unit_tree_nests_the_whole_subtree(admin_client, tree):
    response = admin_client.get(reverse("apparatus:unit_tree", args=[tree["01"].pk]), {"as_of": "2025-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Quận Ba Đình", "Phường Phúc Xá", "Phường Trúc Bạch", "Huyện Mê Linh", "Xã Đại Thịnh"):
        assert name in html
    assert "Quận 1" not in html
    assert html.count("<details") == html.count("</details>") == 3  # Hà Nội, Ba Đình, Mê Linh


def test_nest_builds_balanced_lists():
    rows = [
        {"path": "1/", "level__code": "province"},
        {"path": "1/2/", "level__code": "district"},
        {"path": "1/2/3/", "level__code": "commune"},
        {"path": "1/4/", "level__code": "district"},
        {"path": "5/", "level__code": "province"},
    ]
    items = nest(rows, [])
    assert [i["depth"] for i in items] == [0, 1, 2, 1, 0]
    assert [i["opens"] for i in items] == [True, True, False, False, False]
    assert [len(i["closes"]) for i in items] == [0, 0, 1, 1, 0]
    assert dict(items[0]["counts"]) == {"district": 2, "commune": 1}


def test_unit_page_shows_attributes_ancestors_children_and_history(admin_client, tree, staffing):
    unit = tree["001"]
    response = admin_client.get(reverse("apparatus:unit", args=[unit.pk]), {"as_of": "2025-06-30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [a.code for a in response.context["ancestors"]] == ["01"]
    assert {c.code for c in response.context["children"]} == {"00001", "00004"}
    assert "01/01/2020" in html  # valid from, dd/mm/yyyy
    assert len(response.context["versions"]) == 1
    assert response.context["show_staffing"]


def test_unit_page_shows_last_valid_day_of_an_ended_version(admin_client, tree):
    ended = services.unit_end(unit=tree["00004"], on=dt.date(2025, 7, 1))
    html = admin_client.get(reverse("apparatus:unit", args=[ended.pk])).content.decode()
    assert "30/06/2025" in html  # valid_to 2025-07-01 minus one day
    assert "01/07/2025" not in html


def test_unit_page_hides_staffing_outside_scope(hn_client, tree, staffing):
    response = hn_client.get(reverse("apparatus:unit", args=[tree["79"].pk]))
    assert response.status_code == 200  # the structure is public
    assert not response.context["show_staffing"]
    assert "Chủ tịch UBND" not in response.content.decode()
    inside = hn_client.get(reverse("apparatus:unit", args=[tree["01"].pk]))
    assert inside.context["show_staffing"] and "Chủ tịch UBND" in inside.content.decode()


# Search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["phuc xa", "PHUC XA", "Phúc Xá", "phường phúc"])
def test_search_without_accents(admin_client, tree, q):
    response = admin_client.get(reverse("apparatus:unit_list"), {"q": q})
    names = [row[0]["text"] for row in response.context["rows"]]
    assert names == ["Phường Phúc Xá"]


def test_search_ba_dinh_and_parent_column(admin_client, tree):
    response = admin_client.get(reverse("apparatus:unit_list"), {"q": "ba dinh"})
    rows = response.context["rows"]
    assert [r[0]["text"] for r in rows] == ["Quận Ba Đình"]
    assert rows[0][4]["text"] == "Thành phố Hà Nội"


def test_unit_list_filters_by_level_and_within(admin_client, tree):
    response = admin_client.get(reverse("apparatus:unit_list"), {"level": "commune", "within": "01"})
    assert sorted(r[1]["text"] for r in response.context["rows"]) == ["00001", "00004", "08974"]


def test_unit_list_as_of_a_date_before_the_units(admin_client, tree):
    response = admin_client.get(reverse("apparatus:unit_list"), {"as_of": "2019-01-01"})
    assert response.context["page"].paginator.count == 0
    everything = admin_client.get(reverse("apparatus:unit_list"), {"as_of": ""})
    assert everything.context["page"].paginator.count == Unit.objects.count()


def test_search_box_of_the_tree_submits_to_the_list(admin_client, tree):
    html = admin_client.get(reverse("apparatus:tree")).content.decode()
    assert f'action="{reverse("apparatus:unit_list")}"' in html and 'name="q"' in html


# Scopes: 404 across scopes ----------------------------------------------------------------


def test_position_and_quota_of_another_province_are_404(hn_client, staffing):
    assert hn_client.get(reverse("apparatus:position", args=[staffing["hn_position"].pk])).status_code == 200
    assert hn_client.get(reverse("apparatus:quota", args=[staffing["hn_quota"].pk])).status_code == 200
    assert hn_client.get(reverse("apparatus:position", args=[staffing["hcm_position"].pk])).status_code == 404
    assert hn_client.get(reverse("apparatus:quota", args=[staffing["hcm_quota"].pk])).status_code == 404


def test_lists_are_restricted_to_scope(hn_client, staffing):
    positions = hn_client.get(reverse("apparatus:position_list")).context["page"].object_list
    assert {p.unit.code for p in positions} == {"01"}
    quotas = hn_client.get(reverse("apparatus:quota_list")).context["page"].object_list
    assert {q.unit.code for q in quotas} == {"01", "001"}
    roadmap = hn_client.get(reverse("apparatus:roadmap")).context["rm"]
    assert {r.code for r in roadmap.rows} == {"01", "001"}


def test_viewer_cannot_open_forms(hn_client, tree):
    assert hn_client.get(reverse("apparatus:unit_create")).status_code == 404
    assert hn_client.get(reverse("apparatus:position_create", args=[tree["01"].pk])).status_code == 404


def test_clerk_cannot_change_a_unit_outside_scope(clerk_client, tree):
    before = Position.objects.count()
    response = clerk_client.post(reverse("apparatus:position_create", args=[tree["79"].pk]),
                                 {"title": "Chủ tịch", "count": 1, "order": 1})
    assert response.status_code == 404
    assert Position.objects.count() == before
    response = clerk_client.post(reverse("apparatus:unit_create"), {
        "parent_code": "79", "code": "99999", "name": "Phường Mới", "kind": "phuong", "valid_from": "2025-01-01"})
    assert response.status_code == 400 and Unit.objects.count() == 12
    assert "parent_code" in response.context["form"].errors


# Forms ------------------------------------------------------------------------------------


def test_unit_create_works_and_refuses_bad_input(clerk_client, tree):
    url = reverse("apparatus:unit_create")
    assert clerk_client.get(url, {"parent": "001"}).status_code == 200
    before = Unit.objects.count()
    bad = clerk_client.post(url, {"parent_code": "001", "code": "00001", "name": "Phường Trùng Mã", "kind": "phuong",
                                  "valid_from": "2024-01-01"})
    assert bad.status_code == 400 and Unit.objects.count() == before
    assert bad.context["form"].errors  # the service's overlap message is shown
    ok = clerk_client.post(url, {"parent_code": "001", "code": "00099", "name": "Phường Mới", "kind": "phuong",
                                 "valid_from": "2024-01-01"})
    assert ok.status_code == 302
    new = Unit.objects.get(code="00099")
    assert ok["Location"] == reverse("apparatus:unit", args=[new.pk]) and new.path == "01/001/00099/"


def test_unit_create_parent_not_valid_yet(clerk_client, tree):
    before = Unit.objects.count()
    bad = clerk_client.post(reverse("apparatus:unit_create"), {
        "parent_code": "001", "code": "00098", "name": "Phường Sớm", "kind": "phuong", "valid_from": "2019-01-01"})
    assert bad.status_code == 400 and Unit.objects.count() == before


def test_unit_change_renames_and_keeps_history(clerk_client, tree):
    url = reverse("apparatus:unit_change", args=[tree["00004"].pk])
    before = Unit.objects.count()
    bad = clerk_client.post(url, {"on": "2019-01-01", "name": "Phường X", "kind": "phuong", "parent_code": "001"})
    assert bad.status_code == 400 and "on" in bad.context["form"].errors and Unit.objects.count() == before
    ok = clerk_client.post(url, {"on": "2025-07-01", "name": "Phường Trúc Bạch Mới", "kind": "phuong",
                                 "parent_code": "001"})
    assert ok.status_code == 302
    versions = list(Unit.objects.filter(code="00004").order_by("valid_from"))
    assert [v.name for v in versions] == ["Phường Trúc Bạch", "Phường Trúc Bạch Mới"]


def test_unit_change_move_outside_scope_is_refused(clerk_client, tree):
    before = Unit.objects.count()
    response = clerk_client.post(reverse("apparatus:unit_change", args=[tree["00004"].pk]), {
        "on": "2025-07-01", "name": "Phường Trúc Bạch", "kind": "phuong", "parent_code": "760"})
    assert response.status_code == 400 and Unit.objects.count() == before


def test_unit_end_refuses_a_unit_with_children(clerk_client, tree):
    response = clerk_client.post(reverse("apparatus:unit_end", args=[tree["001"].pk]), {"on": "2025-07-01"})
    assert response.status_code == 400
    assert "on" in response.context["form"].errors
    assert Unit.objects.get(pk=tree["001"].pk).valid_to is None
    ok = clerk_client.post(reverse("apparatus:unit_end", args=[tree["00004"].pk]), {"on": "2025-07-01"})
    assert ok.status_code == 302 and Unit.objects.get(pk=tree["00004"].pk).valid_to == dt.date(2025, 7, 1)


def test_position_form_refuses_bad_input(clerk_client, tree):
    url = reverse("apparatus:position_create", args=[tree["01"].pk])
    before = Position.objects.count()
    response = clerk_client.post(url, {"title": "Phó Chủ tịch", "count": 0, "order": 1})
    assert response.status_code == 400 and "count" in response.context["form"].errors
    response = clerk_client.post(url, {"title": "", "count": 2, "order": 1})
    assert response.status_code == 400
    assert Position.objects.count() == before
    ok = clerk_client.post(url, {"title": "Phó Chủ tịch", "count": 4, "order": 2, "is_leadership": "on"})
    assert ok.status_code == 302 and Position.objects.get(title="Phó Chủ tịch").count == 4


def test_position_page_edit_and_delete(clerk_client, hanoi_viewer, staffing, tree):
    from django.test import Client

    from tinhgon.cadres import services as cadres

    position = staffing["hn_position"]
    url = reverse("apparatus:position", args=[position.pk])
    viewer = Client()
    viewer.force_login(hanoi_viewer)
    assert reverse("apparatus:position_edit", args=[position.pk]) not in viewer.get(url).content.decode()
    assert viewer.get(reverse("apparatus:position_edit", args=[position.pk])).status_code == 404
    hcm = staffing["hcm_position"]
    assert clerk_client.get(reverse("apparatus:position_edit", args=[hcm.pk])).status_code == 404  # another city
    assert clerk_client.post(reverse("apparatus:position_delete", args=[hcm.pk])).status_code == 404
    lan = cadres.cadre_create(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1980, 5, 17),
                              citizen_id="001180012345")
    cadres.assignment_create(cadre=lan, unit=tree["01"], title=position.title, position=position,
                             valid_from=dt.date(2021, 1, 1), decision_number="5/QĐ-TTg")
    page = clerk_client.get(url)
    assert [a.cadre.full_name for a in page.context["holders"]] == ["Nguyễn Thị Lan"]
    assert page.context["vacant"] == 0 and "5/QĐ-TTg" in page.content.decode()
    edit = reverse("apparatus:position_edit", args=[position.pk])
    assert clerk_client.post(edit, {"title": "", "count": 1, "order": 1}).status_code == 400
    r = clerk_client.post(edit, {"title": "Chủ tịch UBND thành phố", "count": 2, "is_leadership": "on", "order": 1})
    assert r.status_code == 302
    position.refresh_from_db()
    assert (position.title, position.count) == ("Chủ tịch UBND thành phố", 2)
    assert clerk_client.get(url).context["vacant"] == 1
    r = clerk_client.post(reverse("apparatus:position_delete", args=[position.pk]))  # held now: refused
    assert r.status_code == 400 and Position.objects.filter(pk=position.pk).exists()
    cadres.assignment_end(assignment=lan.assignments.get(), on=dt.date(2024, 1, 1))
    r = clerk_client.post(reverse("apparatus:position_delete", args=[position.pk]))
    assert r.status_code == 302 and not Position.objects.filter(pk=position.pk).exists()
    assert lan.assignments.get().title == "Chủ tịch UBND"  # the career keeps the title held


def test_quota_delete(clerk_client, staffing):
    quota = staffing["hn_quota_2026"]
    assert clerk_client.post(reverse("apparatus:quota_delete", args=[staffing["hcm_quota"].pk])).status_code == 404
    assert reverse("apparatus:quota_delete", args=[quota.pk]) in clerk_client.get(
        reverse("apparatus:quota", args=[quota.pk])).content.decode()
    r = clerk_client.post(reverse("apparatus:quota_delete", args=[quota.pk]))
    assert r.status_code == 302 and not PayrollQuota.objects.filter(pk=quota.pk).exists()


def test_quota_form_refuses_bad_input(clerk_client, tree):
    url = reverse("apparatus:quota_set", args=[tree["01"].pk])
    before = PayrollQuota.objects.count()
    response = clerk_client.post(url, {"year": 2026, "category": "civil_servant", "quota": -5})
    assert response.status_code == 400 and "quota" in response.context["form"].errors
    response = clerk_client.post(url, {"year": 1800, "category": "civil_servant", "quota": 5})
    assert response.status_code == 400 and "year" in response.context["form"].errors
    assert PayrollQuota.objects.count() == before
    ok = clerk_client.post(url, {"year": 2026, "category": "civil_servant", "quota": 940})
    assert ok.status_code == 302 and PayrollQuota.objects.get(unit=tree["01"], year=2026).quota == 940


def test_holding_forms(clerk_client, tree):
    function = services.function_create(code="tai-chinh", name="Tài chính")
    power = services.power_create(code="cap-phep", name="Cấp phép", legal_basis="Luật X")
    furl = reverse("apparatus:function_holding_create", args=[tree["001"].pk])
    bad = clerk_client.post(furl, {"function": "tai-chinh", "role": "lead", "valid_from": "2019-01-01"})
    assert bad.status_code == 400 and FunctionHolding.objects.count() == 0
    ok = clerk_client.post(furl, {"function": "tai-chinh", "role": "lead", "valid_from": "2020-01-01"})
    assert ok.status_code == 302 and FunctionHolding.objects.get().function == function
    again = clerk_client.post(furl, {"function": "tai-chinh", "role": "lead", "valid_from": "2021-01-01"})
    assert again.status_code == 400 and FunctionHolding.objects.count() == 1
    purl = reverse("apparatus:power_holding_create", args=[tree["001"].pk])
    bad = clerk_client.post(purl, {"power": "cap-phep", "valid_from": "2021-01-01", "valid_to": "2020-06-01"})
    assert bad.status_code == 400 and PowerHolding.objects.count() == 0
    ok = clerk_client.post(purl, {"power": "cap-phep", "valid_from": "2021-01-01"})
    assert ok.status_code == 302 and PowerHolding.objects.get().power == power
    page = clerk_client.get(reverse("apparatus:unit", args=[tree["001"].pk])).content.decode()
    assert "Tài chính" in page and "Cấp phép" in page


def test_function_and_power_definitions_are_for_administrators(admin_client, clerk_client, tree):
    assert clerk_client.get(reverse("apparatus:function_create")).status_code == 404
    f = services.function_create(code="tai-chinh", name="Tài chính")
    for name in ("function_edit", "function_delete"):
        assert clerk_client.get(reverse(f"apparatus:{name}", args=[f.pk])).status_code == 404
    assert clerk_client.post(reverse("apparatus:function_delete", args=[f.pk])).status_code == 404
    assert Function.objects.filter(pk=f.pk).exists()
    page = clerk_client.get(reverse("apparatus:coverage")).content.decode()
    assert reverse("apparatus:function_edit", args=[f.pk]) not in page


def test_admin_edits_and_deletes_definitions(admin_client, tree):
    f = services.function_create(code="tai-chinh", name="Tài chính", required_in_kinds=["tinh"])
    p = services.power_create(code="cap-phep", name="Cấp phép", legal_basis="Luật", function=f)
    page = admin_client.get(reverse("apparatus:coverage")).content.decode()
    assert reverse("apparatus:function_edit", args=[f.pk]) in page and reverse("apparatus:power_delete",
                                                                               args=[p.pk]) in page
    url = reverse("apparatus:function_edit", args=[f.pk])
    form = admin_client.get(url).context["form"]
    assert form["name"].value() == "Tài chính" and form.fields["code"].disabled
    r = admin_client.post(url, {"code": "changed", "name": "Tài chính – Ngân sách", "required_in_kinds": ["tinh"]})
    assert r.status_code == 302
    f.refresh_from_db()
    assert (f.code, f.name) == ("tai-chinh", "Tài chính – Ngân sách")  # the code stays
    r = admin_client.post(reverse("apparatus:power_edit", args=[p.pk]), {"name": "Cấp phép", "legal_basis": ""})
    assert r.status_code == 400 and Power.objects.get(pk=p.pk).legal_basis == "Luật"
    r = admin_client.post(reverse("apparatus:power_edit", args=[p.pk]),
                          {"name": "Cấp giấy phép", "legal_basis": "Luật 2024", "function": ""})
    assert r.status_code == 302 and Power.objects.get(pk=p.pk).function is None
    services.function_holding_create(unit=tree["001"], function=f, valid_from=dt.date(2021, 1, 1))
    r = admin_client.post(reverse("apparatus:function_delete", args=[f.pk]))
    assert r.status_code == 400 and r.context["form"].non_field_errors() and Function.objects.filter(pk=f.pk).exists()
    r = admin_client.post(reverse("apparatus:power_delete", args=[p.pk]))
    assert r.status_code == 302 and not Power.objects.filter(pk=p.pk).exists()


def test_admin_defines_functions_and_powers(admin_client, tree):
    bad = admin_client.post(reverse("apparatus:function_create"), {"code": "bad code", "name": "X"})
    assert bad.status_code == 400 and Function.objects.count() == 0
    ok = admin_client.post(reverse("apparatus:function_create"), {"code": "giao-duc", "name": "Giáo dục",
                                                                  "required_in_kinds": ["tinh"]})
    assert ok.status_code == 302 and Function.objects.get().required_in_kinds == ["tinh"]
    ok = admin_client.post(reverse("apparatus:power_create"), {"code": "p1", "name": "P", "legal_basis": "Luật"})
    assert ok.status_code == 302 and Power.objects.count() == 1


# Roadmap and coverage ----------------------------------------------------------------------


def test_roadmap_badges_and_rule_set(admin_client, staffing):
    response = admin_client.get(reverse("apparatus:roadmap"))
    html = response.content.decode()
    assert response.context["rm"].rule_set_name in html and "40-KL/TW" in html
    statuses = {r["row"].code: r["status"][0] for r in response.context["rows"]}
    assert statuses == {"01": "ok", "001": "bad", "79": "warn"}


def test_coverage_shows_overlaps_and_gaps(admin_client, tree):
    function = services.function_create(code="tai-chinh", name="Tài chính", required_in_kinds=["tinh"])
    for code, name in (("01-STC", "Sở Tài chính"), ("01-SKH", "Sở Kế hoạch và Đầu tư")):
        dept = services.unit_create(code=code, name=name, kind="so-nganh", level="province", parent_code="01",
                                    valid_from=dt.date(2020, 1, 1))
        services.function_holding_create(unit=dept, function=function, valid_from=dt.date(2020, 1, 1))
    response = admin_client.get(reverse("apparatus:coverage"), {"as_of": "2025-06-30"})
    assert response.status_code == 200
    assert len(response.context["overlaps"]) == 1
    assert [g.unit_code for g in response.context["gaps"]] == ["26"]
    sheet = _xlsx(admin_client.get(reverse("apparatus:coverage"), {"as_of": "2025-06-30", "export": "xlsx"}))
    assert sheet.max_row == 3


# Exports --------------------------------------------------------------------------------------


def test_unit_export_is_a_valid_workbook_of_the_whole_filtered_list(admin_client, tree):
    sheet = _xlsx(admin_client.get(reverse("apparatus:unit_list"), {"q": "phuong", "export": "xlsx"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Name" or rows[0][0]  # header (translated)
    assert sorted(r[1] for r in rows[1:]) == ["00001", "00004", "08866", "26734"]
    assert isinstance(rows[1][6], dt.datetime | dt.date)
    same = _xlsx(admin_client.get(reverse("apparatus:unit_export"), {"q": "phuong"}))
    assert same.max_row == 5


def test_position_quota_and_roadmap_exports_respect_scope(hn_client, staffing):
    positions = _xlsx(hn_client.get(reverse("apparatus:position_list"), {"export": "xlsx"}))
    assert [r[2] for r in positions.iter_rows(min_row=2, values_only=True)] == ["01"]
    quotas = _xlsx(hn_client.get(reverse("apparatus:quota_list"), {"export": "xlsx"}))
    assert {r[1] for r in quotas.iter_rows(min_row=2, values_only=True)} == {"01", "001"}
    roadmap = _xlsx(hn_client.get(reverse("apparatus:roadmap"), {"export": "xlsx"}))
    assert roadmap.max_row == 4  # header, two units, total
