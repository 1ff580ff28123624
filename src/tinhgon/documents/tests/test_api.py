"""The documents API: registering with the proposed number, bad input as 400 with nothing written,
the symbol search, the proposal, counts, links; foreign ids are 404."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from tinhgon.documents import services
from tinhgon.documents.models import Document

pytestmark = pytest.mark.django_db
D = "2026-03-02"


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_register_propose_and_search(world, hn_clerk):
    c = client_for(hn_clerk)
    nq = world.types["nghi-quyet"]
    r = c.get("/api/documents/propose/", {"doc_type": nq.pk, "unit": world.tu.pk, "issued_on": D})
    assert r.status_code == 200 and r.json()["symbol"] == "01-NQ/TU" and r.json()["term_label"] == "2025-2030"
    r = c.post("/api/documents/", {"doc_type": nq.pk, "unit": world.tu.pk, "issued_on": D, "title": "NQ 1"},
               format="json")
    assert r.status_code == 201, r.content
    assert r.json()["symbol"] == "01-NQ/TU"
    da = world.types["de-an"]
    c.post("/api/documents/", {"doc_type": da.pk, "unit": world.tu.pk, "issued_on": D, "title": "Đề án"},
           format="json")
    r = c.get("/api/documents/", {"q": "DA/TU"})
    assert [d["symbol"] for d in r.json()["results"]] == ["01-ĐA/TU"]


@pytest.mark.parametrize(("payload", "field"), [
    ({"number": 1}, "number"),                        # duplicate without a reason
    ({"number": 4}, "number"),                        # gap without a reason
    ({"doc_type": 999999}, "doc_type"),               # unknown type
    ({"issued_on": "2024-05-05", "term": "new"}, "term"),   # date outside the term given
    ({"replaces": ["self"]}, "replaces"),             # replacing itself is impossible: an unknown id here
    ({"title": ""}, "title"),
    ({"issued_on": "2026-02-30"}, "issued_on"),
])
def test_bad_input_is_400_and_writes_nothing(world, hn_clerk, payload, field):
    c = client_for(hn_clerk)
    services.document_register(user=hn_clerk, doc_type=world.types["nghi-quyet"], unit=world.tu,
                               issued_on=dt.date(2026, 3, 1), title="NQ 1")
    body = {"doc_type": world.types["nghi-quyet"].pk, "unit": world.tu.pk, "issued_on": D, "title": "NQ"}
    body.update(payload)
    if body.get("term") == "new":
        body["term"] = world.term.pk
    if body.get("replaces") == ["self"]:
        body["replaces"] = [Document.objects.get().pk + 1000]
    n = Document.objects.count()
    r = c.post("/api/documents/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()
    assert Document.objects.count() == n


def test_receive_counts_and_link(world, hn_clerk, hcm_clerk):
    from tinhgon.tasks.services import program_create

    c = client_for(hn_clerk)
    r = c.post("/api/documents/receive/", {"doc_type": world.types["ket-luan"].pk, "unit": world.tu.pk,
                                           "symbol": "127-KL/TW", "issuer_name": "Ban Chấp hành Trung ương",
                                           "issued_on": D, "title": "Kết luận"}, format="json")
    assert r.status_code == 201 and r.json()["direction"] == "received"
    doc_id = r.json()["id"]
    r = c.get("/api/documents/counts/", {"unit": "01", "start": "2026-01-01"})
    assert r.json() == [{"doc_type": world.types["ket-luan"].pk, "name": "Kết luận", "abbreviation": "KL",
                         "system": "party", "issued": 0, "received": 1, "total": 1}]
    p = program_create(user=hn_clerk, unit=world.hn, title="CT", year=2026)
    r = c.post(f"/api/documents/{doc_id}/link/", {"kind": "program", "record": p.pk}, format="json")
    assert r.status_code == 200
    p.refresh_from_db()
    assert p.document_id == doc_id
    # Another scope: the document does not exist for them.
    assert client_for(hcm_clerk).get(f"/api/documents/{doc_id}/").status_code == 404
    assert client_for(hcm_clerk).post(f"/api/documents/{doc_id}/link/", {"kind": "program", "record": p.pk},
                                      format="json").status_code == 404


def test_relate_itself_refused(world, hn_clerk):
    d = services.document_register(user=hn_clerk, doc_type=world.types["nghi-quyet"], unit=world.tu,
                                   issued_on=dt.date(2026, 3, 1), title="NQ 1")
    r = client_for(hn_clerk).post(f"/api/documents/{d.pk}/relate/", {"kind": "replaces", "target": d.pk},
                                  format="json")
    assert r.status_code == 400
    d.refresh_from_db()
    assert d.status == Document.IN_FORCE


def test_document_types_read_by_all_written_by_admins(world, hn_clerk, admin_user):
    assert client_for(hn_clerk).get("/api/document-types/").status_code == 200
    body = {"code": "phieu-trinh", "system": "party", "name": "Phiếu trình", "abbreviation": "PTr",
            "symbol_pattern": "{nn}-{abbr}/{issuer}"}
    assert client_for(hn_clerk).post("/api/document-types/", body, format="json").status_code == 403
    assert client_for(admin_user).post("/api/document-types/", {**body, "symbol_pattern": "{abbr}"},
                                       format="json").status_code == 400
    assert client_for(admin_user).post("/api/document-types/", body, format="json").status_code == 201


def test_malformed_ids_are_client_errors(world, hn_clerk):
    c = client_for(hn_clerk)
    r = c.post("/api/documents/null,null/link/", {"kind": "plan", "record": 1}, format="json")
    assert r.status_code == 404
    r = c.get("/api/documents/propose/", {"doc_type": 0, "unit": 0})
    assert r.status_code == 400
    assert c.get("/api/documents/propose/").status_code == 400
