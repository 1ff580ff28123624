"""Inspection as a new inspector meets it: an annual plan, an inspection of a party member on
signs of violation, a finding, the conclusion, a reprimand that lands on the cadre's record, a
recommendation; then the counts on the dashboard (inspections held, party development)."""

import datetime as dt
import re

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.cadres.models import Discipline
from tinhgon.inspection.models import Inspection
from tinhgon.inspection.tests.factories import world
from tinhgon.party.tests.factories import member

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_inspection_conclusion_reprimand_dashboard(page):
    units = make_tree(SMALL_TREE)
    w = world(units)
    make_user("kiemtra", role="inspector", scopes=[units["01"]])
    year = dt.date.today().year
    for i in range(20):
        member(w["cell"], name=f"Đảng viên {i}", admission=dt.date(year - 5, 3, 1))
    member(w["cell"], name="Đảng viên mới", admission=dt.date(year, 1, 15), official=None)
    login(page, "kiemtra")

    # 1. The commission's plan for the year.
    page.goto(f"{page.base_url}/inspection/plans/new/")
    page.fill("#id_commission_code", "01-UBKT")
    page.fill("#id_title", f"Chương trình kiểm tra, giám sát năm {year}")
    page.fill("#id_themes", "Thực hiện Quy chế làm việc\nThu, nộp đảng phí")
    page.click(".form-card form button[type=submit]")
    page.wait_for_url(re.compile(r".*/inspection/plans/\d+/$"))
    assert "Thu, nộp đảng phí" in page.content()

    # 2. An inspection of a party member on signs of violation, from the plan.
    page.click("text=Thêm cuộc kiểm tra, giám sát")
    page.select_option("#id_kind", "signs")
    page.fill("#id_title", "Kiểm tra đảng viên Lê Văn Chính khi có dấu hiệu vi phạm")
    page.fill("#id_subject_code", "00001-CB1")
    page.fill("#id_subject_citizen_id", w["full"].citizen_id)
    page.fill("#id_start", f"{year}-01-05")
    page.fill("#id_end", f"{year}-01-30")
    page.click(".form-card form button[type=submit]")
    page.wait_for_url(re.compile(r".*/inspection/\d+/$"))
    insp = Inspection.objects.get()

    # 3. Start, record a finding, conclude.
    page.click("#do-start")
    page.fill("#id_on", f"{year}-01-05")
    page.click(".form-card form button[type=submit]")
    page.click("#do-finding")
    page.fill("#id_topic", "Vi phạm Quy chế làm việc")
    page.select_option("#id_severity", "serious")
    page.fill("#id_found_on", f"{year}-01-12")
    page.click(".form-card form button[type=submit]")
    page.click("#do-conclude")
    page.fill("#id_on", f"{year}-01-28")
    page.fill("#id_conclusion", "Đảng viên có vi phạm Quy chế làm việc, đến mức phải xem xét kỷ luật.")
    page.check("#id_violation")
    page.click(".form-card form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/inspection/{insp.pk}/(#.*)?$"))
    assert "Đã kết luận" in page.locator("h1").inner_text()

    # 4. A measure not allowed (dissolution of a member) is refused with the reason; then a reprimand.
    page.click("#do-measure")
    page.select_option("#id_measure", "giai_tan")
    page.fill("#id_act_date", f"{year - 1}-10-01")
    page.fill("#id_decision_date", f"{year}-02-03")
    page.fill("#id_reason", "Vi phạm Quy chế làm việc")
    page.click(".form-card form button[type=submit]")
    assert "Không áp dụng hình thức Giải tán" in page.content()
    page.select_option("#id_measure", "khien_trach")
    page.fill("#id_decision_number", "15-QĐ/UBKTTU")
    screenshot(page, "inspection-measure")
    page.click(".form-card form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/inspection/{insp.pk}/(#.*)?$"))
    assert Discipline.objects.get(cadre=w["full"]).measure == "khien_trach"
    page.click("#do-recommendation")
    page.fill("#id_text", "Chi bộ kiểm điểm, rút kinh nghiệm; báo cáo kết quả")
    page.click(".form-card form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/inspection/{insp.pk}/(#.*)?$"))
    screenshot(page, "inspection-concluded")

    # 5. The reprimand on the cadre's record.
    page.goto(f"{page.base_url}/cadres/{w['full'].pk}/")
    assert "15-QĐ/UBKTTU" in page.content() or "Khiển trách" in page.content()

    # 6. The dashboard's counts: inspections held this year, party development.
    page.goto(f"{page.base_url}/")
    held = page.locator('[id="panel-inspection.summary"]').inner_text()
    assert f"1\ncuộc kiểm tra năm {year}" in held and "1\nđã kết luận" in held
    party = page.locator('[id="panel-party.development"]').inner_text()
    assert f"20\nđảng viên ngày 1/1/{year}" in party and "5,0%" in party
    screenshot(page, "inspection-dashboard")
