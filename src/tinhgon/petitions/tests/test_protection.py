"""A denouncer's identity never reaches an export, the change-log pages, the API, a duplicate
hint or an officer the matter does not name; every access by a named officer is logged."""

import io

import pytest
from openpyxl import load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.models import AuditEvent, ObjectChange
from tinhgon.petitions import selectors, services
from tinhgon.petitions.models import IdentityAccess

from .factories import receive

pytestmark = pytest.mark.django_db

SECRET_NAME = "Hoàng Thị Tốcáo"
SECRET_PHONE = "0987654321"
SECRET_HOME = "Số 9 hẻm Kín Đáo"


@pytest.fixture
def denunciation(tree, hn_clerk, hn_officer):
    p = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct", title="Tố cáo cán bộ địa chính",
                content="Cán bộ địa chính nhận tiền của người dân",
                place_text=f"{SECRET_HOME}, Phường Phúc Xá, Quận Ba Đình, Hà Nội",
                petitioners=[{"full_name": SECRET_NAME, "phone": SECRET_PHONE}])
    services.petition_officers_set(user=hn_clerk, petition=p, officers=[hn_officer])
    return p


def _leaks(text: str) -> bool:
    return (SECRET_NAME in text or SECRET_PHONE in text or "hoang thi tocao" in text.lower()
            or "Kín Đáo" in text or "kin dao" in text.lower())


def test_only_named_officers_see_it_and_each_access_is_logged(client, denunciation, hn_clerk, hn_officer,
                                                               ward_viewer):
    for user in (hn_clerk, ward_viewer):
        client.force_login(user)
        r = client.get(f"/petitions/{denunciation.pk}/")
        assert r.status_code == 200 and not _leaks(r.content.decode())
    assert not IdentityAccess.objects.exists()
    client.force_login(hn_officer)
    r = client.get(f"/petitions/{denunciation.pk}/")
    assert SECRET_NAME in r.content.decode() and SECRET_HOME in r.content.decode()  # the address as written
    assert denunciation.place.code == "00001" and denunciation.place_text == ""
    assert IdentityAccess.objects.filter(user=hn_officer, petition=denunciation, via="page").count() == 1


def test_the_api_masks_it(api_client, denunciation, hn_clerk, hn_officer):
    api_client.force_authenticate(hn_clerk)
    for url in (f"/api/petitions/{denunciation.pk}/", "/api/petitions/", f"/api/petitions/{denunciation.pk}/events/",
                f"/api/petitions/{denunciation.pk}/contacts/", "/api/hotspots/"):
        r = api_client.get(url)
        assert r.status_code == 200 and not _leaks(r.content.decode()), url
    assert api_client.get(f"/api/petitions/{denunciation.pk}/").json()["identity_protected"] is True
    api_client.force_authenticate(hn_officer)
    body = api_client.get(f"/api/petitions/{denunciation.pk}/").json()
    assert body["petitioners"][0]["full_name"] == SECRET_NAME and body["identity_protected"] is False
    assert IdentityAccess.objects.filter(user=hn_officer, via="api").exists()


def test_exports_leave_it_out_and_refuse_to_export_it(client, denunciation, hn_officer):
    client.force_login(hn_officer)  # even the named officer's export carries no identity
    for url in ("/petitions/?export=xlsx", "/petitions/deadlines/?export=xlsx", "/petitions/report/?export=xlsx",
                "/petitions/hotspots/?export=xlsx&status=all"):
        r = client.get(url)
        assert r.status_code == 200, url
        wb = load_workbook(io.BytesIO(r.content))
        text = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        assert not _leaks(text), url
    n = AuditEvent.objects.count()
    r = client.get("/petitions/?export=xlsx&petitioners=1", follow=True)
    text = r.content.decode().lower()
    assert "not exported" in text or "không xuất" in text
    assert r.redirect_chain and AuditEvent.objects.count() == n


def test_the_change_log_pages_never_show_it(client, denunciation, admin_user):
    assert not any(_leaks(f"{c.before} {c.after} {c.object_repr}") for c in ObjectChange.objects.all())
    client.force_login(admin_user)
    r = client.get("/changes/?model=petitioner")
    assert r.status_code == 200 and not _leaks(r.content.decode())
    r = client.get("/changes/")
    assert not _leaks(r.content.decode())
    assert not any(_leaks(f"{e.message} {e.data}") for e in AuditEvent.objects.all())


def test_duplicate_hints_never_point_at_a_denouncer(denunciation, hn_officer, tree):
    hits = selectors.similar(hn_officer, text="chuyện hoàn toàn khác", place=tree["00001"], names=[SECRET_NAME])
    assert hits == []


def test_an_officer_outside_the_unit_cannot_be_named(denunciation, hn_clerk, tree):
    from django.core.exceptions import ValidationError

    outsider = make_user("hcm-officer", role="clerk", scopes=[tree["79"]])
    with pytest.raises(ValidationError):
        services.petition_officers_set(user=hn_clerk, petition=denunciation, officers=[outsider])
    assert list(denunciation.handling_officers.all()) != [outsider]
