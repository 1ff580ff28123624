"""Pages: intake with similar matters, the workflow, repeat contacts, deadlines, hot spots, report,
reception duty, calendars; bad input is a 400 with nothing written."""

import datetime as dt

import pytest

from tinhgon.petitions.models import DaySwap, Petition, ReceptionSession

from .factories import D, people, receive

pytestmark = pytest.mark.django_db

INTAKE = {"kind": "complaint", "round": 1, "channel": "desk", "subject": "land",
          "place_text": "Phường Phúc Xá, Quận Ba Đình, Hà Nội", "received_on": "2026-03-02",
          "title": "Khiếu nại thu hồi đất", "content": "Thu hồi đất không đúng quy định",
          "petitioners": "*Nguyễn Văn An; 0912345678\n*Lê Thị Bình\nTrần Văn Cường", "people": 8}


def test_intake_page_and_bad_input(client, tree, hn_clerk):
    client.force_login(hn_clerk)
    assert client.get("/petitions/new/").status_code == 200
    r = client.post("/petitions/new/", {**INTAKE, "place_text": "Xã Không Có, Tỉnh Đâu Đó"})
    assert r.status_code == 400
    r = client.post("/petitions/new/", {**INTAKE, "round": 2})
    assert r.status_code == 400
    r = client.post("/petitions/new/", {**INTAKE, "round": 2, "first_round_code": "KN-2026-999999"})
    assert r.status_code == 400
    assert not Petition.objects.exists()
    r = client.post("/petitions/new/", INTAKE)
    assert r.status_code == 302
    p = Petition.objects.get()
    assert p.people == 8 and p.petitioners.filter(is_representative=True).count() == 2


def test_similar_panel_and_repeat_contact(client, tree, hn_clerk):
    p = receive(user=hn_clerk)
    client.force_login(hn_clerk)
    r = client.post("/petitions/similar/", {"title": "khieu nai thu hoi dat nong nghiep", "subject": "land",
                                            "place_text": "phuc xa ba dinh ha noi"})
    assert r.status_code == 200 and p.code in r.content.decode()
    r = client.post(f"/petitions/{p.pk}/contacts/new/", {"on": "2026-03-05", "channel": "desk", "people": 6})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.contacts_count == 2 and p.people == 6


def test_workflow_pages(client, tree, hn_clerk, hcm_clerk):
    p = receive(user=hn_clerk)
    client.force_login(hcm_clerk)
    assert client.get(f"/petitions/{p.pk}/").status_code == 404
    assert client.get(f"/petitions/{p.pk}/do/accept/").status_code == 404
    client.force_login(hn_clerk)
    assert client.get(f"/petitions/{p.pk}/").status_code == 200
    r = client.post(f"/petitions/{p.pk}/do/accept/", {"on": "2026-03-03", "complexity": "normal"})
    assert r.status_code == 302
    r = client.post(f"/petitions/{p.pk}/do/extend/", {"on": "2026-03-04", "reason": "x"})
    assert r.status_code == 400
    r = client.post(f"/petitions/{p.pk}/do/conclude/", {"on": "2026-03-20", "conclusion": ""})
    assert r.status_code == 400
    r = client.post(f"/petitions/{p.pk}/do/route/", {"on": "2026-03-04", "unit_code": "79", "reason": "sai"})
    assert r.status_code == 400
    r = client.post(f"/petitions/{p.pk}/do/conclude/", {"on": "2026-03-20", "conclusion": "Đúng một phần"})
    assert r.status_code == 302
    r = client.post(f"/petitions/{p.pk}/do/close/", {"on": "2026-03-21"})
    assert r.status_code == 302 and Petition.objects.get(pk=p.pk).status == Petition.CLOSED
    page = client.get(f"/petitions/{p.pk}/").content.decode()
    assert "02/04/2026" in page


def test_lists_deadlines_hotspots_and_report(client, tree, hn_clerk):
    p = receive(user=hn_clerk, received_on=dt.date.today(), petitioners=people("A Một", "B Hai", reps=2), people=30)
    client.force_login(hn_clerk)
    for url in ("/petitions/", "/petitions/?due=overdue&kind=complaint&q=thu+hoi", "/petitions/deadlines/",
                "/petitions/hotspots/", "/petitions/hotspots/?status=all", "/petitions/report/",
                "/petitions/report/?by=province", "/petitions/report/?by=month", "/petitions/report/?by=unit",
                "/petitions/report/?by=subject&start=bad", "/petitions/reception/", "/petitions/dialogues/",
                "/petitions/day-swaps/", "/petitions/remote-areas/", "/"):
        r = client.get(url)
        assert r.status_code == 200, url
    home = client.get("/").content.decode()
    assert "hotspot-alert" in home and p.place.name in home
    r = client.get("/petitions/report/")
    assert "<svg" in r.content.decode()
    spot = p.hotspots.get()
    assert client.get(f"/petitions/hotspots/{spot.pk}/").status_code == 200
    r = client.post(f"/petitions/hotspots/{spot.pk}/resolve/", {"on": str(dt.date.today()), "resolution": ""})
    assert r.status_code == 400


def test_reception_duty_and_calendars(client, tree, hn_clerk, admin_user):
    from tinhgon.cadres.tests.factories import CadreFactory

    chair = CadreFactory(full_name="Vũ Văn Chủ", unit=tree["00001"])
    client.force_login(hn_clerk)
    r = client.post("/petitions/reception/new/", {"unit_code": "00001", "leader_id": chair.pk,
                                                  "leader_role": "commune_chair", "on": "2026-09-07",
                                                  "place": "Trụ sở UBND phường", "citizens": 4, "codes": "KN-X"})
    assert r.status_code == 400 and not ReceptionSession.objects.exists()
    r = client.post("/petitions/reception/new/", {"unit_code": "00001", "leader_id": chair.pk,
                                                  "leader_role": "commune_chair", "on": "2026-09-07",
                                                  "place": "Trụ sở UBND phường", "citizens": 4})
    assert r.status_code == 302
    page = client.get("/petitions/reception/?month=2026-09").content.decode()
    assert "Vũ Văn Chủ" in page and "reception-2026" in page
    assert client.post("/petitions/day-swaps/new/", {"day_off": "2026-01-02"}).status_code == 403
    client.force_login(admin_user)
    assert client.post("/petitions/day-swaps/new/", {"day_off": "2026-01-02", "work_day": "2026-01-02"}).status_code == 400
    assert client.post("/petitions/day-swaps/new/", {"day_off": "2026-01-02", "work_day": "2026-01-10"}).status_code == 302
    assert DaySwap.objects.count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("remote.csv", b"unit_code,valid_from\n99999,2025-01-01\n")
    assert client.post("/petitions/remote-areas/import/", {"file": bad}).status_code == 400
    good = SimpleUploadedFile("remote.csv", b"unit_code,valid_from\n250,01/01/2025\n")
    assert client.post("/petitions/remote-areas/import/", {"file": good}).status_code == 302


def test_detection_job_and_dialogue(client, tree, hn_clerk):
    from tinhgon.cadres.tests.factories import CadreFactory
    from tinhgon.core import jobs
    from tinhgon.core.models import Job
    from tinhgon.petitions.models import DialogueSession, HotSpot

    p = receive(user=hn_clerk, received_on=dt.date.today(), petitioners=people("A Một", "B Hai", reps=2), people=30)
    HotSpot.objects.all().delete()
    client.force_login(hn_clerk)
    r = client.post("/petitions/hotspots/detect/")
    assert r.status_code == 302
    job = Job.objects.get()
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.SUCCEEDED and job.result["hotspots"] == 1
    assert HotSpot.objects.get().place == p.place
    leader = CadreFactory(full_name="Đinh Văn Đối", unit=tree["00001"])
    r = client.post("/petitions/dialogues/new/", {"unit_code": "00001", "leader_id": leader.pk, "on": str(D),
                                                  "topic": "Đối thoại về thu hồi đất", "participants": 30,
                                                  "outcome": "Thống nhất phương án bồi thường", "codes": p.code})
    assert r.status_code == 302
    assert list(DialogueSession.objects.get().petitions.all()) == [p]
    assert p.code in client.get("/petitions/dialogues/").content.decode()
