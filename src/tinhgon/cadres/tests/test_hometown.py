"""Hometown as a unit, resolved through the lineage: what an old commune is now."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tinhgon.cadres import selectors, services
from tinhgon.cadres.models import Cadre
from tinhgon.restructuring.testing import applied_plan

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


@pytest.fixture
def merged(tree):
    applied_plan(DAY, [
        ("merge", {"sources": ["00001", "00004"], "target": {"code": "00004", "name": "Phường Ba Đình",
                                                              "kind": "phuong"}}),
        ("split", {"source": "08974", "targets": [
            {"code": "08975", "name": "Xã Tiến Thắng", "kind": "xa", "share": 0.25},
            {"code": "08976", "name": "Xã Quang Minh", "kind": "xa", "share": 0.75}]}),
        ("dissolve_level", {"level": "district", "children_to": "province"}),
    ])
    return tree


def person(hometown=None, **kw):
    fields = dict(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1980, 5, 17), citizen_id="001180012345",
                  hometown_id=hometown.pk if hometown else None)
    return services.cadre_create(**{**fields, **kw})


def test_an_old_commune_is_shown_with_what_it_is_now(merged):
    c = person(merged["00001"])  # Phường Phúc Xá, Quận Ba Đình (ended 1 July 2025)
    home = selectors.hometown(c, dt.date(2025, 8, 1))
    assert home.changed
    assert home.recorded == "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"
    assert home.now == ["Phường Ba Đình, Thành phố Hà Nội"]
    before = selectors.hometown(c, dt.date(2025, 1, 1))
    assert not before.changed and before.now == []


def test_a_divided_commune_has_every_successor(merged):
    home = selectors.hometown(person(merged["08974"]), dt.date(2025, 8, 1))
    assert home.now == ["Xã Tiến Thắng, Thành phố Hà Nội", "Xã Quang Minh, Thành phố Hà Nội"]


def test_text_only_and_nothing(tree):
    assert selectors.hometown(person(hometown_text="Thái Bình")).text == "Thái Bình"
    assert selectors.hometown(person(citizen_id="001180054321")) is None


def test_form_takes_an_old_code_and_refuses_an_unknown_one(client, merged, admin_user):
    client.force_login(admin_user)
    data = {"full_name": "Trần Văn Nam", "sex": "M", "birth_date": "1975-03-02", "citizen_id": "001075012345",
            "ethnicity": "Kinh", "education_level": 4, "political_theory": 0, "state_management": 0,
            "retirement_adjust_months": 0}
    r = client.post(reverse("cadres:cadre_create"), {**data, "hometown_code": "99999"})
    assert r.status_code == 400 and "hometown_code" in r.context["form"].errors and not Cadre.objects.exists()
    r = client.post(reverse("cadres:cadre_create"), {**data, "hometown_code": "00001"})
    assert r.status_code == 302
    c = Cadre.objects.get()
    assert c.hometown.code == "00001"
    page = client.get(reverse("cadres:cadre", args=[c.pk])).content.decode()
    assert "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội" in page and "Phường Ba Đình, Thành phố Hà Nội" in page
    edit = client.get(reverse("cadres:cadre_edit", args=[c.pk]))
    assert edit.context["form"]["hometown_code"].value() == "00001"


def test_api_carries_the_hometown_now(merged, admin_user):
    c = person(merged["00001"])
    api = APIClient()
    api.force_authenticate(admin_user)
    body = api.get(f"/api/cadres/{c.pk}/").json()
    assert body["hometown_code"] == "00001" and body["hometown_now"] == ["Phường Ba Đình, Thành phố Hà Nội"]
    assert api.get("/api/cadres/").json()["results"][0]["hometown_now"] == ["Phường Ba Đình, Thành phố Hà Nội"]


def test_api_writes_the_hometown_by_code(merged, admin_user):
    api = APIClient()
    api.force_authenticate(admin_user)
    data = {"full_name": "Trần Văn Nam", "sex": "M", "birth_date": "1975-03-02", "citizen_id": "001075012345"}
    r = api.post("/api/cadres/", {**data, "hometown_code": "nope"}, format="json")
    assert r.status_code == 400 and "hometown_code" in r.json() and not Cadre.objects.exists()
    r = api.post("/api/cadres/", {**data, "hometown_code": "08974"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["hometown_code"] == "08974" and len(r.json()["hometown_now"]) == 2


def test_reimport_keeps_an_older_version_of_a_reused_code(merged):
    import io

    from tinhgon.apparatus.models import Unit
    from tinhgon.cadres.importers import cadres_import_file

    old = Unit.objects.filter(code="00004").order_by("valid_from").first()  # Phường Trúc Bạch, before the merge
    assert not old.is_valid_on(dt.date(2025, 8, 1))
    c = person(old)
    data = ("Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã đơn vị quê quán\n"
            "Nguyễn Thị Lan,Nữ,17/05/1980,001180012345,00004\n").encode()
    assert cadres_import_file(fileobj=io.BytesIO(data), filename="x.csv").skipped == 1
    c.refresh_from_db()
    assert c.hometown_id == old.pk
