"""A user uploads a cadre file, watches its progress to the end and finds it under "my jobs"."""

import threading
import time

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 1500


def cadre_csv(path):
    lines = ["Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã đơn vị,Chức vụ,Từ ngày"]
    for i in range(ROWS):
        male = i % 2
        year = 1970 + i % 30
        cid = f"001{0 if male else 1}{year % 100:02d}{700000 + i:06d}"
        lines.append(f"Người Thử {i},{'Nam' if male else 'Nữ'},{year}-02-{1 + i % 28:02d},{cid},00004,"
                     f"Chuyên viên,2024-01-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_upload_watch_the_progress_and_find_it_under_my_jobs(page, tmp_path):
    from tinhgon.cadres.models import Cadre
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    make_tree(SMALL_TREE)
    make_user("importer", role="administrator")
    login(page, "importer")
    page.goto(f"{page.base_url}/cadres/")
    page.click("a[href='/cadres/import/']")
    page.set_input_files("#import-form input[type=file]", str(cadre_csv(tmp_path / "can-bo.csv")))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#import-job .job-progress[hx-trigger]").count() == 1  # polling while queued

    # The worker: slowed down a little so the page can be seen half way.
    job = Job.objects.get(kind="cadres.import")
    seen: list[str] = []
    original = jobs.DbContext.progress

    def slow_progress(ctx, done, total=None, message=""):
        original(ctx, done, total, message)
        time.sleep(1.5)  # the page polls every second

    jobs.DbContext.progress = slow_progress
    jobs.PROGRESS_EVERY, every = 0.0, jobs.PROGRESS_EVERY
    worker = threading.Thread(target=jobs.job_run, args=(job.pk,))
    try:
        worker.start()
        for _ in range(300):
            text = page.locator("#import-job").inner_text()
            if "%" in text and "100%" not in text:
                seen.append(text)
                screenshot(page, "jobs-import-progress")
                break
            time.sleep(0.05)
        worker.join(120)
        assert seen, "the page never showed the job half way"
    finally:
        jobs.DbContext.progress = original
        jobs.PROGRESS_EVERY = every
    page.wait_for_selector("#import-job .badge.job-succeeded", timeout=20000)
    assert "100%" in page.locator("#import-job").inner_text()
    assert Cadre.objects.count() == ROWS
    screenshot(page, "jobs-import-done")

    page.click("header a[href='/jobs/']")
    row = page.locator("#job-list tbody tr").first
    assert "can-bo.csv" in row.inner_text() and row.locator(".badge.job-succeeded").count() == 1
    row.locator("a").first.click()
    assert "1500" in page.locator("main").inner_text().replace(".", "").replace(",", "")
    screenshot(page, "jobs-detail")
