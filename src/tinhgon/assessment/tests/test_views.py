"""Pages of the assessment: the cycle and its workflow, a result and why, the sheets, the lists."""

import datetime as dt
import io
import re
import zlib

import openpyxl
import pytest

from tinhgon.assessment import services
from tinhgon.assessment.models import Cycle, Result

from .factories import Q1, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree):
    return make_world(tree)


@pytest.fixture
def approved(world):
    c = services.cycle_create(user=world.clerk, unit=world.unit, kind=Cycle.QUARTERLY, period_start=Q1[0],
                              period_end=Q1[1])
    services.cycle_compute(user=world.clerk, cycle=c)
    for r in Result.objects.filter(cycle=c):
        services.result_review(user=world.clerk, result=r, general_points="29", remarks="Tích cực, trách nhiệm")
    services.cycle_compute(user=world.clerk, cycle=c)
    Cycle.objects.filter(pk=c.pk).update(status=Cycle.COUNCIL)
    services.cycle_approve(user=world.leader, cycle=Cycle.objects.get(pk=c.pk))
    return Cycle.objects.get(pk=c.pk)


def test_create_and_walk_a_cycle_in_the_pages(client, world):
    client.force_login(world.clerk)
    r = client.post("/assessment/new/", {"unit": "00001", "period": "2026-Q1", "audience": "persons", "label": ""})
    assert r.status_code == 302
    cycle = Cycle.objects.get()
    assert cycle.kind == Cycle.QUARTERLY and cycle.period_end == dt.date(2026, 3, 31)
    page = client.get(f"/assessment/{cycle.pk}/")
    assert page.status_code == 200 and b"Not computed yet" in page.content or "Chưa tính".encode() in page.content
    services.cycle_compute(user=world.clerk, cycle=cycle)
    page = client.get(f"/assessment/{cycle.pk}/").content.decode()
    assert "Lê Thị Xuất Sắc" in page
    r = client.post(f"/assessment/{cycle.pk}/advance/")
    assert r.status_code == 302
    res = Result.objects.get(cycle=cycle, cadre=world.people[0])
    r = client.post(f"/assessment/results/{res.pk}/save/", {"form": "review", "review-general_points": "31"})
    assert r.status_code == 400
    r = client.post(f"/assessment/results/{res.pk}/save/", {"form": "review", "review-general_points": "29.5",
                                                       "review-remarks": "Tốt"})
    assert r.status_code == 302
    res.refresh_from_db()
    assert str(res.general_points) == "29.50"


def test_bad_create_input(client, world):
    client.force_login(world.clerk)
    for data in ({"unit": "99999", "period": "2026-Q1", "audience": "persons"},
                 {"unit": "00001", "period": "2026-13", "audience": "persons"},
                 {"unit": "26734", "period": "2026-Q1", "audience": "persons"}):  # outside the clerk's scope
        assert client.post("/assessment/new/", data).status_code == 400
    assert not Cycle.objects.exists()


def test_result_page_explains_the_level(client, world, approved):
    client.force_login(world.clerk)
    res = Result.objects.get(cycle=approved, cadre=world.people[0])
    page = client.get(f"/assessment/results/{res.pk}/").content.decode()
    assert "k = " in page and "335/2025" in page
    # locked: no form posts
    assert client.post(f"/assessment/results/{res.pk}/save/", {"form": "review", "review-general_points": "10"}
                       ).status_code == 404


def _pdf_text_maps(data: bytes) -> str:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            out.append(m.group(1).decode("latin-1"))
    return "\n".join(out)


def test_council_sheet_excel_and_pdf(client, world, approved):
    client.force_login(world.clerk)
    r = client.get(f"/assessment/{approved.pk}/sheet/?format=xlsx")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 6 and "Lê Thị Xuất Sắc" in {row[0] for row in rows}
    r = client.get(f"/assessment/{approved.pk}/sheet/?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = _pdf_text_maps(r.content)
    assert "DejaVu Sans" in text  # the embedded font, with full Vietnamese coverage
    # the ToUnicode map of the embedded font maps glyphs to ê (00EA), ệ (1EC7), ắ (1EAF), ơ (01A1)
    for code in ("00EA", "1EC7", "1EAF", "01A1"):
        assert re.search(rf"<{code}>", text, re.I), code


def test_units_and_lists(client, world, approved):
    client.force_login(world.clerk)
    r = client.get(f"/assessment/{approved.pk}/units/")
    assert r.status_code == 200 and "Phường Phúc Xá" in r.content.decode()
    assert client.get(f"/assessment/{approved.pk}/units/?export=xlsx").status_code == 200
    for which in ("top", "not-completed-twice", "weak-unit-leaders"):
        assert client.get(f"/assessment/lists/{which}/?on=2026-06-30").status_code == 200
        assert client.get(f"/assessment/lists/{which}/?export=xlsx").status_code == 200
    assert client.get("/assessment/lists/nope/").status_code == 404


def test_not_completed_twice_and_weak_leaders(client, world):
    from tinhgon.assessment import lists

    d = world.people[3]
    for year in (2024, 2025):
        c = Cycle.objects.create(label=f"Năm {year}", kind=Cycle.ANNUAL, period_start=dt.date(year, 1, 1),
                                 period_end=dt.date(year, 12, 31), unit=world.unit, scope_path=world.unit.path,
                                 rule_set="assessment-90-2020-48-2023", status=Cycle.APPROVED)
        Result.objects.create(cycle=c, cadre=d, unit_path=d.unit_path, level="not_completed")
        Result.objects.create(cycle=c, cadre=world.people[0], unit_path=d.unit_path, level="excellent", score=None)
    pairs = lists.not_completed_twice(world.clerk, on=dt.date(2026, 2, 1))
    assert [p[0].cadre_id for p in pairs] == [d.pk]
    top = lists.top_not_in_pool(world.clerk, on=dt.date(2026, 2, 1))
    assert [r.cadre_id for r in top] == [world.people[0].pk]
    page = client.get("/")
    client.force_login(world.clerk)
    assert "Đỗ Văn Chậm" in client.get("/assessment/lists/not-completed-twice/?on=2026-02-01").content.decode()
    assert page.status_code in (200, 302)


def test_reopen_an_approved_cycle_in_the_pages(client, world, approved):
    """The reopen page asks for the reason; without one nothing changes, with one the cycle goes back to the
    council and the reason is in its history. A clerk (no approval right) gets no such page."""
    from tinhgon.assessment.models import CycleEvent

    url = f"/assessment/{approved.pk}/reopen/"
    client.force_login(world.clerk)
    assert client.get(url).status_code in (403, 404)
    client.force_login(world.leader)
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert client.post(url, {"reason": "  "}).status_code == 400
    assert Cycle.objects.get(pk=approved.pk).status == Cycle.APPROVED
    r = client.post(url, {"reason": "Phát hiện sai sót điểm"})
    assert r.status_code == 302
    c = Cycle.objects.get(pk=approved.pk)
    assert c.status == Cycle.COUNCIL and c.approved_on is None
    assert CycleEvent.objects.filter(cycle=c, kind=CycleEvent.REOPENED, reason="Phát hiện sai sót điểm").exists()
    assert "Phát hiện sai sót điểm" in client.get(f"/assessment/{c.pk}/").content.decode()
