"""A plan is no way around a scope: every unit it touches lies in the plan's scope and the user's.

The attack: a Hà Nội organizer drafts a plan scoped to Hà Nội that moves a commune of
another province under Hà Nội (or renames it); a Hà Nội leader approves and applies it;
the commune and its cadres land in Hà Nội's scope.  Each path is refused here, through the
services, the web pages, the API and the operations import, and nothing changes.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.services import payroll_quota_set
from tinhgon.cadres.models import Cadre
from tinhgon.cadres.services import assignment_create, cadre_create
from tinhgon.core.models import ObjectChange
from tinhgon.core.scoping import restrict
from tinhgon.core.testing import D0
from tinhgon.restructuring import selectors
from tinhgon.restructuring.models import Plan
from tinhgon.restructuring.services import (
    PlanRefused,
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
FOREIGN_COMMUNE = "26734"  # Phường Tân Định, Hồ Chí Minh City (79)


@pytest.fixture
def people(tree):
    return {
        "hn_org": make_user("hn-org", role="organizer", scopes=[tree["01"]]),
        "hn_lead": make_user("hn-lead", role="leader", scopes=[tree["01"]]),
        "hcm_org": make_user("hcm-org", role="organizer", scopes=[tree["79"]]),
        "hcm_lead": make_user("hcm-lead", role="leader", scopes=[tree["79"]]),
    }


@pytest.fixture
def foreign_cadre(tree):
    c = cadre_create(full_name="Trần Thị Bí Mật", sex="F", birth_date=dt.date(1980, 5, 6),
                     citizen_id="079180000123")
    assignment_create(cadre=c, unit=tree[FOREIGN_COMMUNE], title="Chủ tịch UBND phường", valid_from=D0)
    return c


def hn_plan(user, ops=(), scope="01/"):
    plan = plan_create(name="Phương án Hà Nội", effective_date=DAY, legal_basis="NQ thử", scope_path=scope,
                       user=user)
    if ops:
        operations_add(plan=plan, operations=list(ops), user=user)
    return plan


def state():
    return (sorted(Unit.objects.values_list("id", "code", "valid_to", "path")),
            sorted(Cadre.objects.values_list("id", "unit_id", "unit_path")))


FOREIGN_OPS = [
    ("move", {"code": FOREIGN_COMMUNE, "parent_code": "001"}),
    ("rename", {"code": FOREIGN_COMMUNE, "name": "Phường Chiếm Đoạt"}),
    ("dissolve", {"code": FOREIGN_COMMUNE}),
    ("merge", {"sources": ["00001", FOREIGN_COMMUNE], "target": {"code": "00001", "name": "P", "kind": "phuong"}}),
    ("split", {"source": FOREIGN_COMMUNE, "targets": [
        {"code": "90001", "name": "Xã A", "kind": "xa", "share": 0.5, "parent_code": "001"},
        {"code": "90002", "name": "Xã B", "kind": "xa", "share": 0.5, "parent_code": "001"}]}),
    ("create", {"unit": {"code": "90003", "name": "Phường Mới", "kind": "phuong", "parent_code": "760"}}),
    ("move", {"code": "00001", "parent_code": "760"}),  # own unit into a foreign parent
    ("transfer_function", {"function": "F1", "from": "00001", "to": FOREIGN_COMMUNE}),
]


@pytest.mark.parametrize("op", FOREIGN_OPS, ids=[f"{k}-{i}" for i, (k, _d) in enumerate(FOREIGN_OPS)])
def test_operations_naming_a_foreign_unit_are_refused(tree, people, op):
    plan = hn_plan(people["hn_org"])
    before = state()
    with pytest.raises((PlanRefused, PermissionDenied)):
        operations_add(plan=plan, operations=[op], user=people["hn_org"])
    assert plan.operations.count() == 0 and state() == before


def test_validation_reports_units_outside_the_plans_scope(tree, people):
    """Operations stored before the check (or by the system) are still caught by validation."""
    plan = hn_plan(None)  # the system drafts it: no user check at add time
    plan.operations.create(seq=1, kind="move", data={"code": FOREIGN_COMMUNE, "parent_code": "001"})
    found = plan_validate(plan=plan)
    out = [f for f in found if f["code"] == "out_of_scope"]
    assert out and out[0]["units"] == [FOREIGN_COMMUNE] and out[0]["severity"] == "error"
    plan.refresh_from_db()
    assert plan.status == Plan.DRAFT


def test_the_attack_end_to_end_leaves_the_foreign_commune_where_it_was(tree, people, foreign_cadre):
    plan = hn_plan(None)
    plan.operations.create(seq=1, kind="move", data={"code": FOREIGN_COMMUNE, "parent_code": "001"})
    before = state()
    with pytest.raises(PermissionDenied):
        plan_validate(plan=plan, user=people["hn_org"])
    # Even were it marked approved by hand, apply recomputes and refuses.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.APPROVED)
    plan.refresh_from_db()
    with pytest.raises((PermissionDenied, PlanRefused)):
        plan_apply(plan=plan, user=people["hn_lead"])
    assert state() == before
    assert not restrict(Cadre.objects.all(), people["hn_org"]).filter(pk=foreign_cadre.pk).exists()
    assert restrict(Cadre.objects.all(), people["hcm_org"]).filter(pk=foreign_cadre.pk).exists()


def test_a_leader_cannot_approve_or_apply_another_scopes_plan(tree, people):
    plan = hn_plan(people["hcm_org"], [("rename", {"code": FOREIGN_COMMUNE, "name": "Phường Tân Định Mới"})],
                   scope="79/")
    plan_validate(plan=plan, user=people["hcm_org"])
    changes = ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        plan_approve(plan=plan, user=people["hn_lead"])
    plan_approve(plan=plan, user=people["hcm_lead"])
    plan.refresh_from_db()
    with pytest.raises(PermissionDenied):  # D2: the role alone no longer suffices
        plan_apply(plan=plan, user=people["hn_lead"])
    assert Plan.objects.get(pk=plan.pk).status == Plan.APPROVED
    assert ObjectChange.objects.filter(object_repr__icontains="Tân Định Mới").count() == 0
    assert ObjectChange.objects.count() > changes  # the approval itself was recorded
    plan_apply(plan=plan, user=people["hcm_lead"])
    assert Unit.objects.get(code=FOREIGN_COMMUNE, valid_to__isnull=True).name == "Phường Tân Định Mới"


def test_national_plans_are_for_unrestricted_users_only(tree, people, admin_user):
    with pytest.raises(PermissionDenied):
        hn_plan(people["hn_org"], scope="")
    plan = hn_plan(admin_user, [("rename", {"code": "00001", "name": "Phường Phúc Xá Mới"})], scope="")
    plan_validate(plan=plan, user=admin_user)
    with pytest.raises(PermissionDenied):
        plan_approve(plan=plan, user=people["hn_lead"])
    plan_approve(plan=plan, user=admin_user)
    with pytest.raises(PermissionDenied):
        plan_apply(plan=plan, user=people["hn_lead"])


def test_a_scoped_plan_dissolves_a_level_inside_its_scope_only(tree, people):
    plan = hn_plan(people["hn_org"], [("dissolve_level", {"level": "district", "children_to": "province"})])
    found = plan_validate(plan=plan, user=people["hn_org"])
    assert not [f for f in found if f["severity"] == "error"], found
    plan_approve(plan=plan, user=people["hn_lead"])
    plan_apply(plan=plan, user=people["hn_lead"])
    after = DAY
    live = {u.code for u in Unit.objects.filter(level__code="district", valid_from__lte=after)
            .exclude(valid_to__lte=after)}
    assert live == {"760", "243"}  # Hồ Chí Minh City's and Vĩnh Phúc's districts are untouched


def test_the_operations_import_refuses_foreign_codes(tree, people, client):
    plan = hn_plan(people["hn_org"])
    client.force_login(people["hn_org"])
    body = f"loai,ma_nguon,ma_cap_tren\nmove,{FOREIGN_COMMUNE},001\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = state()
    r = client.post(f"/restructuring/{plan.pk}/operations/import/",
                    {"file": SimpleUploadedFile("ops.csv", body.encode(), content_type="text/csv")}, follow=True)
    assert FOREIGN_COMMUNE in r.content.decode()  # named in the refusal
    assert plan.operations.count() == 0 and state() == before


def test_api_refuses_foreign_operations_and_foreign_apply(tree, people, api_client):
    from rest_framework.authtoken.models import Token

    plan = hn_plan(people["hn_org"])
    api_client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=people["hn_org"]).key)
    r = api_client.post(f"/api/plans/{plan.pk}/operations/", {"operations": [
        {"kind": "move", "data": {"code": FOREIGN_COMMUNE, "parent_code": "001"}}]}, format="json")
    assert r.status_code in (400, 403), r.content
    assert plan.operations.count() == 0

    foreign = hn_plan(people["hcm_org"], [("rename", {"code": FOREIGN_COMMUNE, "name": "X mới"})], scope="79/")
    plan_validate(plan=foreign, user=people["hcm_org"])
    plan_approve(plan=foreign, user=people["hcm_lead"])
    api_client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=people["hn_lead"]).key)
    r = api_client.post(f"/api/plans/{foreign.pk}/apply/")
    assert r.status_code in (403, 404), r.content
    assert Plan.objects.get(pk=foreign.pk).status == Plan.APPROVED


# D3 and D5: the report -------------------------------------------------------------------------


def test_report_shows_only_the_readers_quotas(tree, people, admin_user):
    payroll_quota_set(unit=tree["00001"], year=2024, quota=20)
    payroll_quota_set(unit=tree[FOREIGN_COMMUNE], year=2024, quota=70)
    plan = hn_plan(admin_user, [
        ("rename", {"code": "00001", "name": "Phường Phúc Xá Mới"}),
        ("rename", {"code": FOREIGN_COMMUNE, "name": "Phường Tân Định Mới"}),
    ], scope="")
    plan_validate(plan=plan, user=admin_user)
    plan_approve(plan=plan, user=admin_user)
    plan_apply(plan=plan, user=admin_user)
    assert selectors.plan_report(plan, user=admin_user).quota_before == 90
    hn = selectors.plan_report(plan, user=people["hn_org"])
    assert hn.quota_before == 20 and hn.scoped
    viewer = make_user("nobody-viewer", role="viewer")
    assert selectors.plan_report(plan, user=viewer).quota_before is None


def test_report_with_quotas_before_and_none_after_answers(tree, admin_user, client):
    """D5: ending units with an earlier year's quota and successors with none used to raise TypeError."""
    payroll_quota_set(unit=tree["00001"], year=2024, quota=20)
    payroll_quota_set(unit=tree["00004"], year=2024, quota=15)
    plan = hn_plan(admin_user, [("merge", {"sources": ["00001", "00004"], "target": {
        "code": "00001", "name": "Phường Ba Đình", "kind": "phuong"}})])
    plan_validate(plan=plan, user=admin_user)
    plan_approve(plan=plan, user=admin_user)
    plan_apply(plan=plan, user=admin_user)
    r = selectors.plan_report(plan, user=admin_user)
    assert (r.quota_before, r.quota_after, r.reduction) == (35, None, None)
    client.force_login(admin_user)
    assert client.get(f"/restructuring/{plan.pk}/report/").status_code == 200
    assert client.get(f"/restructuring/{plan.pk}/report/?export=xlsx").status_code == 200
    assert client.get(f"/api/plans/{plan.pk}/report/").status_code == 200


def test_plan_page_hides_foreign_cadre_counts(tree, people, admin_user, foreign_cadre, client):
    plan = hn_plan(admin_user, [("merge", {"sources": [FOREIGN_COMMUNE], "target": {
        "code": "26999", "name": "Phường Tân Định Mới", "kind": "phuong", "parent_code": "760"}})], scope="")
    found = plan_validate(plan=plan, user=admin_user)
    assert any(f["code"] == "cadres_to_move" for f in found)
    plan.refresh_from_db()
    kept, hidden = selectors.plan_findings(plan, user=people["hn_org"])
    assert not any(f["code"] == "cadres_to_move" for f in kept) and hidden >= 1
    client.force_login(people["hn_org"])
    page = client.get(f"/restructuring/{plan.pk}/").content.decode()
    assert "cadres_to_move" not in page and "violations-hidden" in page
    xlsx = client.get(f"/restructuring/{plan.pk}/violations.xlsx")
    if xlsx.status_code == 200:
        from openpyxl import load_workbook

        cells = [str(c.value) for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for c in row]
        assert not any("cadres_to_move" in c for c in cells)


# Large plans run in the background -------------------------------------------------------------


def test_a_large_plan_is_validated_and_applied_as_a_job(tree, people, client, settings):
    from tinhgon.core import jobs as core_jobs
    from tinhgon.core.models import Job

    settings.TINHGON_PLAN_JOB_MIN_OPERATIONS = 1
    plan = hn_plan(people["hn_org"], [("rename", {"code": "00001", "name": "Phường Phúc Xá Mới"})])
    client.force_login(people["hn_org"])
    r = client.post(f"/restructuring/{plan.pk}/validate/")
    assert r.status_code == 302 and "?job=" in r["Location"]
    job = Job.objects.latest("id")
    assert job.kind == "restructuring.validate" and job.scope_path == "01/"
    assert "plan-job" in client.get(r["Location"]).content.decode()
    core_jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.SUCCEEDED and job.result["errors"] == 0, job.error
    plan.refresh_from_db()
    assert plan.status == Plan.VALIDATED
    # A leader of another province cannot even start the apply job.
    plan_approve(plan=plan, user=people["hn_lead"])
    client.force_login(people["hcm_lead"])
    assert client.post(f"/restructuring/{plan.pk}/apply/").status_code == 403
    client.force_login(people["hn_lead"])
    client.post(f"/restructuring/{plan.pk}/apply/")
    job = Job.objects.latest("id")
    core_jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.SUCCEEDED and job.result["created"] >= 1
    assert Plan.objects.get(pk=plan.pk).status == Plan.APPLIED
