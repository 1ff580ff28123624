"""Intake, routing, the workflow and its deadlines; every bad input refused with nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.core.models import AuditEvent, ObjectChange
from tinhgon.petitions import selectors, services
from tinhgon.petitions.models import Contact, DaySwap, HotSpot, Petition, Petitioner

from .factories import D, people, receive

pytestmark = pytest.mark.django_db


def counts():
    return (Petition.objects.count(), Petitioner.objects.count(), Contact.objects.count(),
            AuditEvent.objects.count(), ObjectChange.objects.count())


def test_receive_resolves_the_place_routes_and_codes(tree, hn_clerk):
    p = receive(user=hn_clerk, place_text="phuc xa, ba dinh, ha noi")
    assert p.place == tree["00001"] and p.code == f"KN-{D.year}-000001"
    assert p.handling_unit.code == "00001"  # land → the commune level (routing rule set)
    assert p.acceptance_due == dt.date(2026, 3, 12) and p.status == Petition.RECEIVED
    assert p.contacts.count() == 1 and p.people == 1
    second = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct")
    assert second.code == f"TC-{D.year}-000001" and second.handling_unit.code == "01"
    assert second.acceptance_due is None  # RULES.md gives no acceptance period for denunciations
    assert receive(user=hn_clerk).code == f"KN-{D.year}-000002"


def test_group_complaint_needs_its_representatives(tree, hn_clerk):
    with pytest.raises(ValidationError) as exc:
        receive(user=hn_clerk, petitioners=people("A", "B", "C"), people=12)
    assert "representatives" in exc.value.message_dict
    p = receive(user=hn_clerk, petitioners=people("Lê Văn Một", "Trần Thị Hai", "Phạm Ba", reps=2), people=12)
    assert p.people == 12 and p.petitioners.filter(is_representative=True).count() == 2
    with pytest.raises(ValidationError):
        receive(user=hn_clerk, petitioners=people(*[f"P{i}" for i in range(7)], reps=3))  # 5–10: 1–2 reps


@pytest.mark.parametrize("over,field", [
    ({"place_text": "Xã Không Có, Tỉnh Chẳng Đâu"}, "place_text"),
    ({"place_text": ""}, "place_text"),
    ({"round": 2}, "first_round"),
    ({"petitioners": []}, "petitioners"),
    ({"subject": "nothing"}, "subject"),
    ({"received_on": dt.date(2999, 1, 1)}, "received_on"),
    ({"kind": "denunciation", "round": 2}, "round"),
])
def test_bad_intake_writes_nothing(tree, hn_clerk, over, field):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        receive(user=hn_clerk, **over)
    assert field in exc.value.message_dict
    assert counts() == before


def test_intake_outside_the_scope_is_refused(tree, hcm_clerk):
    before = counts()
    with pytest.raises(PermissionDenied):
        receive(user=hcm_clerk)
    assert counts() == before


def test_second_round_links_the_first(tree, hn_clerk):
    first = receive(user=hn_clerk, received_on=dt.date(2026, 1, 5))
    services.petition_accept(user=hn_clerk, petition=first, on=dt.date(2026, 1, 8))
    services.petition_conclude(user=hn_clerk, petition=first, on=dt.date(2026, 2, 2), conclusion="Giữ nguyên")
    second = receive(user=hn_clerk, round=2, first_round=first, received_on=dt.date(2026, 2, 20))
    assert second.first_round == first and list(first.second_rounds.all()) == [second]
    services.petition_accept(user=hn_clerk, petition=second, on=dt.date(2026, 2, 24))
    assert (second.deadline - dt.date(2026, 2, 24)).days >= 45
    with pytest.raises(ValidationError):  # lodged after the 30-day window
        receive(user=hn_clerk, round=2, first_round=first, received_on=dt.date(2026, 4, 20))


def test_accept_sets_the_deadline_and_rule_set(tree, hn_clerk):
    p = receive(user=hn_clerk, received_on=dt.date(2026, 1, 10))
    services.petition_accept(user=hn_clerk, petition=p, on=dt.date(2026, 1, 15))
    p.refresh_from_db()
    assert p.deadline == dt.date(2026, 2, 23) and p.deadline_raw == dt.date(2026, 2, 14)
    assert p.rule_set == "petitions-2011-2018" and p.status == Petition.ACCEPTED


def test_day_swaps_and_remote_areas_count(tree, hn_clerk, admin_user):
    services.day_swap_set(user=admin_user, day_off=dt.date(2026, 1, 2), work_day=dt.date(2026, 1, 10))
    services.remote_areas_import(user=admin_user, rows=[{"unit_code": "001", "valid_from": dt.date(2025, 1, 1)}])
    p = receive(user=hn_clerk, received_on=dt.date(2025, 11, 28))
    services.petition_accept(user=hn_clerk, petition=p, on=dt.date(2025, 12, 3))
    assert p.remote and p.deadline_raw == dt.date(2026, 1, 17)  # remote: 45 days
    with pytest.raises(PermissionDenied):
        services.day_swap_set(user=hn_clerk, day_off=dt.date(2026, 5, 4))
    assert DaySwap.objects.count() == 1


def test_remote_area_import_refuses_the_whole_file(tree, admin_user):
    with pytest.raises(ValidationError) as exc:
        services.remote_areas_import(user=admin_user, rows=[
            {"unit_code": "001", "valid_from": dt.date(2025, 1, 1)},
            {"unit_code": "99999", "valid_from": dt.date(2025, 1, 1)}])
    assert "99999" in " ".join(exc.value.messages)
    from tinhgon.petitions.models import RemoteArea

    assert not RemoteArea.objects.exists()


def test_denunciation_extensions(tree, hn_clerk):
    p = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct", received_on=dt.date(2026, 8, 28))
    services.petition_accept(user=hn_clerk, petition=p, on=dt.date(2026, 9, 1), complexity="normal")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.petition_extend(user=hn_clerk, petition=Petition.objects.get(pk=p.pk), reason="Cần xác minh thêm")
    assert "extensions" in exc.value.message_dict and counts() == before
    p = Petition.objects.get(pk=p.pk)
    services.petition_extend(user=hn_clerk, petition=p, reason="Nhiều nội dung", complexity="complex")
    assert p.extensions == 1 and p.deadline == dt.date(2026, 11, 2)  # 60 days: 31 Oct is a Saturday
    with pytest.raises(ValidationError):
        services.petition_extend(user=hn_clerk, petition=Petition.objects.get(pk=p.pk), reason="Lần hai")
    assert Petition.objects.get(pk=p.pk).extensions == 1


def test_suspension_moves_the_deadline_only_from_2026_07_01(tree, hn_clerk):
    late = receive(user=hn_clerk, received_on=dt.date(2026, 9, 1))
    services.petition_accept(user=hn_clerk, petition=late, on=dt.date(2026, 9, 1))
    before = late.deadline
    services.petition_suspend(user=hn_clerk, petition=late, days=10, reason="Chờ giám định",
                              on=dt.date(2026, 9, 10))
    assert (late.deadline - before).days >= 10 and late.suspended_days == 10
    early = receive(user=hn_clerk, received_on=dt.date(2026, 3, 2))
    services.petition_accept(user=hn_clerk, petition=early, on=dt.date(2026, 3, 2))
    d = early.deadline
    services.petition_suspend(user=hn_clerk, petition=early, days=10, reason="Chờ giám định", on=dt.date(2026, 3, 5))
    assert early.deadline == d  # the 2011/2018 rule set counts suspended time
    with pytest.raises(ValidationError):
        services.petition_suspend(user=hn_clerk, petition=Petition.objects.get(pk=early.pk), days=0, reason="x")
    assert Petition.objects.get(pk=early.pk).suspended_days == 10


def test_a_complaint_is_never_extended(tree, hn_clerk):
    p = receive(user=hn_clerk)
    services.petition_accept(user=hn_clerk, petition=p, on=D)
    with pytest.raises(ValidationError):
        services.petition_extend(user=hn_clerk, petition=Petition.objects.get(pk=p.pk), reason="x")
    assert Petition.objects.get(pk=p.pk).extensions == 0


def test_settling_needs_a_conclusion(tree, hn_clerk):
    p = receive(user=hn_clerk)
    services.petition_accept(user=hn_clerk, petition=p, on=D)
    services.petition_verify(user=hn_clerk, petition=p, on=D)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.petition_conclude(user=hn_clerk, petition=Petition.objects.get(pk=p.pk), conclusion="  ")
    assert "conclusion" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.petition_close(user=hn_clerk, petition=Petition.objects.get(pk=p.pk))
    assert counts() == before and Petition.objects.get(pk=p.pk).status == Petition.VERIFYING
    p = Petition.objects.get(pk=p.pk)
    services.petition_conclude(user=hn_clerk, petition=p, conclusion="Khiếu nại đúng một phần", on=D)
    services.petition_close(user=hn_clerk, petition=p, on=D)
    assert p.status == Petition.CLOSED and p.settled_on_time()


def test_reject_needs_a_reason_and_state_order(tree, hn_clerk):
    p = receive(user=hn_clerk)
    with pytest.raises(ValidationError):
        services.petition_reject(user=hn_clerk, petition=p, reason="")
    with pytest.raises(ValidationError):
        services.petition_verify(user=hn_clerk, petition=p)  # not accepted yet
    services.petition_reject(user=hn_clerk, petition=p, reason="Đã hết thời hiệu khiếu nại")
    assert p.status == Petition.REJECTED


def test_reroute_needs_a_reason_and_both_scopes(tree, hn_clerk, hcm_clerk):
    p = receive(user=hn_clerk)
    with pytest.raises(ValidationError):
        services.petition_route(user=hn_clerk, petition=p, unit=tree["001"], reason="")
    with pytest.raises(PermissionDenied):
        services.petition_route(user=hn_clerk, petition=p, unit=tree["79"], reason="Sai thẩm quyền")
    services.petition_route(user=hn_clerk, petition=p, unit=tree["001"], reason="Thẩm quyền của quận")
    assert p.handling_unit == tree["001"] and p.events.filter(kind="routed").exists()


def test_repeat_contact_and_similar_matters(tree, hn_clerk):
    p = receive(user=hn_clerk, petitioners=people("Nguyễn Văn An"))
    receive(user=hn_clerk, subject="environment", title="Ô nhiễm tiếng ồn",
            content="Xưởng gỗ gây ồn ào ban đêm", petitioners=people("Lê Thị Bình"))
    hits = selectors.similar(hn_clerk, text="khieu nai thu hoi dat nong nghiep to 5 khong dung quy dinh",
                             place=tree["00001"], subject="land", names=["nguyen van an"])
    assert hits[0].petition == p and set(hits[0].reasons) >= {"text", "petitioners", "place_subject"}
    assert len(hits) == 1
    services.contact_add(user=hn_clerk, petition=p, on=D, people=3, petitioners=people("Trần Văn Cường"))
    p.refresh_from_db()
    assert p.contacts_count == 2 and p.people == 3 and p.contacts.filter(is_repeat=True).count() == 1


def test_similar_never_matches_denouncers_names(tree, hn_clerk):
    receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct", title="Tố cáo cán bộ địa chính",
            content="Tố cáo cán bộ nhận tiền", petitioners=people("Hoàng Văn Tố"))
    hits = selectors.similar(hn_clerk, text="chuyện khác hẳn", place=tree["00001"], names=["Hoàng Văn Tố"])
    assert hits == []


def test_scope_place_or_handling_unit(tree, hn_clerk, ward_viewer, hcm_clerk):
    p = receive(user=hn_clerk, kind="denunciation", subject="cadre_conduct")  # handled by the city, arose in the ward
    assert selectors.petitions_for(ward_viewer).filter(pk=p.pk).exists()
    assert not selectors.petitions_for(ward_viewer, "change").filter(pk=p.pk).exists()
    assert not selectors.petitions_for(hcm_clerk).filter(pk=p.pk).exists()


def test_overdue_escalates_to_the_unit_head(tree, hn_clerk):
    from tinhgon.apparatus import services as apparatus
    from tinhgon.cadres.models import Assignment
    from tinhgon.cadres.tests.factories import CadreFactory

    pos = apparatus.position_create(unit=tree["00001"], title="Chủ tịch UBND phường", is_leadership=True, order=1)
    head = CadreFactory(full_name="Đỗ Văn Trưởng", unit=tree["00001"])
    Assignment.objects.filter(cadre=head).update(position=pos)
    p = receive(user=hn_clerk, received_on=dt.date(2026, 1, 5))
    services.petition_accept(user=hn_clerk, petition=p, on=dt.date(2026, 1, 6))
    rows = selectors.deadline_lists(hn_clerk, on=dt.date(2026, 3, 1))["units"]
    assert rows[0]["overdue"] == 1 and rows[0]["head"] == head
    services.petition_officers_set(user=hn_clerk, petition=p, officers=[hn_clerk], leader=head)
    leaders = selectors.deadline_lists(hn_clerk, on=dt.date(2026, 3, 1))["leaders"]
    assert leaders[0]["leader"] == head and leaders[0]["overdue"] == 1
    assert services.petitions_escalate(user=hn_clerk, on=dt.date(2026, 3, 1)) == 1
    assert Petition.objects.get(pk=p.pk).escalated_to == head


def test_a_crowd_raises_a_hot_spot(tree, hn_clerk, settings):
    p = receive(user=hn_clerk, received_on=dt.date.today(),
                petitioners=people("Lê Văn Một", "Trần Thị Hai", reps=2), people=40)
    spot = HotSpot.objects.get()
    assert spot.place == p.place and "crowded_group" in spot.reasons and spot.evidence["people"] == 40
    assert list(spot.petitions.all()) == [p]
    with pytest.raises(ValidationError):
        services.hotspot_resolve(user=hn_clerk, hotspot=spot, resolution="Đã đối thoại")  # no owner yet
    from tinhgon.cadres.tests.factories import CadreFactory

    owner = CadreFactory(full_name="Phan Văn Chủ", unit=tree["01"])
    services.hotspot_update(user=hn_clerk, hotspot=spot, owner=owner, plan_kind="dialogue", plan="Đối thoại tại phường")
    services.hotspot_resolve(user=hn_clerk, hotspot=spot, resolution="Đã đối thoại, người dân đồng thuận")
    assert spot.status == HotSpot.RESOLVED
