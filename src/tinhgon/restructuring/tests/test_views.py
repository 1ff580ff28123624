"""Web pages of restructuring plans: each renders, workflow buttons by role, forms change nothing on
bad input, imports are all or nothing, the report exports to Excel."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Unit
from tinhgon.restructuring.models import Operation, Plan
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
MERGE = ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                               "kind": "phuong"}})


@pytest.fixture
def admin(tree):
    return make_user("rs-admin", role="administrator")


@pytest.fixture
def organizer(tree):
    return make_user("rs-org", role="organizer", scopes=[tree["01"]])


@pytest.fixture
def plan(tree, organizer):
    return plan_create(name="Sáp nhập phường", effective_date=DAY, scope_path=tree["01"].path, user=organizer)


def login(client, user):
    client.force_login(user)
    return client


def test_every_page_renders(client, admin, plan, tree):
    operations_add(plan=plan, operations=[MERGE])
    login(client, admin)
    urls = [reverse("restructuring:plan_list"), reverse("restructuring:plan_create"),
            reverse("restructuring:plan", args=[plan.pk]), reverse("restructuring:plan_report", args=[plan.pk]),
            reverse("restructuring:resolve") + "?q=phuc+xa,+ba+dinh&as_of=2025-07-01",
            reverse("restructuring:unit_lineage", args=[tree["00004"].pk]),
            reverse("restructuring:operation_form", args=[plan.pk]) + "?kind=split"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("restructuring:plan", args=[plan.pk])).content.decode()
    assert "00001, 00004 → 00001 Phường Ba Đình" in page


def test_plan_list_export(client, admin, plan):
    r = login(client, admin).get(reverse("restructuring:plan_list") + "?export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert ws.cell(2, 2).value == "Sáp nhập phường"


def test_create_plan_with_scope(client, organizer):
    r = login(client, organizer).post(reverse("restructuring:plan_create"), {
        "name": "Phương án Hà Nội", "effective_date": "2025-07-01", "scope_code": "01"})
    plan = Plan.objects.get(name="Phương án Hà Nội")
    assert r.status_code == 302 and plan.scope_path == "01/"


def test_organizer_cannot_draft_a_national_plan(client, organizer):
    r = login(client, organizer).post(reverse("restructuring:plan_create"), {
        "name": "Toàn quốc", "effective_date": "2025-07-01"})
    assert r.status_code == 200 and not Plan.objects.exists()


def test_viewer_sees_no_workflow_buttons_and_cannot_post(client, plan, tree):
    viewer = make_user("rs-viewer", role="viewer", scopes=[tree["01"]])
    page = login(client, viewer).get(reverse("restructuring:plan", args=[plan.pk])).content.decode()
    assert 'value="validate"' not in page and "add-operation" not in page
    r = client.post(reverse("restructuring:plan_transition", args=[plan.pk, "validate"]))
    assert r.status_code == 403
    plan.refresh_from_db()
    assert plan.validated_at is None
    r = client.post(reverse("restructuring:operation_add", args=[plan.pk]), {"kind": "dissolve", "code": "08974"})
    assert r.status_code == 403 and not Operation.objects.exists()


def test_workflow_buttons_follow_status_and_role(client, organizer, admin, plan):
    operations_add(plan=plan, operations=[MERGE])
    login(client, organizer)
    page = client.get(reverse("restructuring:plan", args=[plan.pk])).content.decode()
    assert 'value="validate"' in page and 'value="approve"' not in page
    r = client.post(reverse("restructuring:plan_transition", args=[plan.pk, "validate"]), follow=True)
    plan.refresh_from_db()
    assert plan.status == Plan.VALIDATED
    assert 'value="approve"' not in r.content.decode()  # an organizer does not approve
    r = client.post(reverse("restructuring:plan_transition", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert r.status_code == 403 and plan.status == Plan.VALIDATED
    login(client, admin)
    page = client.get(reverse("restructuring:plan", args=[plan.pk])).content.decode()
    assert 'value="approve"' in page
    client.post(reverse("restructuring:plan_transition", args=[plan.pk, "approve"]))
    client.post(reverse("restructuring:plan_transition", args=[plan.pk, "apply"]))
    plan.refresh_from_db()
    assert plan.status == Plan.APPLIED
    page = client.get(reverse("restructuring:plan", args=[plan.pk])).content.decode()
    assert 'value="revert"' in page and "add-operation" not in page
    client.post(reverse("restructuring:plan_transition", args=[plan.pk, "revert"]))
    plan.refresh_from_db()
    assert plan.status == Plan.REVERTED


def test_applying_a_draft_shows_the_refusal(client, admin, plan):
    r = login(client, admin).post(reverse("restructuring:plan_transition", args=[plan.pk, "apply"]), follow=True)
    assert "msg-error" in r.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.DRAFT


def test_add_operation_by_htmx(client, organizer, plan):
    r = login(client, organizer).post(reverse("restructuring:operation_add", args=[plan.pk]), {
        "kind": "split", "code": "08974", "t0_code": "08975", "t0_name": "Xã A", "t0_kind": "xa", "t0_share": "0.6",
        "t1_code": "08976", "t1_name": "Xã B", "t1_kind": "xa", "t1_share": "0,4"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r.headers.get("HX-Redirect")
    op = plan.operations.get()
    assert op.kind == "split" and [t["share"] for t in op.data["targets"]] == [0.6, 0.4]


@pytest.mark.parametrize("data", [
    {"kind": "merge", "sources": "", "target_code": "00001"},
    {"kind": "split", "code": "08974", "t0_code": "08975", "t0_share": "0.6", "t1_code": "08976", "t1_share": "0.3"},
    {"kind": "split", "code": "08974", "t0_code": "08975", "t0_share": "abc"},
    {"kind": "move", "code": "00001"},
    {"kind": "nonsense"},
])
def test_bad_operation_input_changes_nothing(client, organizer, plan, data):
    r = login(client, organizer).post(reverse("restructuring:operation_add", args=[plan.pk]), data,
                                      HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert not Operation.objects.exists()


def test_delete_operation_only_while_draft(client, organizer, admin, plan):
    ops = operations_add(plan=plan, operations=[MERGE, ("dissolve", {"code": "08974"})])
    login(client, organizer)
    client.post(reverse("restructuring:operation_delete", args=[plan.pk, ops[1].pk]))
    assert list(plan.operations.values_list("kind", flat=True)) == ["merge"]
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    r = client.post(reverse("restructuring:operation_delete", args=[plan.pk, ops[0].pk]), follow=True)
    assert plan.operations.count() == 1 and "msg-error" in r.content.decode()


def test_import_with_a_bad_row_is_refused_whole(client, organizer, plan):
    content = ("kind,source_codes,target_code,target_name,target_kind,share\n"
               "merge,00001 00004,00001,Phường Ba Đình,phuong,\n"
               "dissolve,99999,,,,\n").encode()
    upload = io.BytesIO(content)
    upload.name = "ops.csv"
    r = login(client, organizer).post(reverse("restructuring:operations_import", args=[plan.pk]),
                                      {"file": upload}, follow=True)
    page = r.content.decode()
    assert not Operation.objects.exists()
    assert "import-errors" in page and "99999" in page
    errors = client.get(reverse("restructuring:operations_import_errors", args=[plan.pk]))
    ws = load_workbook(io.BytesIO(errors.content)).worksheets[0]
    assert ws.cell(2, 1).value == 3


def test_violations_table_filter_language_and_export(client, organizer, plan):
    operations_add(plan=plan, operations=[("rename", {"code": "99999", "name": "X"}), ("dissolve", {"code": "250"})])
    plan_validate(plan=plan)
    login(client, organizer)
    url = reverse("restructuring:plan", args=[plan.pk])
    page = client.get(url + "?vcode=unit_not_valid").content.decode()
    assert "Đơn vị 99999 không có hiệu lực" in page and "not_consumed</code>" not in page
    export = reverse("restructuring:violations_export", args=[plan.pk])
    assert f'href="{export}?vcode=unit_not_valid"' in page  # the export keeps the filter
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(url + "?vcode=unit_not_valid", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unit 99999 is not valid" in page
    r = client.get(reverse("restructuring:violations_export", args=[plan.pk]) + "?vseverity=error")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert {ws.cell(i, 2).value for i in range(2, ws.max_row + 1)} >= {"unit_not_valid", "not_consumed"}


def test_report_page_and_excel(client, admin, plan):
    operations_add(plan=plan, operations=[MERGE])
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    login(client, admin)
    page = client.get(reverse("restructuring:plan_report", args=[plan.pk])).content.decode()
    assert "<svg" in page and "Phường Ba Đình" in page
    r = client.get(reverse("restructuring:plan_report", args=[plan.pk]) + "?export=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert len(wb.sheetnames) == 7  # levels, kinds, quota, new units, focal points (two), info
    levels = {row[0].value: (row[1].value, row[2].value) for row in list(wb.worksheets[0].rows)[1:]}
    commune = next(v for k, v in levels.items() if k and ("xã" in k.lower() or "commune" in k.lower()))
    assert commune == (3, 2)  # the plan is confined to Hà Nội
    new = list(wb.worksheets[3].rows)[1:]
    assert {r[3].value for r in new} == {"00001", "00004"}


def test_lineage_partial_after_apply(client, admin, plan, tree):
    operations_add(plan=plan, operations=[MERGE])
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    new = Unit.objects.get(code="00001", valid_from=DAY)
    page = login(client, admin).get(reverse("restructuring:unit_lineage", args=[tree["00004"].pk])).content.decode()
    assert reverse("apparatus:unit", args=[new.pk]) in page and "Phường Ba Đình" in page


def test_resolve_page(client, admin, plan, tree):
    operations_add(plan=plan, operations=[MERGE])
    plan_validate(plan=plan)
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    page = login(client, admin).get(reverse("restructuring:resolve"),
                                    {"q": "phuong truc bach, ba dinh, ha noi", "as_of": "2025-08-01"}).content.decode()
    assert "Phường Trúc Bạch" in page and "Phường Ba Đình" in page


def test_anonymous_is_sent_to_login(client, plan):
    r = client.get(reverse("restructuring:plan", args=[plan.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r.url
