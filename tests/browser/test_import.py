import pytest

from tinhgon.accounts.tests.factories import make_user

from .conftest import login, run_queued_jobs, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "code,name,kind,parent_code,valid_from,valid_to,level\n"


def upload(page, tmp_path, name: str, text: str) -> None:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    page.goto(f"{page.base_url}/apparatus/import/")
    page.set_input_files("input[type=file]", str(f))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#import-job .job-progress").is_visible()  # queued: the page shows the job
    assert run_queued_jobs() == 1
    page.reload()
    page.wait_for_load_state("networkidle")


def test_upload_with_errors_then_a_good_file(page, tmp_path):
    from tinhgon.apparatus.models import Unit

    make_user("importer", role="administrator")
    login(page, "importer")

    upload(page, tmp_path, "bad.csv", HEADER + "90,Tỉnh Thử,tinh,,2020-13-01,,\n91,Tỉnh Hai,khong-co,,2020-01-01,,\n")
    table = page.locator("#import-errors table")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).inner_text() == "2"
    assert rows.nth(0).locator("td").nth(1).inner_text() == "valid_from"
    assert rows.nth(1).locator("td").nth(1).inner_text() == "kind"
    assert page.locator("a[href*='/apparatus/import/errors.xlsx?job=']").count() == 1
    screenshot(page, "import-errors")
    assert Unit.objects.count() == 0

    upload(page, tmp_path, "good.csv", HEADER + "90,Tỉnh Thử,tinh,,2020-01-01,,\n901,Huyện Một,huyen,90,01/01/2020,,\n")
    assert page.locator("#import-job .badge.job-succeeded").count() == 1
    assert "2" in page.locator("#import-job").inner_text()
    assert page.locator("#import-errors").count() == 0
    screenshot(page, "import-success")
    assert Unit.objects.count() == 2
