"""A new user converts a spreadsheet of 100,000 old addresses in the browser: finds the converter
in the menu, tries one address, uploads the file, watches the progress and downloads the result."""

import io
import re
import threading
import time

import pytest
from openpyxl import Workbook, load_workbook

from tinhgon.accounts.tests.factories import make_user

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 100_000
SPELLINGS = ["59 nguyễn sỹ sách, p15, tan binh, hcm", "P15 Q Tan Binh TPHCM", "phuc xa ba dinh ha noi",
             "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội", "xa minh quan, tran yen, yen bai", "không rõ"]


def workbook(path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["STT", "Họ tên", "Địa chỉ thường trú"])
    for i in range(ROWS):
        ws.append([i + 1, f"Người {i}", SPELLINGS[i % len(SPELLINGS)]])
    wb.save(path)
    return path


def test_convert_a_spreadsheet_watching_the_progress_and_download_it(page, tmp_path):
    from tinhgon.addresses.tests.test_resolver import TREE, applied_plan_2025
    from tinhgon.apparatus.tests.factories import make_tree
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    make_tree(TREE)
    applied_plan_2025()
    make_user("nguoi-moi", role="viewer")
    login(page, "nguoi-moi")
    page.click("header a[href='/addresses/']")
    page.fill("#id_q", "P.15, Q.Tân Bình, TP.HCM")
    page.fill("#id_as_of", "2025-07-01")
    page.click("#address-form button[type=submit]")
    result = page.locator("#address-result")
    assert "Phường Tân Sơn" in result.inner_text() and "Q.Tân Bình" in result.inner_text()
    screenshot(page, "addresses-one")

    page.click("a[href='/addresses/bulk/']")
    page.set_input_files("#bulk-form input[type=file]", str(workbook(tmp_path / "dia-chi.xlsx")))
    page.fill("#id_column", "Địa chỉ thường trú")
    page.fill("#id_as_of", "2025-07-01")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#convert-job .job-progress[hx-trigger]").count() == 1

    job = Job.objects.get(kind="addresses.convert")
    original, calls = jobs.DbContext.progress, []

    def slow_progress(ctx, done, total=None, message=""):
        original(ctx, done, total, message)
        calls.append(done)
        if 0 < done < ROWS and len(calls) < 6:
            time.sleep(1.5)  # the page polls every second: let it be seen half way

    jobs.DbContext.progress = slow_progress
    worker = threading.Thread(target=jobs.job_run, args=(job.pk,))
    seen = []
    try:
        worker.start()
        for _ in range(600):
            text = page.locator("#convert-job").inner_text()
            if re.search(r"\b[1-9]\d?%", text):
                seen.append(text)
                screenshot(page, "addresses-bulk-progress")
                break
            time.sleep(0.1)
        worker.join(300)
    finally:
        jobs.DbContext.progress = original
    assert seen, "the page never showed the job half way"
    page.wait_for_selector("#convert-job .badge.job-succeeded", timeout=30000)
    screenshot(page, "addresses-bulk-done")
    with page.expect_download() as dl:
        page.click("#convert-job .job-output a")
    data = open(dl.value.path(), "rb").read()
    assert dl.value.suggested_filename == "dia-chi-converted.xlsx"
    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    header = next(rows)
    assert header[:3] == ("STT", "Họ tên", "Địa chỉ thường trú") and len(header) == 10
    first = next(rows)
    assert first[3] == "Phường Tân Sơn" and first[7] == "divided"
    assert sum(1 for _ in rows) == ROWS - 1
