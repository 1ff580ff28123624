"""Every import path answers a bad or oversized file with a clear error and writes nothing:
non-UTF-8 bytes after the header (no more 500), a zip bomb refused at once, an upload
above the limit refused by the form, the API, or — far above it — before the body is read."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Unit
from tinhgon.cadres.models import Cadre
from tinhgon.core import jobs
from tinhgon.core.models import Job, ObjectChange
from tinhgon.restructuring.models import Operation
from tinhgon.restructuring.services import plan_create

pytestmark = pytest.mark.django_db

CADRES = ("Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã đơn vị,Chức vụ,Từ ngày\n"
          "Nguyễn Văn An,Nam,1980-01-01,001080012340,00001,Chuyên viên,2021-01-01\n").encode()
NOT_UTF8 = b"kind,source_codes\ndissolve,00013\n\xff\xfe r\xe9sum\xe9\n"


def upload(content: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def zip_bomb() -> bytes:
    """A valid-looking workbook whose sheet is 150 MB of empty rows, packed into ~150 KB."""
    wb, buf = Workbook(), io.BytesIO()
    wb.active.append(["kind", "source_codes"])
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
        with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<dimension ref="A1:A10000000"/><sheetData>')
            for _ in range(25):
                sheet.write(b"<row/>" * 1_000_000)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@pytest.fixture
def organizer(tree):
    return make_user("lim-org", role="organizer", scopes=[tree["01"]])


@pytest.fixture
def plan(organizer, tree):
    return plan_create(name="Thử", effective_date=dt.date(2025, 7, 1), scope_path=tree["01"].path, user=organizer)


def writes() -> tuple[int, ...]:
    """What an import may write (the background job's own rows aside)."""
    changes = ObjectChange.objects.exclude(content_type__model__in=["job", "auditevent"])
    return Operation.objects.count(), Unit.objects.count(), Cadre.objects.count(), changes.count()


def import_operations(client, plan, content: bytes, name: str) -> str:
    r = client.post(reverse("restructuring:operations_import", args=[plan.pk]),
                    {"file": upload(content, name)}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    return r.content.decode()


@pytest.mark.parametrize("content,name,message", [
    (NOT_UTF8, "ops.csv", "Dòng 3"),                       # D6: was a 500
    (b"kind,source_codes\n" + b'dissolve,"' + b"x" * 200_000 + b'"\n', "ops.csv", "dòng 2"),
    (b"kind,source_codes\n" + b"dissolve,00013\n" * 30, "ops.csv", "quá 20 dòng"),
])
def test_operations_import_refuses_unreadable_files(client, organizer, plan, settings, content, name, message):
    settings.TINHGON_IMPORT_MAX_ROWS = 20
    client.force_login(organizer)
    before = writes()
    page = import_operations(client, plan, content, name)
    assert "msg-error" in page and message in page
    assert writes() == before


def test_units_page_and_cadre_api_report_non_utf8_by_line(client, organizer, tree):
    admin = make_user("lim-admin", role="administrator")
    client.force_login(admin)
    before = writes()
    r = client.post(reverse("apparatus:import_units"), {"file": upload(NOT_UTF8, "units.csv")})
    assert r.status_code == 302
    jobs.job_run(Job.objects.latest("id").pk)  # as the worker would
    assert "Dòng 3" in client.get(r["Location"]).content.decode()
    r = client.post("/api/cadres/import/", {"file": upload(CADRES + b"\xff\n", "can-bo.csv")},
                    HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and "Line 3 is not UTF-8" in r.json()["errors"][0]["message"]
    assert writes() == before


def test_a_zip_bomb_is_refused_at_once(client, organizer, plan):
    bomb = zip_bomb()
    assert len(bomb) < 1_000_000
    client.force_login(organizer)
    before = writes()
    started = time.monotonic()
    page = import_operations(client, plan, bomb, "ops.xlsx")
    r = client.post("/api/cadres/import/", {"file": upload(bomb, "can-bo.xlsx")}, HTTP_ACCEPT_LANGUAGE="en")
    assert time.monotonic() - started < 5
    assert "msg-error" in page and "nén" in page
    assert r.status_code == 400 and "compressed" in r.json()["errors"][0]["message"]
    assert writes() == before


def test_api_upload_limit_exactly_at_the_limit_passes(client, organizer, settings):
    client.force_login(organizer)
    settings.TINHGON_MAX_UPLOAD_BYTES = len(CADRES) - 1
    r = client.post("/api/cadres/import/", {"file": upload(CADRES, "can-bo.csv")}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400 and Cadre.objects.count() == 0
    assert r.json()["file"] == [f"The file is larger than {len(CADRES) - 1} bytes, the most an upload may send."]
    settings.TINHGON_MAX_UPLOAD_BYTES = len(CADRES)
    r = client.post("/api/cadres/import/", {"file": upload(CADRES, "can-bo.csv")})
    assert r.status_code == 200 and r.json()["created"] == 1, r.content.decode()


def test_a_body_far_above_the_limit_is_refused_before_it_is_read(client, organizer, plan, settings):
    settings.TINHGON_MAX_UPLOAD_BYTES = 1024 * 1024
    big = CADRES + b"x" * (1024 * 1024 + 70_000)
    client.force_login(organizer)
    r = client.post("/api/cadres/import/", {"file": upload(big, "can-bo.csv")}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 413 and r.json() == {"detail": "The file is larger than 1 MiB, the most an upload may "
                                                           "send."}
    page = reverse("restructuring:plan", args=[plan.pk])
    r = client.post(reverse("restructuring:operations_import", args=[plan.pk]), {"file": upload(big, "ops.csv")},
                    HTTP_REFERER=f"http://testserver{page}")
    assert r.status_code == 413
    assert "lớn hơn 1 MiB" in r.content.decode() and f'href="http://testserver{page}"' in r.content.decode()
    # Just above the limit (within the multipart overhead), the form says it.
    r = client.post(reverse("restructuring:operations_import", args=[plan.pk]),
                    {"file": upload(b"k" * (1024 * 1024 + 1), "ops.csv")}, follow=True)
    assert r.status_code == 200 and "lớn hơn 1 MiB" in r.content.decode()
    assert Operation.objects.count() == 0 and Cadre.objects.count() == 0
