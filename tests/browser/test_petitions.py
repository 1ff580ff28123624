"""The petitions flow as a new user meets it: receive a group complaint, see the similar matters,
link a repeat contact, see the deadline across Tết, watch the hot-spot alert rise on the
dashboard when a crowd arrives, settle the case and find it in the report."""

import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.petitions import services
from tinhgon.petitions.models import HotSpot, Petition

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_receive_link_deadline_hotspot_settle_report(page):
    from tinhgon.addresses.index import invalidate

    units = make_tree(SMALL_TREE)
    invalidate()
    make_user("thu", role="clerk", scopes=[units["01"]])
    earlier = services.petition_receive(
        kind="complaint", subject="land", title="Khiếu nại thu hồi đất nông nghiệp tổ 5",
        content="Thu hồi đất nông nghiệp không đúng quy định, không được bồi thường",
        received_on=dt.date(2025, 12, 20), place=units["00001"],
        petitioners=[{"full_name": "Nguyễn Văn An", "phone": "0912345678"}])
    login(page, "thu")

    # 1. A group complaint at the desk; the similar matters show while typing (accents optional).
    page.goto(f"{page.base_url}/petitions/new/")
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_subject", "land")
    page.fill("#id_place_text", "phuc xa, ba dinh, ha noi")
    page.fill("#id_received_on", "2026-01-10")
    page.fill("#id_title", "khieu nai thu hoi dat nong nghiep to 5")
    page.fill("#id_content", "Nhieu ho dan khieu nai viec thu hoi dat nong nghiep khong dung quy dinh")
    page.fill("#id_petitioners", "*Lê Văn Một; 0911111111\n*Trần Thị Hai\nPhạm Văn Ba")
    page.fill("#id_people", "8")
    page.locator("#similar-box .similar-item", has_text=earlier.code).wait_for()
    screenshot(page, "petitions-intake-similar")
    page.click("#intake-form button[type=submit]")
    page.wait_for_url("**/petitions/*/")
    group = Petition.objects.exclude(pk=earlier.pk).get()
    assert group.people == 8 and group.petitioners.filter(is_representative=True).count() == 2
    assert group.code in page.locator("h1").inner_text()

    # 2. The same people come back: the intake shows their matter, the clerk links the contact.
    page.goto(f"{page.base_url}/petitions/new/")
    page.select_option("#id_subject", "land")
    page.fill("#id_place_text", "Phường Phúc Xá, Quận Ba Đình, Hà Nội")
    page.fill("#id_title", "thu hồi đất nông nghiệp không đúng quy định")
    page.fill("#id_petitioners", "Lê Văn Một")
    item = page.locator("#similar-box .similar-item", has_text=group.code)
    item.wait_for()
    assert "cùng người gửi đơn" in item.inner_text()
    item.locator("a.link-repeat").click()
    page.wait_for_url(f"**/petitions/{group.pk}/contacts/new/")
    page.fill("#id_on", "2026-01-12")
    page.fill("#id_people", "6")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/petitions/{group.pk}/")
    assert "2 lượt" in page.locator("#counts").inner_text()

    # 3. Accepted on 15/01/2026: 30 days end on Saturday 14/02, then Tết: the deadline is Monday 23/02.
    page.click(f"a[href='/petitions/{group.pk}/do/accept/']")
    page.fill("#id_on", "2026-01-15")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/petitions/{group.pk}/")
    assert page.locator("#deadline-date").inner_text() == "23/02/2026"
    assert "14/02/2026" in page.locator("#deadline").inner_text()
    overdue_days = (dt.date.today() - dt.date(2026, 2, 23)).days
    if overdue_days > 0:
        assert str(overdue_days) in page.locator(".countdown").inner_text()
    screenshot(page, "petitions-deadline")

    # 4. A crowd of 45 arrives today: the alert rises on the dashboard with its evidence.
    page.goto(f"{page.base_url}/")
    assert page.locator(".hotspot-alert").count() == 0
    page.goto(f"{page.base_url}/petitions/{group.pk}/contacts/new/")
    page.fill("#id_people", "45")
    page.fill("#id_note", "Đoàn đông người đến trụ sở UBND phường")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/petitions/{group.pk}/")
    page.goto(f"{page.base_url}/")
    alert = page.locator(".hotspot-alert").first
    alert.wait_for()
    assert "Phường Phúc Xá" in alert.inner_text() and "45" in alert.inner_text()
    assert HotSpot.objects.filter(place=units["00001"]).exists()
    screenshot(page, "petitions-hotspot-dashboard")

    # 5. Settle without a conclusion: refused; with it: settled (late), then closed.
    page.goto(f"{page.base_url}/petitions/{group.pk}/do/conclude/")
    page.fill("#id_on", "2026-03-02")
    page.click("main form button[type=submit]")
    assert page.locator(".errorlist").count() >= 1
    assert Petition.objects.get(pk=group.pk).status == Petition.ACCEPTED
    page.fill("#id_conclusion", "Khiếu nại đúng một phần; đề nghị bồi thường bổ sung")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/petitions/{group.pk}/")
    page.click(f"a[href='/petitions/{group.pk}/do/close/']")
    page.fill("#id_on", "2026-03-05")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/petitions/{group.pk}/")
    assert Petition.objects.get(pk=group.pk).status == Petition.CLOSED

    # 6. The report of the period counts it as settled late; the list finds it among the closed.
    page.goto(f"{page.base_url}/petitions/report/?start=2026-01-01&end=2026-12-31&by=kind")
    row = page.locator("#report-table tbody tr", has_text="Khiếu nại")
    assert row.locator("td").nth(4).inner_text() == "1"  # settled late
    screenshot(page, "petitions-report")
    page.goto(f"{page.base_url}/petitions/?status=closed")
    assert group.code in page.locator("table.list").inner_text()
