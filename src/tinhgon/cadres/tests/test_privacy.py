"""Personal data: masked for those without the right, logged for those with it, never across scopes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import services
from tinhgon.cadres.models import PersonalDataAccess

pytestmark = pytest.mark.django_db
START = dt.date(2021, 1, 1)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def people(tree):
    out = {}
    for key, unit, name, cid, born in [
        ("lan", "00001", "Nguyễn Thị Lan", "001190012345", dt.date(1990, 5, 17)),
        ("mai", "00004", "Đỗ Thị Mai", "001185012345", dt.date(1985, 3, 4)),
        ("ha", "26734", "Phạm Thu Hà", "079190012345", dt.date(1990, 1, 2)),
    ]:
        c = services.cadre_create(full_name=name, sex="F", birth_date=born, citizen_id=cid)
        services.assignment_create(cadre=c, unit=tree[unit], title="Chuyên viên", valid_from=START)
        out[key] = c
    return out


@pytest.fixture
def hanoi_organizer(tree):
    return make_user("hn-org", role="organizer", scopes=[tree["01"]])


def test_viewer_sees_masked_list_and_detail_and_nothing_is_logged(people, hanoi_viewer):
    client = client_for(hanoi_viewer)
    rows = client.get("/api/cadres/").json()["results"]
    assert {r["citizen_id"] for r in rows} == {"001******345"}
    assert all(r["birth_date"] is None and r["personal_data_masked"] for r in rows)
    detail = client.get(f"/api/cadres/{people['lan'].pk}/").json()
    assert detail["citizen_id"] == "001******345" and detail["birth_date"] is None
    assert "001190012345" not in client.get(f"/api/cadres/{people['lan'].pk}/").content.decode()
    assert PersonalDataAccess.objects.count() == 0


def test_viewer_export_is_masked(people, hanoi_viewer):
    client = client_for(hanoi_viewer)
    r = client.get("/api/cadres/export/")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    cid, born = header.index("Số CCCD"), header.index("Ngày sinh")
    assert len(body) == 2
    assert {row[cid] for row in body} == {"001******345"} and all(row[born] in (None, "") for row in body)
    text = b"".join(client.get("/api/cadres/export/", {"file_format": "csv"}).streaming_content).decode("utf-8")
    assert "001190012345" not in text and "1990-05-17" not in text and "001******345" in text
    assert PersonalDataAccess.objects.count() == 0


def test_organizer_sees_and_every_response_is_logged(people, hanoi_organizer):
    client = client_for(hanoi_organizer)
    rows = client.get("/api/cadres/").json()["results"]
    assert {r["citizen_id"] for r in rows} == {"001190012345", "001185012345"}
    assert {r["birth_date"] for r in rows} == {"1990-05-17", "1985-03-04"}
    log = PersonalDataAccess.objects.all()
    assert log.count() == 2 and {a.channel for a in log} == {"api"}
    assert {a.cadre_id for a in log} == {people["lan"].pk, people["mai"].pk}
    assert {a.user_id for a in log} == {hanoi_organizer.pk} and {a.user_name for a in log} == {"hn-org"}

    client.get(f"/api/cadres/{people['lan'].pk}/")
    assert PersonalDataAccess.objects.count() == 3
    client.patch(f"/api/cadres/{people['lan'].pk}/", {"lock_version": 0, "note": "x"}, format="json")
    assert PersonalDataAccess.objects.count() == 4

    r = client.get("/api/cadres/export/")
    rows = list(load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert {row[3] for row in rows[1:]} == {"001190012345", "001185012345"}
    assert PersonalDataAccess.objects.filter(channel="export").count() == 2
    b"".join(client.get("/api/cadres/export/", {"file_format": "csv"}).streaming_content)
    assert PersonalDataAccess.objects.filter(channel="export").count() == 4


def test_sub_lists_do_not_log(people, hanoi_organizer):
    client_for(hanoi_organizer).get(f"/api/cadres/{people['lan'].pk}/assignments/")
    assert PersonalDataAccess.objects.count() == 0


def test_scoped_users_get_404_across_provinces(tree, people, hanoi_organizer, hanoi_viewer):
    ha = people["ha"]
    for user in (hanoi_organizer, hanoi_viewer):
        client = client_for(user)
        assert client.get(f"/api/cadres/{ha.pk}/").status_code == 404
        assert client.get(f"/api/cadres/{ha.pk}/assignments/").status_code == 404
        text = b"".join(client.get("/api/cadres/export/", {"file_format": "csv"}).streaming_content).decode()
        assert "Phạm Thu Hà" not in text
        assert ha.pk not in {r["id"] for r in client.get("/api/cadres/").json()["results"]}
    assert not PersonalDataAccess.objects.filter(cadre=ha).exists()
    hcm = make_user("hcm-org", role="organizer", scopes=[tree["79"]])
    assert client_for(hcm).get(f"/api/cadres/{ha.pk}/").json()["citizen_id"] == "079190012345"
