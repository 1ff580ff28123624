"""The registry's and the good models' pages: the list with search and Excel, registering with the
proposed number (bad input answers 400 with nothing written), the document page's forms, files, counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhgon.documents import services
from tinhgon.documents.models import Document
from tinhgon.emulation import services as gm_services
from tinhgon.emulation.models import GoodModel

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _reg(world, user, **kw):
    return services.document_register(user=user, doc_type=world.types[kw.pop("code", "nghi-quyet")], unit=world.tu,
                                      issued_on=kw.pop("day", dt.date(2026, 3, 2)), title=kw.pop("title", "NQ"), **kw)


def test_list_search_and_excel(world, hn_clerk):
    _reg(world, hn_clerk, code="de-an", title="Đề án chuyển đổi số")
    c = client_for(hn_clerk)
    r = c.get("/documents/", {"q": "DA/TU"})
    assert r.status_code == 200 and "01-ĐA/TU" in r.content.decode()
    r = c.get("/documents/", {"q": "DA/TU", "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_register_page_proposes_and_refuses_a_gap(world, hn_clerk):
    c = client_for(hn_clerk)
    nq = world.types["nghi-quyet"]
    r = c.get("/documents/proposal/", {"doc_type": nq.pk, "unit_code": "01-TU", "issued_on": "2026-03-02"})
    assert "01-NQ/TU" in r.content.decode()
    form = {"doc_type": nq.pk, "unit_code": "01-TU", "issued_on": "2026-03-02", "title": "Nghị quyết thử",
            "number": "3"}
    r = c.post("/documents/register/", form)
    assert r.status_code == 400 and "1, 2" in r.content.decode()
    assert not Document.objects.exists()
    form["number"] = ""
    form["attachment"] = SimpleUploadedFile("nq.pdf", b"%PDF-1.4 thu", content_type="application/pdf")
    r = c.post("/documents/register/", form)
    assert r.status_code == 302
    doc = Document.objects.get()
    assert doc.symbol == "01-NQ/TU" and doc.attachment
    r = c.get(f"/documents/{doc.pk}/attachment/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_register_page_refuses_a_renamed_executable(world, hn_clerk):
    c = client_for(hn_clerk)
    r = c.post("/documents/register/", {
        "doc_type": world.types["nghi-quyet"].pk, "unit_code": "01-TU", "issued_on": "2026-03-02", "title": "NQ",
        "attachment": SimpleUploadedFile("nq.pdf", b"MZ\x90\x00", content_type="application/pdf")})
    assert r.status_code == 400 and not Document.objects.exists()


def test_document_page_forms(world, hn_clerk, hcm_clerk):
    from tinhgon.tasks.services import program_create

    old = _reg(world, hn_clerk, day=dt.date(2026, 1, 5))
    new = _reg(world, hn_clerk)
    program = program_create(user=hn_clerk, unit=world.hn, title="Chương trình công tác 2026", year=2026)
    c = client_for(hn_clerk)
    page = c.get(f"/documents/{new.pk}/").content.decode()
    assert "Chương trình công tác 2026" in page        # offered for linking
    c.post(f"/documents/{new.pk}/relate/", {"kind": "replaces", "target": "01-nq/tu"})
    old.refresh_from_db()
    assert old.status == Document.REPLACED
    c.post(f"/documents/{new.pk}/link/", {"kind": "program", "record": program.pk})
    program.refresh_from_db()
    assert program.document_id == new.pk
    c.post(f"/documents/{new.pk}/status/", {"status": "expired", "on": "2026-04-01"})
    new.refresh_from_db()
    assert new.status == Document.EXPIRED
    r = c.get(f"/documents/{new.pk}/")
    assert "Chương trình công tác 2026" in r.content.decode()
    from tinhgon.tasks.services import task_create

    task = task_create(user=hn_clerk, program=program, title="Rà soát chức năng nhiệm vụ",
                       deadline=dt.date(2026, 9, 30))
    assert 'id="link-task"' in c.get(f"/documents/{new.pk}/").content.decode()  # offered, its program's first
    c.post(f"/documents/{new.pk}/link/", {"kind": "task", "record": task.pk})
    task.refresh_from_db()
    assert task.document_id == new.pk
    assert "Rà soát chức năng nhiệm vụ" in c.get(f"/documents/{new.pk}/").content.decode()
    assert new.symbol in c.get(f"/tasks/{task.pk}/").content.decode()  # the task shows its document
    assert client_for(hcm_clerk).get(f"/documents/{new.pk}/").status_code == 404
    assert client_for(hcm_clerk).post(f"/documents/{new.pk}/status/", {"status": "in_force"}).status_code == 404


def test_counts_page(world, hn_clerk):
    _reg(world, hn_clerk)
    _reg(world, hn_clerk, code="ket-luan")
    c = client_for(hn_clerk)
    r = c.get("/documents/counts/", {"unit": "01-TU"})
    body = r.content.decode()
    assert r.status_code == 200 and "<svg" in body and "Kết luận" in body and "2025-2030" in body
    assert c.get("/documents/counts/", {"unit": "01-TU", "export": "xlsx"}).status_code == 200


def test_good_models_pages(world, hn_clerk, hcm_clerk):
    c = client_for(hn_clerk)
    r = c.post("/emulation/new/", {"title": "Chợ 4.0", "field": "digital", "unit_code": "00001", "year": "2025",
                                   "recognition_level": "commune",
                                   "evidence_file": SimpleUploadedFile("mc.png", b"\x89PNG\r\n\x1a\n",
                                                                       content_type="image/png")})
    assert r.status_code == 302
    gm = GoodModel.objects.get()
    assert c.get(f"/emulation/{gm.pk}/evidence/").status_code == 200
    r = c.post("/emulation/new/", {"title": "Sau", "field": "digital", "unit_code": "00001", "year": "2999",
                                   "recognition_level": "commune"})
    assert r.status_code == 400 and GoodModel.objects.count() == 1
    gm_services.good_model_create(unit=world.tree["001"], title="Dân vận khéo", field="mass_mobilization",
                                  year=2024, recognition_level="district")
    r = c.get("/emulation/counts/", {"unit": "01"})
    body = r.content.decode()
    assert "Quận Ba Đình" in body and "<svg" in body
    assert c.get("/emulation/", {"export": "xlsx"}).status_code == 200
    assert c.get("/emulation/counts/", {"export": "xlsx", "by": "unit"}).status_code == 200
    assert client_for(hcm_clerk).get(f"/emulation/{gm.pk}/").status_code == 404
