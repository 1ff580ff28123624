"""Body kinds: the list page (filters, Excel) and the API (read for every signed-in user, write for
administrators; a broken pattern refused with nothing written)."""

import io

import openpyxl
import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import BodyKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(tree):
    return make_user("bk-viewer", role="viewer", scopes=[tree["01"]])


def test_page_lists_filters_and_exports(tree, client, viewer):
    assert BodyKind.objects.exists()  # shipped reference data
    some = BodyKind.objects.filter(per=BodyKind.FIELD).first()
    client.force_login(viewer)
    page = client.get("/apparatus/body-kinds/")
    text = page.content.decode()
    assert page.status_code == 200 and some.name in text and some.name_pattern in text
    only = client.get("/apparatus/body-kinds/", {"per": "field", "q": some.code}).content.decode()
    assert some.code in only
    other = BodyKind.objects.filter(per=BodyKind.TERRITORY).first()
    assert other.code not in only
    xlsx = client.get("/apparatus/body-kinds/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content)
                                   ).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert some.code in values and BodyKind.objects.count() <= len(values)


def test_api_reads_for_everyone_writes_for_administrators(tree, api_client, viewer, admin_user):
    ukind = BodyKind.objects.first().unit_kind.code
    api_client.force_authenticate(viewer)
    listed = api_client.get("/api/body-kinds/").json()
    assert listed["count"] == BodyKind.objects.count()
    body = {"code": "loai-thu", "name": "Loại thử", "unit_kind": ukind, "territory_level": "commune",
            "per": "territory", "name_pattern": "Ban thử {territory}"}
    assert api_client.post("/api/body-kinds/", body, format="json").status_code == 403
    api_client.force_authenticate(admin_user)
    created = api_client.post("/api/body-kinds/", body, format="json")
    if created.status_code == 400:  # that unit kind already has a kind at the commune level
        body["territory_level"] = "district"
        created = api_client.post("/api/body-kinds/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    r = api_client.patch(f"/api/body-kinds/{pk}/", {"name_pattern": "Ban thử mới {territory}"}, format="json")
    assert r.status_code == 200 and BodyKind.objects.get(pk=pk).name_pattern == "Ban thử mới {territory}"
    api_client.force_authenticate(viewer)
    assert api_client.patch(f"/api/body-kinds/{pk}/", {"name": "x"}, format="json").status_code == 403


@pytest.mark.parametrize("change", [
    {"name_pattern": "Ban {nowhere}"},
    {"name_pattern": "Ban không có địa bàn"},
    {"per": "field", "name_pattern": "Ban {territory}"},
    {"unit_kind": "khong-co"},
    {"per": "many"},
])
def test_api_bad_input_is_refused_and_nothing_written(tree, api_client, admin_user, change):
    kind = BodyKind.objects.filter(per=BodyKind.TERRITORY).first()
    before = list(BodyKind.objects.order_by("pk").values())
    api_client.force_authenticate(admin_user)
    r = api_client.patch(f"/api/body-kinds/{kind.pk}/", change, format="json")
    assert r.status_code == 400, r.json()
    assert list(BodyKind.objects.order_by("pk").values()) == before
