"""Small counts of denunciations (a unit, a month, a subject with one or two) read "< k" in the
report, its Excel, the hot-spot evidence (pages, Excel, API) and the deadline lists per unit and
leader; k is the setting TINHGON_PETITIONS_SMALL_COUNT."""

import datetime as dt
import io

import openpyxl
import pytest

from tinhgon.petitions import protection, selectors, services
from tinhgon.petitions.models import HotSpot
from tinhgon.petitions.protection import Suppressed, small

from .factories import people, receive

pytestmark = pytest.mark.django_db


def test_small():
    assert small(0) == 0 and small(1) == "< 3" and small(2) == "< 3" and small(3) == 3
    assert small(1, 1) == 1 and isinstance(small(2, 5), Suppressed)
    assert small(None) is None


def _denunciation(user, **over):
    fields = {"petitioners": people("Người Tố Cáo"), **over}
    return receive(user=user, kind="denunciation", subject="cadre_conduct", title="Tố cáo cán bộ phường", **fields)


def test_report_suppresses_small_denunciation_cells(client, tree, hn_clerk, settings):
    _denunciation(hn_clerk)
    for _i in range(4):
        receive(user=hn_clerk)
    client.force_login(hn_clerk)
    raw = selectors.report(selectors.petitions_for(hn_clerk), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                           by="kind")
    rows = protection.protect_report(raw, "kind")
    den = next(r for r in rows if r["k"] == "denunciation")
    assert den["received"] == "< 3" and den["suppressed"]
    assert next(r for r in rows if r["k"] == "complaint")["received"] == 4
    page = client.get("/petitions/report/?by=unit&start=2026-01-01&end=2026-12-31").content.decode()
    assert "&lt; 3" in page
    r = client.get("/petitions/report/?by=kind&start=2026-01-01&end=2026-12-31&export=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row]
    assert "< 3" in cells
    settings.TINHGON_PETITIONS_SMALL_COUNT = 1
    page = client.get("/petitions/report/?by=kind&start=2026-01-01&end=2026-12-31").content.decode()
    assert "&lt; 3" not in page and "&lt; 1" not in page


def test_hotspot_evidence_and_deadline_lists(api_client, client, tree, hn_clerk):
    p = _denunciation(hn_clerk, received_on=dt.date.today(), people=30,
                      petitioners=people("Người Tố Cáo", "Người Thứ Hai"))
    spot = HotSpot.objects.get()
    assert spot.evidence["denunciations"] == 1 and spot.evidence["contacts"] == 1
    assert spot.shown_evidence["contacts"] == "< 3" and spot.shown_evidence["people"] == 30
    api_client.force_authenticate(hn_clerk)
    ev = api_client.get(f"/api/hotspots/{spot.pk}/").json()["evidence"]
    assert ev["contacts"] == "< 3" and ev["people"] == 30
    client.force_login(hn_clerk)
    assert "&lt; 3" in client.get(f"/petitions/hotspots/{spot.pk}/").content.decode()
    r = client.get("/petitions/hotspots/?export=xlsx")
    cells = [c for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
    assert "< 3" in cells
    # an overdue denunciation: its unit's and its leader's counts read "< 3"
    old = _denunciation(hn_clerk)
    services.petition_accept(user=hn_clerk, petition=old, on=dt.date(2026, 3, 3))
    lists = selectors.deadline_lists(hn_clerk)
    assert [r["overdue"] for r in lists["units"]] == ["< 3"]
    assert "&lt; 3" in client.get("/petitions/deadlines/").content.decode()
    assert p.pk != old.pk


def test_deadline_calculator_page(client, tree, hn_clerk):
    from tinhgon.core.models import ObjectChange
    from tinhgon.petitions.models import DaySwap

    client.force_login(hn_clerk)
    assert client.get("/petitions/deadlines/calculator/").status_code == 200
    before = ObjectChange.objects.count()
    # accepted 15/01/2026: 30 days end on Saturday 14/02, then Tết: Monday 23/02
    r = client.get("/petitions/deadlines/calculator/", {"kind": "complaint", "round": 1, "accepted": "2026-01-15",
                                                         "complexity": "normal", "extensions": 0})
    page = r.content.decode()
    assert r.status_code == 200
    assert "23/02/2026" in page and "14/02/2026" in page and "petitions-2011-2018" in page
    assert "Tết Nguyên Đán" in page
    for bad in ({"kind": "complaint", "accepted": "2026-09-01", "extensions": 1},
                {"kind": "complaint", "accepted": "2010-01-01"}, {"kind": "x", "accepted": "2026-09-01"},
                {"kind": "complaint", "accepted": "2026-13-01"}):
        assert client.get("/petitions/deadlines/calculator/", bad).status_code == 400, bad
    assert ObjectChange.objects.count() == before
    DaySwap.objects.create(day_off=dt.date(2026, 2, 23), work_day=dt.date(2026, 2, 28), decision="QĐ thử hoán đổi")
    page = client.get("/petitions/deadlines/calculator/", {"kind": "complaint", "round": 1, "accepted": "2026-01-15",
                                                           "complexity": "normal", "extensions": 0}).content.decode()
    assert "24/02/2026" in page and "QĐ thử hoán đổi" in page
    page = client.get("/petitions/deadlines/calculator/", {"kind": "recommendation", "round": 1,
                                                           "accepted": "2026-01-15", "complexity": "normal",
                                                           "extensions": 0}).content.decode()
    assert "petitions-2011-2018" in page


def test_the_total_does_not_give_a_suppressed_cell_back(client, tree, hn_clerk):
    _denunciation(hn_clerk)
    for _i in range(4):
        receive(user=hn_clerk)
    raw = selectors.report(selectors.petitions_for(hn_clerk), start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                           by="kind")
    rows = protection.protect_report(raw, "kind")
    total = protection.protect_totals(selectors.totals(raw), rows)
    assert total["received"] == "> 4" and total["denunciations"] == "> 0"
    client.force_login(hn_clerk)
    page = client.get("/petitions/report/?by=kind&start=2026-01-01&end=2026-12-31").content.decode()
    assert "&gt; 4" in page


def test_deadline_calculator_in_english(client, tree, hn_clerk, settings):
    from django.conf import settings as django_settings

    client.force_login(hn_clerk)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/petitions/deadlines/calculator/", {"kind": "complaint", "round": 1, "accepted": "2026-01-15",
                                                           "complexity": "normal", "extensions": 0}).content.decode()
    assert "Deadline calculator" in page and "Lunar New Year" in page and "Days off stepped over" in page


def test_a_matter_links_the_calculator_of_its_deadline(client, tree, hn_clerk):
    import re

    p = receive(user=hn_clerk, received_on=dt.date(2026, 1, 14))
    services.petition_accept(user=hn_clerk, petition=p, on=dt.date(2026, 1, 15))
    client.force_login(hn_clerk)
    page = client.get(f"/petitions/{p.pk}/").content.decode()
    href = re.search(r'href="(/petitions/deadlines/calculator/\?[^"]+)"', page).group(1).replace("&amp;", "&")
    r = client.get(href)
    assert r.status_code == 200 and "23/02/2026" in r.content.decode()
