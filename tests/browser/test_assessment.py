"""The assessment as a new user meets it: create a quarterly cycle for a ward, compute it from the
tasks, write a self-assessment, review everyone as the direct leader, compute again, take it
through the council to approval, read why a person got their level, export the council sheet,
and see the "some up, some down" lists on the dashboard."""

import pytest

from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.assessment.models import Cycle, Result
from tinhgon.assessment.tests.factories import make_world
from tinhgon.cadres.tests.factories import CadreFactory

from .conftest import login, run_queued_jobs, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _compute(page):
    page.click("#compute")
    page.wait_for_url("**/assessment/*/?job=*")
    assert run_queued_jobs() == 1
    page.goto(page.url.split("?")[0])


def test_quarterly_cycle_from_self_assessment_to_approval(page):
    world = make_world(make_tree(SMALL_TREE))
    extras = [CadreFactory(full_name=f"Hoàng Thị Chuyên Viên {i}", unit=world.unit) for i in range(6)]
    login(page, world.leader.username)

    # 1. A new cycle: the unit's code and the quarter.
    page.goto(f"{page.base_url}/assessment/")
    page.click("#new-cycle")
    page.fill("#id_unit", "00001")
    page.fill("#id_period", "2026-Q1")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/assessment/*/")
    cycle = Cycle.objects.get()
    assert "Quý I/2026" in page.locator("h1").inner_text()

    # 2. Computed from the tasks of the quarter, as a background job.
    _compute(page)
    table = page.locator("#results-table")
    assert "Lê Thị Xuất Sắc" in table.inner_text() and "chờ nhận xét" in table.inner_text()
    screenshot(page, "assessment-computed")

    # 3. Self-assessment of one person, then on to the direct leader's review.
    best = Result.objects.get(cycle=cycle, cadre=world.people[0])
    page.goto(f"{page.base_url}/assessment/results/{best.pk}/")
    page.fill("#id_self-text", "Hoàn thành vượt mức hai nhiệm vụ của quý, chủ động tham mưu.")
    page.select_option("#id_self-level", "excellent")
    page.click("#save-self")
    page.goto(f"{page.base_url}/assessment/{cycle.pk}/")
    page.click("#advance")
    assert "Cấp trên trực tiếp nhận xét" in page.locator("#cycle-status").inner_text()

    # 4. Approving with reviews missing is refused; the leader reviews everyone.
    points = {world.people[0].pk: "29", world.people[1].pk: "28", world.people[2].pk: "28",
              world.people[3].pk: "15", world.head.pk: "27", **{c.pk: "25" for c in extras}}
    page.click("#compute")  # recomputing is allowed at any stage before approval
    run_queued_jobs()
    for result in Result.objects.filter(cycle=cycle):
        page.goto(f"{page.base_url}/assessment/results/{result.pk}/")
        page.fill("#id_review-general_points", points[result.cadre_id])
        page.fill("#id_review-remarks", "Chấp hành tốt kỷ luật, kỷ cương hành chính.")
        page.click("#save-review")
        page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}/assessment/{cycle.pk}/")
    assert page.locator("#missing-reviews").inner_text() == "0"
    _compute(page)
    page.click("#advance")
    page.click("#approve")
    assert "Đã phê duyệt" in page.locator("#cycle-status").inner_text()
    screenshot(page, "assessment-approved")

    # 5. Why each person got their level: the cap kept the best and moved the next ones down.
    levels = dict(Result.objects.filter(cycle=cycle).values_list("cadre_id", "level"))
    assert levels[world.people[0].pk] == "excellent"
    assert levels[world.people[1].pk] == "good" and levels[world.people[3].pk] == "not_completed"
    moved = Result.objects.get(cycle=cycle, cadre=world.people[1])
    assert moved.moved_down
    page.goto(f"{page.base_url}/assessment/results/{moved.pk}/")
    why = page.locator("#explanation").inner_text()
    assert "k = 1" in why and "chuyển xuống hoàn thành tốt" in why and "Nghị định 335/2025" in why
    screenshot(page, "assessment-why")

    # 6. The council sheet, in Excel and PDF.
    page.goto(f"{page.base_url}/assessment/{cycle.pk}/")
    with page.expect_download() as xlsx:
        page.click("#sheet-xlsx")
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as pdf:
        page.click("#sheet-pdf")
    with open(pdf.value.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    # 7. The dashboard of the scope shows "some up, some down".
    page.goto(f"{page.base_url}/")
    panel = page.locator("text=Có lên, có xuống")
    panel.first.wait_for()
    assert "Lê Thị Xuất Sắc" in page.content()
    screenshot(page, "assessment-dashboard")
