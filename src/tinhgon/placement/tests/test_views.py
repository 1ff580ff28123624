"""Pages: the rounds per province, a round, a unit board, the surplus, the report (and their Excel),
and the forms posting to the services (a refused one shows its message and writes nothing)."""

import datetime as dt

import pytest
from django.urls import reverse

from tinhgon.accounts.tests.factories import make_user
from tinhgon.placement import services
from tinhgon.placement.models import Candidate, Round, RoundEvent, RoundUnit, Slot

from .factories import world

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def w(tree):
    return world(tree)


@pytest.fixture
def leader(tree):
    return make_user("hn-leader", role="leader", scopes=[tree["01"]])


@pytest.fixture
def client_(client, leader):
    client.force_login(leader)
    return client


def test_start_from_the_waiting_list_then_read_every_page(client_, w, tree):
    page = client_.get(reverse("placement:round_list"))
    assert page.status_code == 200 and "Thành phố Hà Nội" in page.content.decode()
    r = client_.post(reverse("placement:round_create"), {"plan": w["plan"].pk, "scope": "01"})
    rnd = Round.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("placement:round", args=[rnd.pk])
    assert rnd.status == Round.PROPOSED
    ru = RoundUnit.objects.get(round=rnd, code="00001")
    for name, args in (("placement:round", [rnd.pk]), ("placement:unit_board", [ru.pk]),
                       ("placement:surplus", [rnd.pk]), ("placement:report", [rnd.pk]),
                       ("placement:round_list", [])):
        page = client_.get(reverse(name, args=args))
        assert page.status_code == 200, name
        assert "None" not in page.content.decode().replace("NoneType", "")
        sheet = client_.get(reverse(name, args=args) + "?export=xlsx")
        assert sheet.status_code == 200 and sheet["Content-Type"] == XLSX, name
    assert "Nguyễn Thị Lan" in client_.get(reverse("placement:unit_board", args=[ru.pk])).content.decode()


def test_pin_resolve_approve_and_the_nobody_lost_refusal(client_, w):
    client_.post(reverse("placement:round_create"), {"plan": w["plan"].pk, "scope": "01"})
    rnd = Round.objects.get()
    nam = Candidate.objects.get(round=rnd, cadre=w["nam"])
    chair = Slot.objects.get(round_unit__round=rnd, round_unit__code="00001", title="Chủ tịch UBND")
    r = client_.post(reverse("placement:candidate_act", args=[nam.pk, "pin"]),
                     {"slot": chair.pk, "reason": "Ý kiến Ban Thường vụ"}, follow=True)
    assert "Đã chốt." in r.content.decode()
    client_.post(reverse("placement:round_solve", args=[rnd.pk]))
    nam.refresh_from_db()
    assert nam.slot_id == chair.pk and nam.pinned
    # a second pin into the full post: refused with its message, nothing written
    lan = Candidate.objects.get(round=rnd, cadre=w["lan"])
    events = RoundEvent.objects.count()
    r = client_.post(reverse("placement:candidate_act", args=[lan.pk, "pin"]), {"slot": chair.pk, "reason": "x"},
                     follow=True)
    assert RoundEvent.objects.count() == events and "Chủ tịch UBND" in r.content.decode()
    client_.post(reverse("placement:candidate_act", args=[Candidate.objects.get(round=rnd, cadre=w["son"]).pk,
                                                          "exclude"]), {"reason": "Nghỉ hưu trước tuổi"})
    client_.post(reverse("placement:round_decide", args=[rnd.pk, "approve"]),
                 {"decision_number": "15/QĐ-UBND", "decision_date": "2025-08-01"})
    rnd.refresh_from_db()
    assert rnd.status == Round.APPROVED
    client_.post(reverse("placement:round_decide", args=[rnd.pk, "apply"]))
    r = client_.post(reverse("placement:round_decide", args=[rnd.pk, "close"]), follow=True)
    rnd.refresh_from_db()
    assert rnd.status == Round.APPLIED
    assert "Phạm Văn Sơn" in r.content.decode()
    son = Candidate.objects.get(round=rnd, cadre=w["son"])
    client_.post(reverse("placement:candidate_act", args=[son.pk, "surplus"]),
                 {"option": "early_2_5", "decision_number": "16/QĐ-UBND", "decision_date": "2025-09-01"})
    client_.post(reverse("placement:round_decide", args=[rnd.pk, "close"]))
    rnd.refresh_from_db()
    assert rnd.status == Round.CLOSED


def test_post_count_and_foreign_round_is_404(client_, w, tree):
    from tinhgon.apparatus import selectors as unit_selectors

    hn = unit_selectors.unit_version_on("01", w["plan"].effective_date)
    rnd = services.round_solve(round=services.round_create(plan=w["plan"], scope_unit=hn,
                                                           leave_date=dt.date(2025, 9, 1)))
    national = services.round_create(plan=w["plan"], leave_date=dt.date(2025, 9, 1))
    assert client_.get(reverse("placement:round", args=[national.pk])).status_code == 404
    s = Slot.objects.filter(round_unit__round=rnd, round_unit__code="00001").first()
    client_.post(reverse("placement:slot_count", args=[s.pk]), {"count": "3", "reason": "Đề án vị trí việc làm"})
    s.refresh_from_db()
    assert s.count == 3
    # another province's viewer does not reach Hà Nội's round
    hcm = make_user("hcm-viewer", role="viewer", scopes=[tree["79"]])
    client_.force_login(hcm)
    assert client_.get(reverse("placement:round", args=[rnd.pk])).status_code == 404
