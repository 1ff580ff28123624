"""Portraits (checked, re-encoded without metadata, personal data) and deleting a record
entered by mistake (reason required; with a history, administrators only) — services,
API and pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from tinhgon.cadres import services
from tinhgon.cadres.models import Assignment, Cadre, PersonalDataAccess
from tinhgon.cadres.photos import normalized_photo
from tinhgon.core.models import AuditEvent, ObjectChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt="JPEG", size=(900, 1200), mode="RGB", exif_gps=False) -> bytes:
    im = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
        kwargs["exif"] = exif.tobytes()
    im.save(out, fmt, **kwargs)
    return out.getvalue()


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def person(unit=None, **kw):
    fields = dict(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17), citizen_id="001190012345")
    fields.update(kw)
    c = services.cadre_create(**fields)
    if unit is not None:
        services.assignment_create(cadre=c, unit=unit, title="Chuyên viên", valid_from=dt.date(2021, 1, 1))
        c.refresh_from_db()
    return c


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# The image rule ----------------------------------------------------------------------------------

def test_photo_is_reencoded_upright_small_and_without_metadata():
    out = normalized_photo(io.BytesIO(image_bytes(exif_gps=True)))
    with Image.open(io.BytesIO(out)) as im:
        assert im.format == "JPEG"
        assert im.size == (600, 450)  # turned upright (1200 × 900), then fitted into 600 × 800
        assert not im.getexif()  # no camera, orientation or position travels with it


def test_png_with_transparency_is_flattened():
    out = normalized_photo(io.BytesIO(image_bytes("PNG", (300, 400), "RGBA")))
    with Image.open(io.BytesIO(out)) as im:
        assert im.mode == "RGB" and im.size == (300, 400)
        assert im.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize("data,message", [
    (b"", "empty"),
    (b"not an image at all", "not an image"),
    (image_bytes("GIF", (200, 200), "P"), "JPEG, PNG or WebP"),
    (image_bytes(size=(40, 40)), "too small"),
    (b"\xff" * (5 * 1024 * 1024 + 1), "5 MiB"),
])
def test_bad_images_are_refused(data, message):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        normalized_photo(io.BytesIO(data))
    assert message in " ".join(exc.value.message_dict["photo"])


# Services ------------------------------------------------------------------------------------------

def test_photo_set_replace_remove(tree, media, django_capture_on_commit_callbacks):
    c = person(tree["00001"])
    with django_capture_on_commit_callbacks(execute=True):
        c = services.cadre_photo_set(cadre=c, fileobj=io.BytesIO(image_bytes()))
    first = c.photo.name
    assert first.startswith(f"cadres/photos/{c.pk}-") and "lan" not in first.lower()
    assert (media / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        c = services.cadre_photo_set(cadre=c, fileobj=io.BytesIO(image_bytes(size=(700, 700))))
    assert c.photo.name != first and not (media / first).exists()  # the old file goes on commit
    change = ObjectChange.objects.filter(object_id=c.pk, action="update").latest("id")
    assert change.before["photo"] == first and change.after["photo"] == c.photo.name
    second = c.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        c = services.cadre_photo_remove(cadre=c)
    assert not c.photo and not (media / second).exists()


def test_bad_photo_changes_nothing(tree, media):
    c = person(tree["00001"])
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError):
        services.cadre_photo_set(cadre=c, fileobj=io.BytesIO(b"GIF89a nonsense"))
    c.refresh_from_db()
    assert not c.photo and ObjectChange.objects.count() == before
    assert not (media / "cadres").exists()


def test_delete_needs_a_reason(tree, hn_clerk):
    c = person(tree["00001"])
    with pytest.raises(ValidationError):
        services.cadre_delete(cadre=c, user=hn_clerk, reason="  ")
    assert Cadre.objects.filter(pk=c.pk).exists()


def test_record_with_history_only_by_an_administrator(tree, hn_clerk, admin_user, media,
                                                      django_capture_on_commit_callbacks):
    c = person(tree["00001"])
    c = services.cadre_photo_set(cadre=c, fileobj=io.BytesIO(image_bytes()))
    photo = media / c.photo.name
    services.personal_data_access_log(user=admin_user, cadre=c)
    services.commendation_add(cadre=c, title="Giấy khen", date=dt.date(2023, 1, 1))
    with pytest.raises(PermissionDenied):
        services.cadre_delete(cadre=c, user=hn_clerk, reason="trùng hồ sơ")
    assert Cadre.objects.filter(pk=c.pk).exists() and Assignment.objects.filter(cadre_id=c.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.cadre_delete(cadre=c, user=admin_user, reason="trùng hồ sơ")
    assert not Cadre.objects.filter(pk=c.pk).exists() and not Assignment.objects.filter(cadre_id=c.pk).exists()
    assert not photo.exists()
    event = AuditEvent.objects.get(kind="cadre.deleted")
    assert event.data["reason"] == "trùng hồ sơ" and event.data["history_rows"] == 1  # beyond its position
    assert PersonalDataAccess.objects.filter(cadre_id=c.pk).count() == 1  # the access log outlives the record
    assert ObjectChange.objects.filter(object_id=c.pk, action="delete").exists()


def test_record_with_only_its_position_may_be_deleted_by_a_clerk(tree, hn_clerk):
    c = person(tree["00001"])
    assert services.cadre_history_count(c) == 0
    services.cadre_delete(cadre=c, user=hn_clerk, reason="nhập nhầm")
    assert not Cadre.objects.filter(pk=c.pk).exists() and not Assignment.objects.filter(cadre_id=c.pk).exists()


# API -----------------------------------------------------------------------------------------------

def test_api_photo_round_trip(tree, hn_clerk, hn_organizer, hanoi_viewer):
    c = person(tree["00001"])
    url = f"/api/cadres/{c.pk}/photo/"
    r = api(hn_clerk).put(url, {"photo": upload(image_bytes())}, format="multipart")
    assert r.status_code == 200, r.content
    assert r.json()["has_photo"] is True and r.json()["photo_url"] is None  # a clerk may not see personal data
    body = api(hn_organizer).get(f"/api/cadres/{c.pk}/").json()
    assert body["photo_url"].endswith(url)
    logged = PersonalDataAccess.objects.count()
    r = api(hn_organizer).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg" and "no-store" in r["Cache-Control"]
    assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"
    assert PersonalDataAccess.objects.count() == logged + 1
    assert api(hanoi_viewer).get(url).status_code == 404  # masked
    assert api(hanoi_viewer).put(url, {"photo": upload(image_bytes())}, format="multipart").status_code == 403
    r = api(hn_clerk).delete(url)
    assert r.status_code == 200 and r.json()["has_photo"] is False
    assert api(hn_organizer).get(url).status_code == 404


def test_api_bad_photo_is_400_and_changes_nothing(tree, hn_clerk):
    c = person(tree["00001"])
    before = ObjectChange.objects.count()
    r = api(hn_clerk).put(f"/api/cadres/{c.pk}/photo/", {"photo": upload(b"%PDF-1.4", "x.pdf", "application/pdf")},
                          format="multipart")
    assert r.status_code == 400 and "photo" in r.json()
    r = api(hn_clerk).put(f"/api/cadres/{c.pk}/photo/", {}, format="multipart")
    assert r.status_code == 400 and "photo" in r.json()
    assert ObjectChange.objects.count() == before


def test_api_photo_outside_scope_is_404(tree, hn_clerk):
    c = person(tree["26734"], citizen_id="079190012345")
    r = api(hn_clerk).put(f"/api/cadres/{c.pk}/photo/", {"photo": upload(image_bytes())}, format="multipart")
    assert r.status_code == 404


def test_api_delete(tree, hn_clerk, admin_user, hanoi_viewer):
    c = person(tree["00001"])
    services.training_add(cadre=c, program="Bồi dưỡng", start=dt.date(2022, 3, 1))
    other = person(tree["26734"], citizen_id="079190012345")
    url = f"/api/cadres/{c.pk}/"
    assert api(hn_clerk).delete(url).status_code == 400  # no reason
    assert api(hanoi_viewer).delete(url, {"reason": "x"}, format="json").status_code == 403
    r = api(hn_clerk).delete(url, {"reason": "trùng"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and "administrator" in r.json()["detail"]
    assert api(hn_clerk).delete(f"/api/cadres/{other.pk}/?reason=x").status_code == 404
    assert Cadre.objects.count() == 2
    assert api(admin_user).delete(url + "?reason=tr%C3%B9ng").status_code == 204
    assert not Cadre.objects.filter(pk=c.pk).exists()


# Pages ---------------------------------------------------------------------------------------------

def test_profile_shows_photo_only_unmasked(client, tree, hn_organizer, hanoi_viewer):
    c = services.cadre_photo_set(cadre=person(tree["00001"]), fileobj=io.BytesIO(image_bytes()))
    client.force_login(hn_organizer)
    page = client.get(reverse("cadres:cadre", args=[c.pk])).content.decode()
    assert 'src="data:image/jpeg;base64,' in page
    client.force_login(hanoi_viewer)
    page = client.get(reverse("cadres:cadre", args=[c.pk])).content.decode()
    assert "data:image/jpeg" not in page and "portrait-none" in page
    assert reverse("cadres:photo_upload", args=[c.pk]) not in page  # a viewer may not change it


def test_page_upload_and_remove(client, tree, hn_clerk, media):
    c = person(tree["00001"])
    client.force_login(hn_clerk)
    r = client.post(reverse("cadres:photo_upload", args=[c.pk]), {"photo": upload(image_bytes())})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.photo
    r = client.post(reverse("cadres:photo_upload", args=[c.pk]), {"photo": upload(b"nope", "x.jpg")}, follow=True)
    assert r.status_code == 200
    kept = c.photo.name
    c.refresh_from_db()
    assert c.photo.name == kept  # a bad file leaves the photo as it was
    assert any(m.level_tag == "error" for m in r.context["messages"])
    client.post(reverse("cadres:photo_remove", args=[c.pk]))
    c.refresh_from_db()
    assert not c.photo


def test_page_delete_flow(client, tree, hn_clerk, admin_user):
    c = person(tree["00001"])
    services.training_add(cadre=c, program="Bồi dưỡng", start=dt.date(2022, 3, 1))
    client.force_login(hn_clerk)
    url = reverse("cadres:cadre_delete", args=[c.pk])
    r = client.get(url)
    assert r.status_code == 200 and not r.context["allowed"]  # a history: administrators only
    assert client.post(url, {"reason": "trùng"}).status_code == 400
    assert Cadre.objects.filter(pk=c.pk).exists()
    client.force_login(admin_user)
    r = client.post(url, {"reason": ""})
    assert r.status_code == 400 and r.context["form"].errors
    r = client.post(url, {"reason": "trùng hồ sơ"})
    assert r.status_code == 302 and r["Location"] == reverse("cadres:cadre_list")
    assert not Cadre.objects.filter(pk=c.pk).exists()


def test_page_delete_outside_scope_is_404(client, tree, hn_clerk):
    c = person(tree["26734"], citizen_id="079190012345")
    client.force_login(hn_clerk)
    assert client.get(reverse("cadres:cadre_delete", args=[c.pk])).status_code == 404


def test_record_referenced_elsewhere_is_refused_with_a_clear_error(tree, admin_user):
    """A person another capability keeps (here a citizen reception the person held) is not deleted:
    a validation error names the records, nothing is written (no audit event, no change)."""
    from tinhgon.petitions.models import ReceptionSession

    c = person(tree["00001"])
    ReceptionSession.objects.create(unit=tree["00001"], leader=c, leader_role="commune_chair",
                                    on=dt.date(2026, 3, 2), place="Trụ sở UBND")
    changes, events = ObjectChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.cadre_delete(cadre=c, user=admin_user, reason="nhập nhầm")
    assert "1" in str(exc.value)
    assert Cadre.objects.filter(pk=c.pk).exists()
    assert ObjectChange.objects.count() == changes and AuditEvent.objects.count() == events
    r = api(admin_user).delete(f"/api/cadres/{c.pk}/", {"reason": "nhập nhầm"}, format="json")
    assert r.status_code == 400, r.content
    assert Cadre.objects.filter(pk=c.pk).exists()
