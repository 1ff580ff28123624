"""Importing cadres as a background job: checked first, written at once, the same row report."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhgon.cadres.models import Assignment, Cadre
from tinhgon.core import jobs
from tinhgon.core.models import AuditEvent, Job, JobStage

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã đơn vị,Chức vụ,Từ ngày\n"


def csv_file(rows, name="can-bo.csv"):
    return SimpleUploadedFile(name, (HEADER + "".join(rows)).encode(), content_type="text/csv")


def run_last():
    job = Job.objects.latest("id")
    jobs.job_run(job.pk)
    job.refresh_from_db()
    return job


def test_a_file_imported_in_the_background(tree, client):
    from tinhgon.accounts.tests.factories import make_user

    clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    client.force_login(clerk)
    rows = [f"Nguyễn Văn {i},Nam,1980-01-{i + 1:02d},0010800000{i:02d},00001,Chuyên viên,2020-01-01\n"
            for i in range(12)]
    r = client.post("/cadres/import/", {"file": csv_file(rows)})
    assert r.status_code == 302 and "?job=" in r["Location"]
    page = client.get(r["Location"]).content.decode()
    assert "job-progress" in page and 'hx-trigger="every 1s"' in page
    assert not Cadre.objects.exists()  # queued: nothing yet
    job = run_last()
    assert job.state == Job.SUCCEEDED, job.error
    assert (job.result["created"], job.total, job.done) == (12, 12, 12)
    assert Cadre.objects.count() == 12 and Assignment.objects.count() == 12
    assert Cadre.objects.filter(unit=tree["00001"]).count() == 12
    assert not JobStage.objects.exists()
    ev = AuditEvent.objects.get(kind="cadres.imported")
    assert ev.user_id == clerk.pk and ev.source == "job"
    page = client.get(r["Location"]).content.decode()
    assert "hx-trigger" not in page and "100%" in page


def test_a_bad_file_fails_with_the_row_report_and_writes_nothing(tree, client, admin_user):
    client.force_login(admin_user)
    rows = ["Trần Văn A,Nam,1980-01-01,001080000001,00001,Chuyên viên,2020-01-01\n",
            "Trần Văn B,Nam,1980-01-01,12345,00001,Chuyên viên,2020-01-01\n",
            "Trần Văn C,Nam,1980-01-01,001080000001,99999,Chuyên viên,2020-01-01\n"]
    client.post("/cadres/import/", {"file": csv_file(rows)})
    job = run_last()
    assert job.state == Job.FAILED and not Cadre.objects.exists()
    assert {e["row"] for e in job.errors} >= {3, 4}
    report = client.get(f"/jobs/{job.pk}/errors.xlsx")
    assert report.status_code == 200
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(report.content)).active.iter_rows() for c in row]
    assert 3 in cells and 4 in cells and "citizen_id" in cells


def test_a_row_outside_the_scope_is_an_error(tree, client):
    from tinhgon.accounts.tests.factories import make_user

    clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    client.force_login(clerk)
    client.post("/cadres/import/", {"file": csv_file(
        ["Lê Thị D,Nữ,1985-02-02,079185000001,26734,Chuyên viên,2020-01-01\n"])})
    job = run_last()
    assert job.state == Job.FAILED and not Cadre.objects.exists()
    assert any("scope" in e["message"] or "phạm vi" in e["message"] for e in job.errors)


def test_updates_are_checked_then_applied(tree, admin_user, client):
    from tinhgon.cadres.services import assignment_create, cadre_create
    from tinhgon.core.testing import D0

    c = cadre_create(full_name="Phạm Văn E", sex="M", birth_date=dt.date(1980, 1, 1), citizen_id="001080000009")
    assignment_create(cadre=c, unit=tree["00001"], title="Chuyên viên", valid_from=D0)
    client.force_login(admin_user)
    client.post("/cadres/import/", {"file": csv_file(
        ["Phạm Văn Em,Nam,1980-01-01,001080000009,00004,Phó Chủ tịch UBND phường,2024-01-01\n"]), "update": "on"})
    job = run_last()
    assert job.state == Job.SUCCEEDED and job.result["updated"] == 1, job.error
    c.refresh_from_db()
    assert c.full_name == "Phạm Văn Em" and c.unit_id == tree["00004"].pk


def test_viewers_may_not_import(tree, client):
    from tinhgon.accounts.tests.factories import make_user

    client.force_login(make_user("v", role="viewer", scopes=[tree["01"]]))
    assert client.get("/cadres/import/").status_code == 403


@pytest.mark.parametrize("chunked", [True, False])
def test_a_publication_that_fails_half_way_writes_nothing(tree, admin_user, client, monkeypatch, chunked):
    """Someone adds a citizen ID of the file between the check and the publication: the step that
    meets it fails, the steps already written (chunked, as on SQLite) are taken back."""
    from tinhgon.cadres import import_job
    from tinhgon.cadres.services import cadre_create
    from tinhgon.core.jobs import Context, DbContext

    monkeypatch.setattr(import_job, "BATCH", 2)
    original_publication = Context.publication
    monkeypatch.setattr(DbContext, "publication",
                        lambda self, chunked=None, _o=original_publication: _o(self, chunked=chunked_flag))
    chunked_flag = chunked
    original = DbContext.progress

    def progress(self, done, total=None, message=""):
        original(self, done, total, message)
        if total and done == total and not Cadre.objects.filter(citizen_id="001080000105").exists():
            cadre_create(full_name="Người Chen Ngang", sex="M", birth_date=dt.date(1980, 1, 1),
                         citizen_id="001080000105")

    monkeypatch.setattr(DbContext, "progress", progress)
    client.force_login(admin_user)
    rows = [f"Người {i},Nam,1980-01-01,0010800001{i:02d},00001,Chuyên viên,2020-01-01\n" for i in range(7)]
    client.post("/cadres/import/", {"file": csv_file(rows)})
    job = run_last()
    assert job.state == Job.FAILED, job.result
    assert list(Cadre.objects.values_list("citizen_id", flat=True)) == ["001080000105"]
    assert not Assignment.objects.exists()
