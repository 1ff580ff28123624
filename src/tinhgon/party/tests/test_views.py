"""The party pages: organizations with members, a member's history and actions, admission with
bad input answered 400, the development rate with its chart and Excel."""

import datetime as dt

import pytest
from django.urls import reverse

from tinhgon.accounts.tests.factories import PASSWORD, make_user
from tinhgon.party.models import PartyMember

from .factories import member, organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(tree, client):
    make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    client.login(username="hn-clerk", password=PASSWORD)
    client.orgs = {"a": organization("00001-CB1", tree["00001"]), "b": organization("00004-CB1", tree["00004"])}
    return client


def test_admit_and_follow_a_member(c):
    r = c.post(reverse("party:member_create"), {"organization_code": "00001-CB1", "full_name": "Ngô Thị Mới",
                                                "admission_date": "2026-02-03", "card_number": "01234567"})
    assert r.status_code == 302
    m = PartyMember.objects.get()
    r = c.post(reverse("party:member_act", args=[m.pk, "transfer"]), {"organization_code": "00004-CB1",
                                                                      "on": "2026-05-05"})
    assert r.status_code == 302
    page = c.get(reverse("party:member", args=[m.pk])).content.decode()
    assert "00001-CB1" in page and "00004-CB1" in page


def test_a_probation_ending_before_it_starts_is_answered_400(c):
    r = c.post(reverse("party:member_create"), {"organization_code": "00001-CB1", "full_name": "Sai Ngày",
                                                "admission_date": "2026-02-03", "official_date": "2026-01-01"})
    assert r.status_code == 400 and not PartyMember.objects.exists()


@pytest.mark.parametrize("name", ["party:organization_list", "party:member_list", "party:development"])
def test_lists_answer_and_export(c, name):
    for i in range(3):
        member(c.orgs["a"], name=f"Đảng viên {i}", admission=dt.date(2020, 1, 1))
    member(c.orgs["a"], name="Mới", admission=dt.date.today().replace(month=1, day=2), official=None)
    r = c.get(reverse(name))
    assert r.status_code == 200
    if name == "party:development":
        assert "<svg" in r.content.decode()
    r = c.get(reverse(name) + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_organization_page_lists_its_members(c):
    member(c.orgs["a"], name="Thành Viên Chi Bộ")
    r = c.get(reverse("party:organization", args=[c.orgs["a"].pk]))
    assert r.status_code == 200 and "Thành Viên Chi Bộ" in r.content.decode()
    assert c.get(reverse("party:organization", args=[c.orgs["a"].pk]) + "?export=xlsx").status_code == 200


def test_the_country_chart_compares_provinces_and_one_province_its_units(tree, client):
    """With several units at the top (an administrator's country) the chart compares them; with one (a
    province's clerk) it shows the level below."""
    hcm_org = organization("26734-CB1", tree["26734"])
    hn_org = organization("00001-CB1", tree["00001"])
    for org in (hn_org, hcm_org):
        member(org, name="Đảng viên cũ", admission=dt.date(2020, 1, 1))
    make_user("party-admin", role="administrator")
    client.login(username="party-admin", password=PASSWORD)
    chart = client.get(reverse("party:development")).context["chart"]
    labels = {b["label"] for b in chart["bars"]}
    assert {tree["01"].name, tree["79"].name} <= labels
    make_user("party-hn", role="clerk", scopes=[tree["01"]])
    client.login(username="party-hn", password=PASSWORD)
    labels = {b["label"] for b in client.get(reverse("party:development")).context["chart"]["bars"]}
    assert tree["01"].name not in labels and labels


def test_years_before_any_member_are_left_out_of_the_admissions_chart(c):
    """An organization opened this year: the chart starts at this year, not with years of zeros."""
    this_year = dt.date.today().year
    member(c.orgs["a"], name="Mới", admission=dt.date(this_year, 1, 2), official=None)
    series = c.get(reverse("party:development")).context["series"]
    assert series and series[0][0] >= this_year - 4
    assert all(new or start for _y, new, start in series[:1])
