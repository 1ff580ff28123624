"""The cadre export as a background job: scoped and masked as the user who started it, the
file downloadable by that user only and never cached, personal-data access logged by the
job, nothing left behind by a failed or cancelled job, old files purged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import export_job
from tinhgon.cadres.models import PersonalDataAccess
from tinhgon.core import jobs
from tinhgon.core.models import Job
from tinhgon.core.testing import download_bytes, job_download

from .test_views import login, people  # noqa: F401  (people is a fixture)

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _rows(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


def test_page_export_runs_as_a_job_and_only_its_starter_downloads_it(client, hn_organizer, admin_user, tree,
                                                                     people):  # noqa: F811
    login(client, hn_organizer)
    started = client.get(reverse("cadres:cadre_list"), {"export": "xlsx", "q": "lan"})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/")
    assert PersonalDataAccess.objects.count() == 0  # nothing read yet: the job reads
    job, response = job_download(client, started)
    assert job.kind == export_job.KIND and job.result["rows"] == 1 and job.output_name.endswith(".xlsx")
    assert response.status_code == 200 and {"no-store", "private"} <= {
        d.strip() for d in response["Cache-Control"].split(",")}
    rows = _rows(download_bytes(response))
    assert [r[0] for r in rows[1:]] == ["Nguyễn Thị Lan"] and rows[1][rows[0].index("Số CCCD")] == "001190012345"
    log = PersonalDataAccess.objects.get()
    assert log.channel == "export" and log.user == hn_organizer and "export=xlsx" in log.path

    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert reverse("core:job_output", args=[job.pk]) in page
    assert reverse("core:job_output", args=[job.pk]) in client.get(reverse("core:job_list")).content.decode()
    assert job.label.endswith("Họ tên (không cần gõ dấu): lan")  # the criteria by their labels
    # Someone else who may see the job (same scope, an administrator) may not download the file.
    colleague = make_user("hn-org-2", role="organizer", scopes=[tree["01"]])
    for other in (colleague, admin_user):
        login(client, other)
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 200
        assert reverse("core:job_output", args=[job.pk]) not in client.get(
            reverse("core:job", args=[job.pk])).content.decode()
        assert client.get(reverse("core:job_output", args=[job.pk])).status_code == 404
        assert reverse("core:job_output", args=[job.pk]) not in client.get(
            reverse("core:job_list"), {"all": "1"}).content.decode()
        assert _api(other).get(f"/api/jobs/{job.pk}/output/").status_code == 404


def test_api_starts_the_export_and_the_starter_downloads_it(hanoi_viewer, people):  # noqa: F811
    client = _api(hanoi_viewer)
    started = client.post("/api/cadres/export/?file_format=csv&q=lan")
    assert started.status_code == 202 and started["Location"] == f"/api/jobs/{started.json()['id']}/"
    job, response = job_download(client, started)
    text = download_bytes(response).decode("utf-8-sig")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "Nguyễn Thị Lan" in text and "001******345" in text and "001190012345" not in text
    assert "1990-05-17" not in text and job.result["masked"] is True
    assert PersonalDataAccess.objects.count() == 0
    assert client.get(f"/api/jobs/{job.pk}/").json()["output_name"] == job.output_name


def test_export_is_scoped_when_the_job_runs(client, hn_organizer, people):  # noqa: F811
    login(client, hn_organizer)
    _job, response = job_download(client, client.get(reverse("cadres:cadre_list"), {"export": "xlsx"}))
    names = {r[0] for r in _rows(download_bytes(response))[1:]}
    assert "Phạm Thu Hà" not in names and "Nguyễn Thị Lan" in names


@pytest.mark.parametrize("query", ["file_format=pdf", "within=99999", "age_under=abc"])
def test_bad_requests_start_no_job(hn_organizer, people, query):  # noqa: F811
    response = _api(hn_organizer).post(f"/api/cadres/export/?{query}")
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_a_failed_job_leaves_no_file(client, hn_organizer, people, monkeypatch):  # noqa: F811
    monkeypatch.setattr(export_job, "XLSX_MAX_ROWS", 1)
    login(client, hn_organizer)
    started = client.get(reverse("cadres:cadre_list"), {"export": "xlsx"})
    pk = int(started["Location"].rstrip("/").rsplit("/", 1)[-1])
    jobs.job_run(pk)
    job = Job.objects.get(pk=pk)
    assert job.state == Job.FAILED and "CSV" in job.error and not job.output_file
    assert client.get(reverse("core:job_output", args=[pk])).status_code == 404


def test_a_cancelled_job_leaves_no_file(client, hn_organizer, people, monkeypatch):  # noqa: F811
    monkeypatch.setattr(export_job, "PROGRESS_ROWS", 1)
    login(client, hn_organizer)
    started = client.get(reverse("cadres:cadre_list"), {"export": "csv"})
    pk = int(started["Location"].rstrip("/").rsplit("/", 1)[-1])
    real = jobs.DbContext.check_cancelled

    def cancel_then_check(self):
        Job.objects.filter(pk=pk).update(cancel_requested=True)
        real(self)

    monkeypatch.setattr(jobs.DbContext, "check_cancelled", cancel_then_check)
    jobs.job_run(pk)
    job = Job.objects.get(pk=pk)
    assert job.state == Job.CANCELLED and not job.output_file and not job.output_name


def test_old_files_are_purged(client, hn_organizer, people):  # noqa: F811
    login(client, hn_organizer)
    job, _response = job_download(client, client.get(reverse("cadres:cadre_list"), {"export": "xlsx"}))
    stored, storage = job.output_file.name, job.output_file.storage
    assert storage.exists(stored)
    assert jobs.purge_outputs(days=7) == 0
    assert jobs.purge_outputs(days=7, now=timezone.now() + dt.timedelta(days=8)) == 1
    job.refresh_from_db()
    assert not job.output_file and not storage.exists(stored)
    assert client.get(reverse("core:job_output", args=[job.pk])).status_code == 404


def test_direct_api_excel_is_capped_with_a_clear_message(hn_organizer, people, monkeypatch):  # noqa: F811
    from tinhgon.cadres.api import views

    monkeypatch.setattr(views, "DIRECT_XLSX_MAX", 1)
    response = _api(hn_organizer).get("/api/cadres/export/")
    assert response.status_code == 400 and "POST" in str(response.json())
    assert PersonalDataAccess.objects.count() == 0


def test_purge_command(client, hn_organizer, people):  # noqa: F811
    from django.core.management import CommandError, call_command

    login(client, hn_organizer)
    job, _response = job_download(client, client.get(reverse("cadres:cadre_list"), {"export": "csv"}))
    out = io.StringIO()
    call_command("purge_job_files", stdout=out)
    assert out.getvalue().startswith("0 ")
    call_command("purge_job_files", "--days", "0", stdout=out)
    job.refresh_from_db()
    assert not job.output_file
    with pytest.raises(CommandError):
        call_command("purge_job_files", "--days", "-1")


def test_the_job_page_reloads_once_when_the_job_ends(client, hn_organizer, people):  # noqa: F811
    login(client, hn_organizer)
    started = client.get(reverse("cadres:cadre_list"), {"export": "xlsx"})
    pk = int(started["Location"].rstrip("/").rsplit("/", 1)[-1])
    page = f"http://testserver{reverse('core:job', args=[pk])}"
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": page}
    assert "HX-Refresh" not in client.get(reverse("core:job_progress", args=[pk]), **poll)
    jobs.job_run(pk)
    assert client.get(reverse("core:job_progress", args=[pk]), **poll)["HX-Refresh"] == "true"
    # Polled from another page (an import page shows its job's progress): no reload.
    other = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/cadres/import/"}
    assert "HX-Refresh" not in client.get(reverse("core:job_progress", args=[pk]), **other)


def test_the_same_job_runs_in_a_terminal_into_a_file(hn_organizer, people, tmp_path):  # noqa: F811
    target = tmp_path / "out.xlsx"
    result = jobs.run_in_terminal(export_job.KIND, user=hn_organizer, quiet=True, output_path=str(target),
                                  params=export_job.export_params({"q": "lan"}, "xlsx"))
    assert result["rows"] == 1 and [r[0] for r in _rows(target.read_bytes())[1:]] == ["Nguyễn Thị Lan"]
    with pytest.raises(ValueError):  # a command that gives no file cannot run a job that writes one
        jobs.run_in_terminal(export_job.KIND, user=hn_organizer, quiet=True,
                             params=export_job.export_params({}, "csv"))
