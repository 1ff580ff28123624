"""Playwright driving Debian's chromium against the live test server."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TINHGON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = os.environ.get("TINHGON_TEST_ARTIFACTS", "test-artifacts")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 850}, locale="vi-VN")
    p = context.new_page()
    p.set_default_timeout(30000)  # a shared two-core machine can be slow; a real hang still fails
    p.base_url = live_server.url
    yield p
    context.close()


def login(page, username: str, password: str = "Pw-for-tests-123") -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page, name: str) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def run_queued_jobs() -> int:
    """Run the jobs waiting in the queue, as the worker would (the live server shares the database)."""
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    ids = list(Job.objects.filter(state=Job.QUEUED).order_by("id").values_list("pk", flat=True))
    for pk in ids:
        jobs.job_run(pk)
    return len(ids)
