"""A new user registers a resolution and sees its number proposed for the term (and for the previous
term when the date moves back), links a work program and a restructuring plan to it, and reads the
counts by type."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_a_resolution_link_it_and_count(page):
    from tinhgon.apparatus.services import term_create, unit_create
    from tinhgon.core.testing import D0
    from tinhgon.documents import services
    from tinhgon.documents.models import Document, DocumentType
    from tinhgon.restructuring.services import plan_create
    from tinhgon.tasks.services import program_create

    tree = make_tree(SMALL_TREE)
    tu = unit_create(code="01-TU", name="Thành ủy Hà Nội", kind="cap-uy", parent_code="01", level="body",
                     valid_from=D0)
    term_create(body=tu, label="2020-2025", valid_from=dt.date(2020, 10, 17), valid_to=dt.date(2025, 10, 17))
    term = term_create(body=tu, label="2025-2030", valid_from=dt.date(2025, 10, 17))
    nq = DocumentType.objects.get(code="nghi-quyet")
    for day in (dt.date(2025, 11, 3), dt.date(2025, 12, 1)):
        services.document_register(doc_type=nq, unit=tu, issued_on=day, title="Nghị quyết trước")
    program = program_create(unit=tree["01"], title="Chương trình công tác năm 2026", year=2026)
    plan = plan_create(name="Phương án sắp xếp các phường", effective_date=dt.date(2026, 7, 1), scope_path="01/")
    make_user("thu", role="organizer", scopes=[tree["01"]])
    login(page, "thu")

    page.goto(f"{page.base_url}/documents/register/")
    page.select_option("#id_doc_type", str(nq.pk))
    page.fill("#id_unit_code", "01-TU")
    page.fill("#id_issued_on", "2026-03-02")
    page.locator("#id_issued_on").dispatch_event("change")
    expect(page.locator("#proposal .proposed-symbol")).to_have_text("03-NQ/TU")
    assert "2025-2030" in page.locator("#proposal").inner_text()
    page.fill("#id_issued_on", "2024-06-03")        # the previous term: its own sequence
    page.locator("#id_issued_on").dispatch_event("change")
    expect(page.locator("#proposal .proposed-symbol")).to_have_text("01-NQ/TU")
    assert "2020-2025" in page.locator("#proposal").inner_text()
    page.fill("#id_issued_on", "2026-03-02")
    page.locator("#id_issued_on").dispatch_event("change")
    expect(page.locator("#proposal .proposed-symbol")).to_have_text("03-NQ/TU")
    page.fill("#id_number", "5")                     # skipping 03 and 04 without a reason is refused
    page.fill("#id_title", "Nghị quyết về chuyển đổi số")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "bỏ cách số 3, 4" in page.locator(".errorlist").first.inner_text()
    assert Document.objects.count() == 2
    screenshot(page, "documents-register-gap-refused")
    page.fill("#id_number", "")
    page.fill("#id_signer", "Bí thư Thành ủy")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Nghị quyết 03-NQ/TU"
    doc = Document.objects.get(symbol="03-NQ/TU")
    assert doc.term == term

    page.select_option("#link-program", str(program.pk))
    page.click("text=Liên kết chương trình")
    page.wait_for_load_state("networkidle")
    page.select_option("#link-plan", str(plan.pk))
    page.click("text=Liên kết phương án")
    page.wait_for_load_state("networkidle")
    citing = page.locator("#citing table").inner_text()
    assert "Chương trình công tác năm 2026" in citing and "Phương án sắp xếp các phường" in citing
    screenshot(page, "documents-document-linked")
    page.goto(f"{page.base_url}/tasks/programs/{program.pk}/")
    assert page.locator("a", has_text="03-NQ/TU").count() == 1

    page.goto(f"{page.base_url}/documents/counts/?unit=01-TU")
    assert "nhiệm kỳ 2025-2030" in page.locator("main").inner_text()
    row = page.locator("table.list tbody tr", has_text="Nghị quyết")
    assert row.locator("td").nth(3).inner_text() == "3"
    assert page.locator("svg.bar-chart rect").count() >= 1
    screenshot(page, "documents-counts")
