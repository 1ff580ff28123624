"""The API of reception and dialogue sessions, the reception duty per leader, the handling officers
of a matter, the similar matters by POST, and ``tinhgon detect-hotspots``: scope, bad input writes
nothing, a denouncer's identity never in an answer to an unnamed officer."""

import datetime as dt

import pytest
from django.core.management import call_command

from tinhgon.cadres.tests.factories import CadreFactory
from tinhgon.core.models import ObjectChange
from tinhgon.petitions.models import DialogueSession, HotSpot, ReceptionSession

from .factories import D, people, receive

pytestmark = pytest.mark.django_db

SECRET = "Phạm Thị Tố Giác"


def _session(unit="00001", leader=None, **over):
    body = {"unit_code": unit, "leader_id": leader.pk, "leader_role": "commune_chair", "on": "2026-09-07",
            "place": "Trụ sở UBND phường", "citizens": 3}
    body.update(over)
    return body


def test_reception_sessions_and_duty(api_client, tree, hn_clerk, hcm_clerk):
    chair = CadreFactory(full_name="Vũ Văn Chủ", unit=tree["00001"])
    foreign = CadreFactory(full_name="Lý Văn Xa", unit=tree["79"])
    p = receive(user=hn_clerk)
    api_client.force_authenticate(hn_clerk)
    before = ObjectChange.objects.count()
    for bad, field in ((_session(leader=chair, unit="zzz"), "unit_code"),
                       (_session(leader=foreign), "leader_id"),
                       (_session(leader=chair, petition_codes=["KN-2026-999999"]), "petition_codes"),
                       (_session(leader=chair, leader_role="king"), "leader_role"),
                       (_session(leader=chair, on="2999-01-01"), "on"),
                       (_session(leader=chair, citizens=-1), "citizens")):
        r = api_client.post("/api/reception-sessions/", bad, format="json")
        assert r.status_code == 400 and field in r.json(), (bad, r.content)
    r = api_client.post("/api/reception-sessions/", _session(leader=chair, unit="79"), format="json")
    assert r.status_code == 403
    assert not ReceptionSession.objects.exists() and ObjectChange.objects.count() == before
    for day in ("2026-09-07", "2026-09-21"):
        r = api_client.post("/api/reception-sessions/", _session(leader=chair, on=day, petition_codes=[p.code]),
                            format="json")
        assert r.status_code == 201, r.content
    assert r.json()["petitions"] == [p.code] and r.json()["leader"]["full_name"] == "Vũ Văn Chủ"
    pk = r.json()["id"]
    assert api_client.get(f"/api/reception-sessions/{pk}/").status_code == 200
    assert api_client.get("/api/reception-sessions/").json()["count"] == 2
    r = api_client.get("/api/reception-sessions/duty/", {"month": "2026-09", "leader": chair.pk})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["rule_set"] == "reception-2026"
    assert [(x["leader"]["id"], x["status"], x["held"], x["required"]) for x in body["leaders"]] == \
        [(chair.pk, "met", 2, 2)]
    assert api_client.get("/api/reception-sessions/duty/", {"month": "2026-09", "leader": foreign.pk}
                          ).json()["leaders"] == []
    for bad in ({"month": "2026-13"}, {"month": "x"}, {"leader": "abc"}):
        assert api_client.get("/api/reception-sessions/duty/", bad).status_code == 400
    # the old law: the commune chair once a week (RULES.md §7)
    r = api_client.post("/api/reception-sessions/", _session(leader=chair, on="2026-03-02"), format="json")
    assert api_client.get("/api/reception-sessions/duty/", {"month": "2026-03"}).json()["leaders"][0]["status"] \
        == "not_met"
    api_client.force_authenticate(hcm_clerk)
    assert api_client.get(f"/api/reception-sessions/{pk}/").status_code == 404
    assert api_client.get("/api/reception-sessions/").json()["count"] == 0
    assert api_client.get("/api/reception-sessions/duty/", {"month": "2026-09"}).json()["leaders"] == []


def test_dialogues_link_matters_and_a_hot_spot(api_client, client, tree, hn_clerk, hcm_clerk):
    leader = CadreFactory(full_name="Đinh Văn Đối", unit=tree["00001"])
    p = receive(user=hn_clerk, received_on=dt.date.today(), petitioners=people("A Một", "B Hai", reps=2), people=30)
    spot = HotSpot.objects.get()
    body = {"unit_code": "00001", "leader_id": leader.pk, "on": str(D), "topic": "Đối thoại về thu hồi đất",
            "participants": 30, "outcome": "Thống nhất phương án bồi thường", "petition_codes": [p.code],
            "hotspot_id": spot.pk}
    api_client.force_authenticate(hcm_clerk)
    assert api_client.post("/api/dialogues/", {**body, "unit_code": "79"}, format="json").status_code == 400
    api_client.force_authenticate(hn_clerk)
    for bad in ({"hotspot_id": 999999}, {"topic": ""}, {"leader_id": 999999}, {"petition_codes": ["TC-1"]}):
        assert api_client.post("/api/dialogues/", {**body, **bad}, format="json").status_code == 400, bad
    assert not DialogueSession.objects.exists()
    r = api_client.post("/api/dialogues/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["hotspot"] == spot.pk and r.json()["petitions"] == [p.code]
    assert api_client.get(f"/api/dialogues/{r.json()['id']}/").json()["outcome"] == "Thống nhất phương án bồi thường"
    client.force_login(hn_clerk)
    assert "Thống nhất phương án bồi thường" in client.get(f"/petitions/{p.pk}/").content.decode()
    assert "Thống nhất phương án bồi thường" in client.get(f"/petitions/hotspots/{spot.pk}/").content.decode()
    api_client.force_authenticate(hcm_clerk)
    assert api_client.get(f"/api/dialogues/{r.json()['id']}/").status_code == 404


def test_handling_officers_and_the_denouncer(api_client, tree, hn_clerk, hn_officer, hcm_clerk):
    p = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct", petitioners=people(SECRET))
    session_leader = CadreFactory(full_name="Vũ Văn Chủ", unit=tree["00001"])
    api_client.force_authenticate(hn_clerk)
    url = f"/api/petitions/{p.pk}/officers/"
    before = ObjectChange.objects.count()
    for bad in ({"officers": ["nobody-here"]}, {"officers": [hcm_clerk.username]}, {"officers": "x"},
                {"officers": [hn_officer.username], "leader_id": 999999}):
        r = api_client.post(url, bad, format="json")
        assert r.status_code == 400, (bad, r.content)
        assert SECRET not in r.content.decode()
    assert not p.handling_officers.exists() and ObjectChange.objects.count() == before
    r = api_client.post(url, {"officers": [hn_officer.username], "leader_id": session_leader.pk}, format="json")
    assert r.status_code == 200, r.content
    assert r.json() == {"code": p.code, "officers": [hn_officer.username], "leader_id": session_leader.pk}
    assert SECRET not in r.content.decode()
    # the clerk who named them is no handling officer: nothing of the denouncer anywhere
    r = api_client.post("/api/reception-sessions/", _session(leader=session_leader, petition_codes=[p.code]),
                        format="json")
    assert r.status_code == 201
    for path in (f"/api/petitions/{p.pk}/", "/api/petitions/", "/api/reception-sessions/",
                 f"/api/petitions/{p.pk}/events/"):
        text = api_client.get(path).content.decode()
        assert SECRET not in text, path
    assert api_client.get(f"/api/petitions/{p.pk}/").json()["identity_protected"] is True
    api_client.force_authenticate(hn_officer)
    assert api_client.get(f"/api/petitions/{p.pk}/").json()["petitioners"][0]["full_name"] == SECRET
    api_client.force_authenticate(hcm_clerk)
    assert api_client.post(url, {"officers": []}, format="json").status_code == 404


def test_similar_names_go_in_a_post_body(api_client, tree, hn_clerk, ward_viewer):
    p = receive(user=hn_clerk, petitioners=people("Nguyễn Văn An"))
    d = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct", petitioners=people(SECRET),
                title="Tố cáo cán bộ", content="Một nội dung khác hẳn")
    api_client.force_authenticate(ward_viewer)
    r = api_client.get("/api/petitions/similar/", {"text": "thu hoi dat", "names": "Nguyễn Văn An"})
    assert r.status_code == 400 and "names" in r.json()
    r = api_client.post("/api/petitions/similar/", {"text": "chuyện khác", "names": ["nguyen van an"]}, format="json")
    assert r.status_code == 200, r.content
    assert [x["code"] for x in r.json()] == [p.code] and "petitioners" in r.json()[0]["reasons"]
    r = api_client.post("/api/petitions/similar/", {"names": [SECRET]}, format="json")
    assert d.code not in r.content.decode()
    r = api_client.post("/api/petitions/similar/", {"kind": "denunciation", "names": ["Nguyễn Văn An"]},
                        format="json")
    assert r.status_code == 400  # a denunciation compares no names, and nothing else was given
    assert api_client.post("/api/petitions/similar/", {}, format="json").status_code == 400
    assert api_client.post("/api/petitions/similar/", {"text": "x", "unit": "zzz"}, format="json").status_code == 400


def test_detect_hotspots_command(tree, hn_clerk):
    receive(user=hn_clerk, received_on=dt.date.today() - dt.timedelta(days=40),
            petitioners=people("A Một", "B Hai", reps=2), people=30)
    HotSpot.objects.all().delete()
    call_command("detect_hotspots", "--scope", "79", "--window", "90", verbosity=0)
    assert not HotSpot.objects.exists()
    call_command("detect_hotspots", "--window", "30", verbosity=0)
    assert not HotSpot.objects.exists()  # the crowd came 40 days ago
    call_command("detect_hotspots", "--scope", "01", verbosity=0)
    assert HotSpot.objects.count() == 1
    from django.core.management.base import CommandError

    for bad in (["--scope", "zzz"], ["--window", "0"]):
        with pytest.raises(CommandError):
            call_command("detect_hotspots", *bad, verbosity=0)


def test_dialogue_form_links_a_hot_spot(client, tree, hn_clerk):
    leader = CadreFactory(full_name="Đinh Văn Đối", unit=tree["00001"])
    p = receive(user=hn_clerk, received_on=dt.date.today(), petitioners=people("A Một", "B Hai", reps=2), people=30)
    spot = HotSpot.objects.get()
    client.force_login(hn_clerk)
    page = client.get(f"/petitions/dialogues/new/?hotspot={spot.pk}").content.decode()
    assert f'value="{spot.pk}"' in page
    form = {"unit_code": "00001", "leader_id": leader.pk, "on": str(D), "topic": "Đối thoại", "participants": 30,
            "outcome": "Kết quả đối thoại thử", "codes": p.code}
    assert client.post("/petitions/dialogues/new/", {**form, "hotspot_id": 999999}).status_code == 400
    assert not DialogueSession.objects.exists()
    assert client.post("/petitions/dialogues/new/", {**form, "hotspot_id": spot.pk}).status_code == 302
    assert DialogueSession.objects.get().hotspot == spot
    assert "Kết quả đối thoại thử" in client.get(f"/petitions/hotspots/{spot.pk}/").content.decode()
    assert str(spot.place.name) in client.get("/petitions/dialogues/").content.decode()
