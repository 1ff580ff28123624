"""Web pages of the cadre records: rendering, the search (accents optional, scoped),
masking and the access log, 404 across scopes, forms that refuse bad input and
change nothing, Excel exports, saved searches per user, the concurrent-edit guard."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import selectors, services
from tinhgon.cadres.models import (
    Assignment,
    Cadre,
    Commendation,
    Discipline,
    PersonalDataAccess,
    PoolEntry,
    PoolReview,
    SavedSearch,
    Training,
)
from tinhgon.cadres.rules import retirement
from tinhgon.core.models import ObjectChange

START = dt.date(2021, 1, 1)
TODAY = dt.date.today()


def cid(province: str, sex: str, year: int, n: int) -> str:
    digit = (0 if year < 2000 else 2) + (1 if sex == "F" else 0)
    return f"{province}{digit}{year % 100:02d}{n:06d}"


def person(unit=None, title="Chuyên viên", **kw):
    fields = dict(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17),
                  citizen_id=cid("001", "F", 1990, 12345), education_level=5, political_theory=3)
    fields.update(kw)
    c = services.cadre_create(**fields)
    if unit is not None:
        services.assignment_create(cadre=c, unit=unit, title=title, valid_from=START,
                                   decision_number="12/QĐ-UBND", decision_date=dt.date(2020, 12, 20))
        c.refresh_from_db()
    return c


def retiring_birth_date(sex: str) -> dt.date:
    """A birth date whose statutory retirement falls 75–330 days from today."""
    rule = selectors.retirement_rule()
    for months in range(600, 900):
        i = TODAY.year * 12 + TODAY.month - 1 - months
        born = dt.date(i // 12, i % 12 + 1, 15)
        r = retirement(sex=sex, rule=rule, birth_date=born)
        if TODAY + dt.timedelta(days=75) <= r.retirement_date <= TODAY + dt.timedelta(days=330):
            return born
    raise AssertionError("no birth date found")


@pytest.fixture
def people(tree):
    lan = person(tree["00001"], "Phó Chủ tịch UBND phường")
    services.pool_entry_add(cadre=lan, unit=tree["00001"], title="Phó Chủ tịch UBND", term="2026-2031",
                            added_on=dt.date(2024, 1, 1))
    ha = person(tree["26734"], "Phó Chủ tịch UBND phường", full_name="Phạm Thu Hà",
                citizen_id=cid("079", "F", 1990, 22222))
    services.pool_entry_add(cadre=ha, unit=tree["26734"], title="Phó Chủ tịch UBND", term="2026-2031",
                            added_on=dt.date(2024, 1, 1))
    born = retiring_birth_date("M")
    minh = person(tree["00004"], "Bí thư Đảng ủy", full_name="Lê Văn Minh", sex="M", birth_date=born,
                  citizen_id=cid("001", "M", born.year, 33333), education_level=4, political_theory=3,
                  party_admission_date=dt.date(1995, 3, 3))
    mai = person(tree["001"], "Chuyên viên", full_name="Đỗ Thị Mai", birth_date=dt.date(1975, 1, 1),
                 citizen_id=cid("001", "F", 1975, 44444), education_level=4, political_theory=1)
    return {"lan": lan, "ha": ha, "minh": minh, "mai": mai}


def login(client, user):
    client.force_login(user)
    return client


def names(response) -> list[str]:
    return [row[0]["text"] for row in response.context["rows"]]


def shown(response, text):
    """``text`` (an English msgid) as the response shows it, in whatever language the page is in."""
    with translation.override(response.headers["Content-Language"]):
        return translation.gettext(text)


def _xlsx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def snapshot():
    return tuple(m.objects.count() for m in (Cadre, Assignment, PoolEntry, PoolReview, Training, Commendation,
                                             Discipline, SavedSearch)) + (ObjectChange.objects.count(),)


# Pages render -----------------------------------------------------------------------------------

def test_pages_need_login(client, tree):
    response = client.get(reverse("cadres:cadre_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_page_renders(client, admin_user, people):
    login(client, admin_user)
    lan = people["lan"]
    for url in (reverse("cadres:cadre_list"), reverse("cadres:cadre", args=[lan.pk]),
                reverse("cadres:cadre_edit", args=[lan.pk]), reverse("cadres:cadre_create"),
                reverse("cadres:retiring"), reverse("cadres:cadre_list") + "?q=lan&sex=F&party_member=false"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("cadres:cadre", args=[lan.pk])).content.decode()
    assert "Phó Chủ tịch UBND phường" in page and "12/QĐ-UBND" in page and "20/12/2020" in page
    assert "Phó Chủ tịch UBND" in page and "2026-2031" in page  # planning pool
    assert "retirement-labor-code-2019" in page  # the rule set that produced the date


def test_menu_entry(client, hanoi_viewer):
    login(client, hanoi_viewer)
    assert reverse("cadres:cadre_list") in client.get(reverse("cadres:cadre_list")).content.decode()


# Search -----------------------------------------------------------------------------------------

def test_search_without_accents_and_criteria(client, hanoi_viewer, people):
    login(client, hanoi_viewer)
    url = reverse("cadres:cadre_list")
    assert names(client.get(url, {"q": "nguyen thi lan"})) == ["Nguyễn Thị Lan"]
    # women under 40 with a master's or higher and advanced theory, in the pool for deputy chair, in my province
    r = client.get(url, {"sex": "F", "age_under": 40, "education_min": 5, "political_theory_min": 3,
                         "pool_title": "phó chủ tịch"})
    assert names(r) == ["Nguyễn Thị Lan"]  # Phạm Thu Hà (Hồ Chí Minh City) is outside the scope
    assert set(names(client.get(url))) == {"Nguyễn Thị Lan", "Lê Văn Minh", "Đỗ Thị Mai"}
    assert names(client.get(url, {"party_member": "true"})) == ["Lê Văn Minh"]
    assert names(client.get(url, {"retiring_within_months": 12})) == ["Lê Văn Minh"]
    assert names(client.get(url, {"within": "001", "age_from": 45, "age_under": 55})) == ["Đỗ Thị Mai"]
    r = client.get(url, {"age_under": "abc"})
    assert r.status_code == 200 and r.context["rows"] == [] and r.context["form"].errors


def test_broad_search_count_is_capped(client, admin_user, people, monkeypatch):
    from tinhgon.cadres.views import search
    from tinhgon.core import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    monkeypatch.setattr(search, "PAGE_SIZE", 1)
    login(client, admin_user)
    url = reverse("cadres:cadre_list")
    r = client.get(url)
    page = r.content.decode()
    assert "data-count-exact" in page and shown(r, "count them all") in page
    assert r.context["page"].has_next() and len(names(r)) == 1
    r = client.get(url, {"page": 3})  # paging on counts further: 4 rows in all, now exact
    assert r.context["page"].paginator.count == 4 and "data-count-exact" not in r.content.decode()
    r = client.get(url, {"count": "exact"})
    assert r.context["page"].paginator.count == 4 and r.context["page"].paginator.num_pages == 4


def _export(client, params):
    """The list's export: a background job; the file comes from the job's page."""
    from tinhgon.core.testing import download_bytes, job_download

    job, response = job_download(client, client.get(reverse("cadres:cadre_list"), params))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    return load_workbook(io.BytesIO(download_bytes(response)), read_only=True)


def test_export_with_bad_criteria_starts_nothing(client, admin_user, people):
    from tinhgon.core.models import Job

    login(client, admin_user)
    url = reverse("cadres:cadre_list")
    r = client.get(url, {"export": "xlsx", "within": "99999"}, follow=True)
    assert r["Content-Type"].startswith("text/html") and r.redirect_chain[-1][0].endswith("?within=99999")
    assert any(m.level_tag == "error" for m in r.context["messages"])
    assert not Job.objects.exists()


def test_admin_sees_every_province(client, admin_user, people):
    login(client, admin_user)
    r = client.get(reverse("cadres:cadre_list"), {"sex": "F", "pool_title": "Phó Chủ tịch"})
    assert set(names(r)) == {"Nguyễn Thị Lan", "Phạm Thu Hà"}


def test_export_masks_personal_data_for_viewers(client, hanoi_viewer, people):
    login(client, hanoi_viewer)
    rows = list(_export(client, {"q": "lan", "export": "xlsx"}).worksheets[0].values)
    header, first = rows[0], rows[1]
    assert len(rows) == 2 and first[0] == "Nguyễn Thị Lan"
    assert first[header.index("Số CCCD")] == "001******345"
    assert first[header.index("Ngày sinh")] in (None, "")
    assert PersonalDataAccess.objects.count() == 0


def test_export_unmasked_is_logged(client, hn_organizer, people):
    login(client, hn_organizer)
    rows = list(_export(client, {"export": "xlsx"}).worksheets[0].values)
    assert len(rows) == 4
    header = rows[0]
    assert {r[header.index("Số CCCD")] for r in rows[1:]} == {c.citizen_id for k, c in people.items() if k != "ha"}
    assert PersonalDataAccess.objects.filter(channel="export", user=hn_organizer).count() == 3


# Saved searches -------------------------------------------------------------------------------------

def test_saved_searches_are_per_user(client, hanoi_viewer, tree, people):
    other = make_user("hn-other", role="viewer", scopes=[tree["01"]])
    login(client, hanoi_viewer)
    r = client.post(reverse("cadres:saved_search_create"), {"name": "Nữ dưới 40", "sex": "F", "age_under": "40"})
    assert r.status_code == 302
    saved = SavedSearch.objects.get(user=hanoi_viewer)
    assert saved.params == {"sex": "F", "age_under": "40"}
    r = client.get(reverse("cadres:cadre_list"))
    assert [s["obj"].name for s in r.context["saved"]] == ["Nữ dưới 40"]
    r = client.get(reverse("cadres:cadre_list") + "?" + r.context["saved"][0]["query"])
    assert names(r) == ["Nguyễn Thị Lan"] and r.context["saved"][0]["active"]
    # an empty name or no criteria: nothing saved
    client.post(reverse("cadres:saved_search_create"), {"name": " ", "sex": "F"})
    client.post(reverse("cadres:saved_search_create"), {"name": "Tất cả"})
    assert SavedSearch.objects.count() == 1

    login(client, other)
    assert client.get(reverse("cadres:cadre_list")).context["saved"] == []
    assert client.post(reverse("cadres:saved_search_delete", args=[saved.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
    login(client, hanoi_viewer)
    assert client.post(reverse("cadres:saved_search_delete", args=[saved.pk])).status_code == 302
    assert not SavedSearch.objects.exists()


# Profile, masking, scopes ----------------------------------------------------------------------------

def test_profile_masks_for_viewers_and_logs_unmasked_views(client, hanoi_viewer, hn_organizer, people):
    lan = people["lan"]
    url = reverse("cadres:cadre", args=[lan.pk])
    page = login(client, hanoi_viewer).get(url).content.decode()
    assert "001******345" in page and lan.citizen_id not in page and "17/05/1990" not in page
    assert PersonalDataAccess.objects.count() == 0
    page = login(client, hn_organizer).get(url).content.decode()
    assert lan.citizen_id in page and "17/05/1990" in page
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.cadre, log.channel) == (hn_organizer, lan, "web")


def test_other_province_is_404(client, hn_organizer, people):
    ha = people["ha"]
    login(client, hn_organizer)
    for url in (reverse("cadres:cadre", args=[ha.pk]), reverse("cadres:cadre_edit", args=[ha.pk])):
        assert client.get(url).status_code == 404
    before = snapshot()
    r = client.post(reverse("cadres:section_add", args=[ha.pk, "training"]),
                    {"training-program": "Lớp bồi dưỡng", "training-kind": "professional",
                     "training-start": "2024-01-01"})
    assert r.status_code == 404 and snapshot() == before


def test_viewer_cannot_change(client, hanoi_viewer, people):
    lan = people["lan"]
    login(client, hanoi_viewer)
    page = client.get(reverse("cadres:cadre", args=[lan.pk])).content.decode()
    assert reverse("cadres:cadre_edit", args=[lan.pk]) not in page
    assert client.get(reverse("cadres:cadre_edit", args=[lan.pk])).status_code == 404
    assert client.get(reverse("cadres:cadre_create")).status_code == 404
    before = snapshot()
    r = client.post(reverse("cadres:section_add", args=[lan.pk, "commendation"]),
                    {"commendation-title": "Bằng khen", "commendation-date": "2024-01-01"})
    assert r.status_code == 404 and snapshot() == before


# Section forms ---------------------------------------------------------------------------------------

SECTION_OK = {
    "training": ({"training-program": "Cao cấp lý luận chính trị", "training-kind": "political",
                  "training-start": "2023-03-01", "training-end": "2024-06-30"}, Training),
    "commendation": ({"commendation-title": "Bằng khen UBND Thành phố", "commendation-date": "2024-01-15"},
                     Commendation),
    "discipline": ({"discipline-measure": "khien_trach", "discipline-body": "party",
                    "discipline-decision_date": "2024-02-01", "discipline-effective_date": "2024-02-01"},
                   Discipline),
    "pool": ({"pool-unit_code": "00001", "pool-title": "Chủ tịch UBND", "pool-term": "2026-2031",
              "pool-added_on": "2024-05-01"}, PoolEntry),
    "career": ({"assignment-unit_code": "001", "assignment-title": "Ủy viên Ban Chấp hành", "assignment-kind": "election",
                "assignment-valid_from": "2022-01-01", "assignment-decision_number": "5-QĐ/QU"}, Assignment),
}


@pytest.mark.parametrize("section", list(SECTION_OK))
def test_section_add_by_htmx(client, hn_clerk, people, section):
    data, model = SECTION_OK[section]
    lan = people["lan"]
    login(client, hn_clerk)
    before = model.objects.count()
    r = client.post(reverse("cadres:section_add", args=[lan.pk, section]), data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200, r.content.decode()[:2000]
    body = r.content.decode()
    assert f'id="sec-{section}"' in body and 'hx-swap-oob="true"' in body and "errorlist" not in body
    assert model.objects.count() == before + 1


SECTION_BAD = [
    ("training", {"training-program": "X", "training-kind": "political", "training-start": "2024-06-30",
                  "training-end": "2024-01-01"}, "end"),
    ("training", {"training-program": "", "training-kind": "political", "training-start": "2024-06-30"},
     "program"),
    ("discipline", {"discipline-measure": "canh_cao", "discipline-body": "party",
                    "discipline-decision_date": "2024-02-01", "discipline-effective_date": "2024-01-01"},
     "effective_date"),
    ("career", {"assignment-unit_code": "26734", "assignment-title": "Phó Bí thư", "assignment-kind": "appointment",
                "assignment-valid_from": "2022-01-01"}, "unit_code"),  # a unit outside the scope
    ("career", {"assignment-unit_code": "00004", "assignment-title": "Phó Bí thư", "assignment-kind": "appointment",
                "assignment-valid_from": "2022-01-01", "assignment-is_primary": "on"}, "valid_from"),  # 2 primaries
    ("career", {"assignment-unit_code": "00004", "assignment-title": "Phó Bí thư", "assignment-kind": "rotation",
                "assignment-valid_from": "2022-01-01"}, "planned_return"),
    ("pool", {"pool-unit_code": "00001", "pool-title": "Phó Chủ tịch UBND", "pool-term": "2026-2031",
              "pool-added_on": "2024-05-01"}, "title"),  # already in that pool
    ("commendation", {"commendation-title": "Bằng khen", "commendation-date": "15/13/2024"}, "date"),
]


@pytest.mark.parametrize(("section", "data", "field"), SECTION_BAD,
                         ids=[f"{s}-{f}-{i}" for i, (s, _d, f) in enumerate(SECTION_BAD)])
def test_section_add_refuses_bad_input(client, hn_clerk, people, section, data, field):
    lan = people["lan"]
    login(client, hn_clerk)
    before = snapshot()
    r = client.post(reverse("cadres:section_add", args=[lan.pk, section]), data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    prefix = {"career": "assignment"}.get(section, section)
    form = r.context["bound"]
    assert field in form.errors, form.errors
    assert f'id="id_{prefix}-{field}"' in r.content.decode() and "errorlist" in r.content.decode()
    assert snapshot() == before
    # without HTMX: the whole page, status 400, nothing written
    r = client.post(reverse("cadres:section_add", args=[lan.pk, section]), data)
    assert r.status_code == 400 and snapshot() == before


def test_assignment_end_and_pool_review(client, hn_clerk, people):
    lan = people["lan"]
    a = lan.assignments.get()
    entry = lan.pool_entries.get()
    login(client, hn_clerk)
    before = snapshot()
    r = client.post(reverse("cadres:assignment_end", args=[lan.pk, a.pk]), {f"end-{a.pk}-on": "2020-01-01"},
                    HTTP_HX_REQUEST="true")
    assert "on" in r.context["bound"].errors and snapshot() == before
    r = client.post(reverse("cadres:assignment_end", args=[lan.pk, a.pk]), {f"end-{a.pk}-on": "2025-07-01"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.valid_to == dt.date(2025, 7, 1)
    r = client.post(reverse("cadres:pool_review_add", args=[lan.pk, entry.pk]),
                    {f"review-{entry.pk}-date": "2025-01-10", f"review-{entry.pk}-result": "remove",
                     f"review-{entry.pk}-note": "Không đủ tiêu chuẩn"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    entry.refresh_from_db()
    assert entry.status == PoolEntry.REMOVED and entry.reviews.count() == 1


def test_discipline_shows_in_eligibility(client, hn_clerk, people):
    lan = people["lan"]
    login(client, hn_clerk)
    today = TODAY.isoformat()
    r = client.post(reverse("cadres:section_add", args=[lan.pk, "discipline"]),
                    {"discipline-measure": "canh_cao", "discipline-body": "party", "discipline-decision_date": today,
                     "discipline-effective_date": today}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert 'id="eligibility"' in body and escape(shown(r, "Not eligible")) in body


# Create and edit -------------------------------------------------------------------------------------

CREATE = {"full_name": "Trần Văn Bình", "sex": "M", "birth_date": "1980-04-02",
          "citizen_id": cid("001", "M", 1980, 55555), "education_level": "4", "political_theory": "2",
          "state_management": "1", "ethnicity": "Kinh", "first-unit_code": "00004",
          "first-title": "Phó Chủ tịch UBND phường", "first-valid_from": "2024-01-01"}


def test_create_with_first_position(client, hn_clerk, tree):
    login(client, hn_clerk)
    r = client.post(reverse("cadres:cadre_create"), CREATE)
    assert r.status_code == 302
    c = Cadre.objects.get(full_name="Trần Văn Bình")
    assert c.unit_id == tree["00004"].pk and c.current_title == "Phó Chủ tịch UBND phường"
    assert r["Location"] == reverse("cadres:cadre", args=[c.pk])


@pytest.mark.parametrize(("change", "field"), [
    ({"citizen_id": "00108012345"}, "citizen_id"),
    ({"citizen_id": cid("001", "F", 1980, 55555)}, "citizen_id"),  # says woman
    ({"birth_date": "2999-01-01"}, "birth_date"),
    ({"full_name": ""}, "full_name"),
    ({"retirement_adjust_months": "-24"}, "retirement_adjust_basis"),
    ({"first-unit_code": "26734"}, "unit_code"),  # outside the scope
    ({"first-unit_code": ""}, "unit_code"),  # a scoped clerk must place the record
    ({"first-valid_from": "1990-01-01"}, "valid_from"),  # would be under 18 (and before the unit)
])
def test_create_refuses_bad_input(client, hn_clerk, tree, change, field):
    login(client, hn_clerk)
    before = snapshot()
    r = client.post(reverse("cadres:cadre_create"), {**CREATE, **change})
    assert r.status_code == 400
    errors = {**r.context["form"].errors, **r.context["first"].errors}
    assert field in errors, errors
    assert snapshot() == before


def test_edit_and_concurrent_edit(client, hn_organizer, people):
    lan = people["lan"]
    login(client, hn_organizer)
    url = reverse("cadres:cadre_edit", args=[lan.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(birth_date="1990-05-17", education_field="Luật", lock_version=lan.lock_version)
    stale = dict(data, education_field="Kinh tế")
    assert client.post(url, data).status_code == 302
    lan.refresh_from_db()
    assert lan.education_field == "Luật" and lan.lock_version == 1
    r = client.post(url, stale)  # opened before the first save
    assert r.status_code == 400
    body = r.content.decode()
    message = shown(r, "Someone else changed this record after you opened it. Reload it and apply your changes again.")
    assert escape(message) in body and 'value="Kinh tế"' in body
    assert [c["theirs"] for c in r.context["conflicts"]] == ["Luật"]
    lan.refresh_from_db()
    assert lan.education_field == "Luật"
    # saving again (the form now carries the current lock_version) applies the user's value knowingly
    assert client.post(url, {**stale, "lock_version": 1}).status_code == 302
    lan.refresh_from_db()
    assert lan.education_field == "Kinh tế"


def test_edit_without_personal_data_hides_it(client, hn_clerk, people):
    lan = people["lan"]
    login(client, hn_clerk)
    url = reverse("cadres:cadre_edit", args=[lan.pk])
    r = client.get(url)
    assert lan.citizen_id not in r.content.decode() and "citizen_id" not in r.context["form"].fields
    data = {k: v for k, v in r.context["form"].initial.items() if v is not None and k in r.context["form"].fields}
    data["religion"] = "Phật giáo"
    assert client.post(url, data).status_code == 302
    lan.refresh_from_db()
    assert lan.religion == "Phật giáo" and lan.citizen_id == cid("001", "F", 1990, 12345)
    assert lan.birth_date == dt.date(1990, 5, 17)


def test_edit_refuses_bad_input(client, hn_organizer, people):
    lan = people["lan"]
    login(client, hn_organizer)
    url = reverse("cadres:cadre_edit", args=[lan.pk])
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    before = snapshot()
    r = client.post(url, {**data, "citizen_id": people["mai"].citizen_id})
    assert r.status_code == 400 and "citizen_id" in r.context["form"].errors and snapshot() == before


# Retiring ------------------------------------------------------------------------------------------

def test_retiring_page_and_export(client, hanoi_viewer, people):
    login(client, hanoi_viewer)
    r = client.get(reverse("cadres:retiring"))
    assert r.status_code == 200 and names(r) == ["Lê Văn Minh"] and r.context["months"] == 12
    assert names(client.get(reverse("cadres:retiring"), {"months": 1})) == []
    assert names(client.get(reverse("cadres:retiring"), {"within": "250"})) == []
    assert client.get(reverse("cadres:retiring"), {"within": "79"}).context["form"].errors  # outside the scope
    wb = _xlsx(client.get(reverse("cadres:retiring"), {"months": 12, "export": "xlsx"}))
    rows = list(wb.worksheets[0].values)
    assert rows[1][0] == "Lê Văn Minh" and isinstance(rows[1][5], dt.datetime)
    assert rows[1][2] == str(people["minh"].birth_year)  # the birth date is masked to the year
