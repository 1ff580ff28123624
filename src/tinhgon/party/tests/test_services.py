"""Admission, probation, transfer, leaving; the development rate per organization and rolled up."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.models import ObjectChange
from tinhgon.party import selectors, services
from tinhgon.party.models import Membership, PartyMember

from .factories import member, organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(tree):
    return {"a": organization("00001-CB1", tree["00001"]), "b": organization("00004-CB1", tree["00004"]),
            "c": organization("26734-CB1", tree["26734"]), "tree": tree}


def test_a_probation_ending_before_it_starts_is_refused(orgs):
    before = (PartyMember.objects.count(), Membership.objects.count(), ObjectChange.objects.count())
    with pytest.raises(ValidationError) as exc:
        member(orgs["a"], admission=dt.date(2025, 3, 1), official=dt.date(2025, 2, 1))
    assert "official_date" in exc.value.message_dict
    assert (PartyMember.objects.count(), Membership.objects.count(), ObjectChange.objects.count()) == before
    m = member(orgs["a"], admission=dt.date(2025, 3, 1), official=None)
    with pytest.raises(ValidationError) as exc:
        services.member_make_official(member=m, official_date=dt.date(2025, 12, 1))
    assert "01/03/2026" in exc.value.message_dict["official_date"][0]
    services.member_make_official(member=m, official_date=dt.date(2026, 3, 1))
    assert m.status_on(dt.date(2026, 3, 1)) == "full" and m.status_on(dt.date(2026, 2, 28)) == "probationary"


def test_a_transfer_keeps_the_history(orgs):
    m = member(orgs["a"])
    services.member_transfer(member=m, organization=orgs["b"], on=dt.date(2024, 1, 10))
    rows = list(m.memberships.order_by("valid_from").values_list("organization__code", "valid_to", "start_reason"))
    assert rows == [("00001-CB1", dt.date(2024, 1, 10), "admission"), ("00004-CB1", None, "transfer")]
    m.refresh_from_db()
    assert m.organization == orgs["b"]
    with pytest.raises(ValidationError):
        services.member_transfer(member=m, organization=orgs["tree"]["00001"], on=dt.date(2024, 2, 1))  # a ward


def test_leaving_ends_the_membership(orgs):
    m = member(orgs["a"])
    services.member_leave(member=m, on=dt.date(2025, 1, 1), reason="resigned")
    assert m.memberships.get().valid_to == dt.date(2025, 1, 1)
    with pytest.raises(ValidationError):
        services.member_transfer(member=m, organization=orgs["b"], on=dt.date(2025, 2, 1))


def test_writes_check_every_organization_they_touch(orgs):
    hn = make_user("hn-clerk", role="clerk", scopes=[orgs["tree"]["01"]])
    m = member(orgs["a"])
    with pytest.raises(PermissionDenied):
        services.member_transfer(user=hn, member=m, organization=orgs["c"], on=dt.date(2024, 1, 10))
    with pytest.raises(PermissionDenied):
        services.member_admit(user=hn, organization=orgs["c"], full_name="x", admission_date=dt.date(2024, 1, 1))


def test_development_rate_per_organization_and_rolled_up(orgs):
    for i in range(10):
        member(orgs["a"], name=f"A{i}", admission=dt.date(2020, 1, 1))
    for i in range(4):
        member(orgs["b"], name=f"B{i}", admission=dt.date(2021, 1, 1))
    member(orgs["a"], name="A new", admission=dt.date(2026, 3, 3), official=None)
    moved = member(orgs["b"], name="B moved", admission=dt.date(2026, 2, 2), official=None)
    services.member_transfer(member=moved, organization=orgs["a"], on=dt.date(2026, 5, 5))
    member(orgs["c"], name="C", admission=dt.date(2026, 2, 2), official=None)  # HCM: outside the viewer's scope
    viewer = make_user("hn-viewer2", role="viewer", scopes=[orgs["tree"]["01"]])
    rows = {r.code: r for r in selectors.development_rate(year=2026, prefixes=selectors.scope_prefixes(viewer))}
    assert (rows["00001-CB1"].new, rows["00001-CB1"].at_start) == (1, 10)
    assert (rows["00004-CB1"].new, rows["00004-CB1"].at_start) == (1, 4)
    assert (rows["001"].new, rows["001"].at_start, rows["001"].rate_percent) == (2, 14, 14.29)
    assert "01" in rows and "79" not in rows and "26734-CB1" not in rows
    assert rows["00001-CB1"].is_organization and not rows["001"].is_organization
    assert selectors.admissions_by_year(years=[2026], prefixes=selectors.scope_prefixes(viewer)) == [(2026, 2, 14)]
