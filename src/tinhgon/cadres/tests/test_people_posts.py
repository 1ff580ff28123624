"""People and posts: the head of a unit, a cadre's direct superior, a user's own record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.services import position_create
from tinhgon.cadres.selectors import cadre_of, direct_superior, unit_head
from tinhgon.cadres.services import assignment_create, cadre_create, cadre_link_user
from tinhgon.core.models import AuditEvent
from tinhgon.core.testing import D0

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)


def person(name, cid, unit, position=None, title="Chuyên viên", start=D0):
    c = cadre_create(full_name=name, sex="M", birth_date=dt.date(1975, 1, 1), citizen_id=cid)
    assignment_create(cadre=c, unit=unit, title=position.title if position else title, valid_from=start,
                      position=position)
    c.refresh_from_db()
    return c


@pytest.fixture
def office(tree):
    ward = tree["00001"]
    chair = position_create(unit=ward, title="Chủ tịch UBND phường", is_leadership=True, order=1)
    deputy = position_create(unit=ward, title="Phó Chủ tịch UBND phường", is_leadership=True, order=2)
    district_chair = position_create(unit=tree["001"], title="Chủ tịch UBND quận", is_leadership=True, order=1)
    return {"ward": ward, "chair": chair, "deputy": deputy, "district_chair": district_chair}


def test_head_is_the_holder_of_the_first_leadership_post(tree, office):
    assert unit_head(office["ward"], on=TODAY) is None
    deputy = person("Phó Văn Hai", "001075000002", office["ward"], office["deputy"])
    assert unit_head(office["ward"], on=TODAY) == deputy  # the chair is vacant: the deputy acts
    chair = person("Chủ Văn Một", "001075000001", office["ward"], office["chair"])
    assert unit_head(office["ward"], on=TODAY) == chair


def test_direct_superior_walks_up_for_the_head(tree, office):
    chair = person("Chủ Văn Một", "001075000001", office["ward"], office["chair"])
    clerk = person("Nhân Viên Ba", "001075000003", office["ward"])
    boss = person("Quận Trưởng", "001075000004", tree["001"], office["district_chair"])
    assert direct_superior(clerk, on=TODAY) == chair
    assert direct_superior(chair, on=TODAY) == boss
    assert direct_superior(boss, on=TODAY) is None  # nobody above holds a leadership post


def test_link_a_user_to_their_record(tree, office, admin_user):
    clerk = person("Nhân Viên Ba", "001075000003", office["ward"])
    account = make_user("nv-ba", role="clerk", scopes=[tree["001"]])
    with pytest.raises(PermissionDenied):
        cadre_link_user(cadre=clerk, user=account, by=account)
    cadre_link_user(cadre=clerk, user=account, by=admin_user)
    assert cadre_of(account) == clerk and AuditEvent.objects.filter(kind="cadre.user_linked").exists()
    other = person("Người Khác", "001075000005", office["ward"])
    with pytest.raises(ValidationError):
        cadre_link_user(cadre=other, user=account, by=admin_user)
    outsider = make_user("hcm", role="clerk", scopes=[tree["79"]])
    with pytest.raises(ValidationError):
        cadre_link_user(cadre=other, user=outsider, by=admin_user)


def test_the_profile_links_an_account(tree, office, admin_user, client):
    clerk = person("Nhân Viên Ba", "001075000003", office["ward"])
    account = make_user("nv-ba", role="clerk", scopes=[tree["001"]])
    client.force_login(admin_user)
    page = client.get(f"/cadres/{clerk.pk}/").content.decode()
    assert "cadre_link_user" not in page and f"/cadres/{clerk.pk}/account/" in page
    client.post(f"/cadres/{clerk.pk}/account/", {"username": "nv-ba"})
    assert cadre_of(account) == clerk
    client.post(f"/cadres/{clerk.pk}/account/", {"username": "nobody-here"})
    assert cadre_of(account) == clerk  # an unknown name changes nothing
    client.force_login(account)
    assert client.post(f"/cadres/{clerk.pk}/account/", {"username": ""}).status_code == 404
    client.force_login(admin_user)
    client.post(f"/cadres/{clerk.pk}/account/", {"username": ""})
    assert cadre_of(account) is None
