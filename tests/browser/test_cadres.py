import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.cadres import services
from tinhgon.cadres.models import Cadre

from .conftest import login, run_queued_jobs, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_profile_edit_export(page):
    units = make_tree(SMALL_TREE)
    make_user("olga", role="organizer", scopes=[units["01"]])
    lan = services.cadre_create(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17),
                                citizen_id="001190012345", education_level=5, political_theory=3)
    services.assignment_create(cadre=lan, unit=units["00001"], title="Phó Chủ tịch UBND phường",
                               valid_from=dt.date(2021, 1, 1), decision_number="12/QĐ-UBND",
                               decision_date=dt.date(2020, 12, 20))
    other = services.cadre_create(full_name="Nguyễn Văn Lâm", sex="M", birth_date=dt.date(1985, 1, 2),
                                  citizen_id="001085012345")
    services.assignment_create(cadre=other, unit=units["00004"], title="Chuyên viên", valid_from=dt.date(2021, 1, 1))
    login(page, "olga")

    page.goto(f"{page.base_url}/cadres/")
    page.fill("#id_q", "nguyen thi lan")
    page.click("form.search-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.locator(".results table.list tbody tr")
    assert rows.count() == 1 and "Nguyễn Thị Lan" in rows.first.inner_text()
    screenshot(page, "cadres-search")

    # The export is prepared in the background: the job's page shows its progress, then the file.
    page.click("a[href*='export=xlsx']")
    page.wait_for_url("**/jobs/*/")
    assert run_queued_jobs() == 1
    download_link = page.locator(".job-output a")
    download_link.wait_for(timeout=10_000)  # the progress box polls and shows the file when done
    screenshot(page, "cadres-export-job")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.startswith("can-bo-") and \
        download.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{page.base_url}/cadres/?q=nguyen+thi+lan")

    rows.first.locator("a", has_text="Nguyễn Thị Lan").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Nguyễn Thị Lan"
    assert "001190012345" in page.locator("main").inner_text()  # an organizer sees personal data
    assert "12/QĐ-UBND" in page.locator("#sec-career").inner_text()
    screenshot(page, "cadres-profile")

    # a commendation through the HTMX form: the section is swapped in place
    page.locator("#sec-commendation summary").click()
    page.fill("#id_commendation-title", "Bằng khen UBND Thành phố")
    page.fill("#id_commendation-date", "2024-01-15")
    page.locator("#sec-commendation button[type=submit]").click()
    page.wait_for_selector("#sec-commendation td:has-text('Bằng khen UBND Thành phố')")
    assert "15/01/2024" in page.locator("#sec-commendation").inner_text()

    page.click("a[href$='/edit/']")
    page.wait_for_load_state("networkidle")
    page.fill("#id_education_field", "Luật")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Luật" in page.locator("main").inner_text()
    assert Cadre.objects.get(pk=lan.pk).education_field == "Luật"
    screenshot(page, "cadres-profile-edited")


def test_photo_upload_and_delete_a_mistaken_record(page, tmp_path, settings):
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    units = make_tree(SMALL_TREE)
    make_user("olga", role="organizer", scopes=[units["01"]])
    lan = services.cadre_create(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17),
                                citizen_id="001190012345")
    services.assignment_create(cadre=lan, unit=units["00001"], title="Chuyên viên", valid_from=dt.date(2021, 1, 1))
    image = tmp_path / "chan-dung.png"
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), (40, 90, 160)).save(buf, "PNG")
    image.write_bytes(buf.getvalue())
    login(page, "olga")

    page.goto(f"{page.base_url}/cadres/{lan.pk}/")
    assert page.locator("#portrait .portrait-none").count() == 1
    page.click("#portrait details summary")
    page.set_input_files("#id_photo", str(image))
    page.click(".photo-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#portrait img[src^='data:image/jpeg']")
    assert Cadre.objects.get(pk=lan.pk).photo
    screenshot(page, "cadres-profile-photo")

    # a clerk typed the same person twice: the empty duplicate is deleted with a reason
    dup = services.cadre_create(full_name="Nguyễn Thị Lan", sex="F", birth_year=1990, citizen_id="001190054321")
    services.assignment_create(cadre=dup, unit=units["00004"], title="Chuyên viên", valid_from=dt.date(2022, 1, 1))
    page.goto(f"{page.base_url}/cadres/{dup.pk}/delete/")
    page.click("main form button[type=submit]")  # no reason: refused, nothing deleted
    page.wait_for_selector(".has-error .errorlist")
    assert Cadre.objects.filter(pk=dup.pk).exists()
    page.fill("#id_reason", "Trùng hồ sơ của Nguyễn Thị Lan")
    screenshot(page, "cadres-delete")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/cadres/")
    assert not Cadre.objects.filter(pk=dup.pk).exists()
