"""Inputs that fuzzing the API and the pages found ending in server errors, answered now.

Dates before any rule set, ids and numbers beyond 64 bits, dates whose arithmetic
overflows and page numbers no database can skip to: 400 (or 404 for a page past
the end) with a message in the API, the list with the form's message (or the last
page) on the pages — never 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import services

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # > 2**63


@pytest.fixture
def admin(tree):
    return english_client(make_user("fuzz-admin", role="administrator", is_superuser=True))


@pytest.fixture
def hanoi(tree):
    return english_client(make_user("fuzz-hn-org", role="organizer", scopes=[tree["01"]]))


def english_client(user) -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", [
    "/api/payroll-roadmap/?as_of=2000-01-01",
    "/api/cadres/retiring/?on=2000-01-01",
    "/api/cadres/?on=2000-01-01&retiring_within_months=12",
])
def test_api_day_before_any_rule_set_is_400(admin, hanoi, url):
    for client in (admin, hanoi):
        r = client.get(url)
        assert r.status_code == 400, (url, r.status_code)
        assert "is in force on 2000-01-01" in r.json()["detail"]


def test_roadmap_page_shows_today(admin):
    assert admin.get("/apparatus/roadmap/?as_of=2000-01-01").status_code == 200


def test_no_rule_set_on_a_page_is_a_400_page(admin, monkeypatch):
    """Any page that meets a day without rule set explains it (the middleware), in Vietnamese too."""
    from tinhgon.cadres.views import profile
    from tinhgon.core.rulesets import NoRuleSet

    def no_rule_set(kind, day, code=None):
        raise NoRuleSet(f"No rule set of kind {kind} is in force on {day}.")

    cadre = services.cadre_create(full_name="Nguyễn Văn A", sex="M", birth_date=dt.date(1980, 1, 1),
                                  citizen_id="001080000001", education_level=5, political_theory=3)
    monkeypatch.setattr(profile, "rule_set_for", no_rule_set)
    r = admin.get(f"/cadres/{cadre.pk}/")
    assert r.status_code == 400
    assert "No rule set in force" in r.content.decode()


@pytest.mark.parametrize("url", [
    f"/api/positions/?unit={HUGE}",
    f"/api/payroll-quotas/?unit={HUGE}",
    f"/api/payroll-quotas/?year={HUGE}",
    f"/api/function-holdings/?unit={HUGE}",
    f"/api/power-holdings/?unit={HUGE}",
    f"/api/successions/?plan={HUGE}",
    f"/api/successions/?predecessor=-{HUGE}",
    f"/api/payroll-roadmap/?baseline_year={HUGE}",
])
def test_api_numbers_beyond_64_bits_are_400(admin, url):
    r = admin.get(url)
    assert r.status_code == 400, (url, r.status_code, r.content[:300])
    name = url.split("?")[1].split("=")[0]
    message = r.json()[name][0]
    assert ("Not a valid id." if name not in ("year", "baseline_year") else "Enter a number between") in message


@pytest.mark.parametrize("url", [f"/apparatus/positions/?unit={HUGE}", f"/apparatus/quotas/?unit={HUGE}"])
def test_page_numbers_beyond_64_bits_show_the_form_error(admin, url):
    r = admin.get(url)
    assert r.status_code == 200
    assert "Not a valid id." in r.content.decode()


@pytest.mark.parametrize("query", ["on=0001-01-01&age_under=5", "on=9999-12-31&age_from=5",
                                   "on=1899-12-31", "on=2201-01-01&retiring_within_months=600"])
def test_cadre_dates_out_of_range(admin, query):
    r = admin.get(f"/api/cadres/?{query}")
    assert r.status_code == 400, r.content[:300]
    assert r.json()["on"] == ["Enter a date between 1900-01-01 and 2200-12-31."]
    r = admin.get(f"/cadres/?{query}")
    assert r.status_code == 200
    assert "Enter a date between 1900-01-01 and 2200-12-31." in r.content.decode()


@pytest.mark.parametrize("url", ["/api/units/1/children/?as_of=0001-01-01", "/api/coverage/?as_of=9999-12-31",
                                 "/api/units/?as_of=0001-01-01", "/api/plans/?effective_from=0001-01-01"])
def test_api_as_of_out_of_range(admin, url):
    r = admin.get(url)
    assert r.status_code in (400, 404), (url, r.status_code)


@pytest.mark.parametrize("path", ["/api/cadres/", "/api/units/", "/api/positions/"])
def test_api_page_beyond_any_offset_is_404(admin, path):
    r = admin.get(f"{path}?page={HUGE}")
    assert r.status_code == 404
    assert r.json()["detail"] == "Invalid page."


def test_page_beyond_any_offset_lands_on_the_last_page(admin):
    r = admin.get(f"/cadres/?page={HUGE}")
    assert r.status_code == 200
    r = admin.get(f"/apparatus/units/?page={HUGE}")
    assert r.status_code == 200


@pytest.mark.parametrize("url", ["/apparatus/units/export.xlsx?age_from=%1F", "/apparatus/units/?export=xlsx&q=a%1Fb",
                                 "/apparatus/positions/?export=xlsx&q=%01"])
def test_export_echoes_control_characters_in_the_query_without_failing(admin, url):
    from io import BytesIO

    from openpyxl import load_workbook

    r = admin.get(url)
    assert r.status_code == 200
    info = load_workbook(BytesIO(r.content))["Info"]
    assert any(str(row[0]).startswith("Filter") for row in info.iter_rows(values_only=True))


@pytest.mark.parametrize("url", ["/apparatus/roadmap/?within=%00", "/apparatus/units/?q=a%00", "/apparatus/tree/0%001/children/",
                                 "/cadres/?within=%00", "/changes/?model=%00"])
def test_nul_in_a_page_address_is_400(admin, url):
    """PostgreSQL can neither store nor compare text with NUL: it was a server error there."""
    r = admin.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.content.decode() == "Null characters are not allowed."


@pytest.mark.parametrize("url", ["/api/payroll-roadmap/?within=%00", "/api/units/?q=%00", "/api/cadres/?%00=1",
                                 "/api/units/resolve/?code=01%00"])
def test_nul_in_an_api_query_is_400(admin, url):
    r = admin.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.json() == {"detail": "Null characters are not allowed."}


@pytest.mark.parametrize("content_type", ["application/json", "form"])
def test_nul_in_an_api_body_is_400(admin, content_type):
    """A plan operation's ``data`` is stored as JSON: PostgreSQL refused the NUL with a server error."""
    import json

    from tinhgon.restructuring.models import Operation
    from tinhgon.restructuring.services import plan_create

    plan = plan_create(name="Sáp nhập", effective_date=dt.date(2026, 1, 1))
    operation = {"kind": "rename", "data": {"code": "00004", "name": "Phường\u0000Mới"}}
    if content_type == "form":
        r = admin.post(f"/api/plans/{plan.pk}/operations/", {"kind": "rename", "data": json.dumps(operation["data"])})
    else:
        r = admin.post(f"/api/plans/{plan.pk}/operations/", [operation], content_type=content_type)
    assert r.status_code == 400, r.content[:300]
    message = ["Null characters are not allowed."]
    # the raw body is refused by the parser; JSON text of a form field by the field
    assert r.json() == ({"data": message} if content_type == "form" else {"detail": message[0]})
    assert not Operation.objects.filter(plan=plan).exists()


def test_control_characters_in_records_and_imports_do_not_break_workbooks(admin):
    """A control character in a stored name (the API takes one) or in an uploaded file's row
    (echoed in the error report) made openpyxl refuse the whole workbook."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    services.cadre_create(full_name="Nguyễn\x01Văn\x15A", sex="M", birth_date=dt.date(1980, 1, 1),
                          citizen_id="001080000002", education_level=5, political_theory=3)
    for url in ("/api/cadres/export/?file_format=xlsx", "/cadres/?export=xlsx"):
        r = admin.get(url)
        if r.status_code == 302:  # the page's export is a background job: its file
            from tinhgon.core.testing import job_download

            _job, r = job_download(admin, r)
        assert r.status_code == 200, url
        from tinhgon.core.testing import download_bytes

        names = [c for row in load_workbook(BytesIO(download_bytes(r))).active.iter_rows(values_only=True)
                 for c in row]
        assert "NguyễnVănA" in names
    r = admin.post("/api/cadres/import/", {"file": SimpleUploadedFile("cadres.csv", b"\x15O\r\n")})
    assert r.status_code == 400, r.content[:300]
