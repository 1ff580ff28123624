"""Placement as a new leader meets it: open the placement of the plan for the province, see the
proposal, pin two people, re-solve, approve, read the surplus with the policy estimates and their
formula, and find the round refusing to close while somebody is neither placed nor decided."""

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree
from tinhgon.placement.models import Candidate, Round, RoundEvent
from tinhgon.placement.tests.factories import world

from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_propose_pin_resolve_approve_surplus_nobody_lost(page):
    units = make_tree(SMALL_TREE)
    w = world(units)
    make_user("lanhdao", role="leader", scopes=[units["01"]])
    login(page, "lanhdao")

    # 1. The placement page lists Hà Nội's cadres waiting after the plan; one click starts the round.
    page.goto(f"{page.base_url}/placement/")
    row = page.locator("tr", has_text="Thành phố Hà Nội")
    assert "\t6\t" in row.inner_text()  # all six cadres of the three old communes
    row.locator("button").click()
    page.wait_for_url("**/placement/rounds/*/")
    rnd = Round.objects.get()
    assert rnd.status == Round.PROPOSED
    screenshot(page, "placement-round")

    # 2. The board of the merged ward: the proposal, merit per post; pin two people with a reason.
    page.click("text=Phường Ba Đình")
    page.wait_for_url("**/placement/units/*/")
    nam, ha = (Candidate.objects.get(round=rnd, cadre=w[k]) for k in ("nam", "ha"))
    for cand, post in ((nam, "Chủ tịch UBND"), (ha, "Công chức Văn phòng – Thống kê")):
        form = page.locator(f"#cand-{cand.pk} form[action$='/pin/']")
        form.locator("select[name=slot]").select_option(label=post)
        form.locator("input[name=reason]").fill("Ý kiến của Ban Thường vụ")
        form.locator("button").click()
        page.wait_for_load_state("networkidle")
    assert Candidate.objects.filter(round=rnd, pinned=True).count() == 2
    # Son leaves the proposal (he asks to retire early)
    son = Candidate.objects.get(round=rnd, cadre=w["son"])
    page.locator(f"#cand-{son.pk} details.act summary").click()
    excl = page.locator(f"#cand-{son.pk} form[action$='/exclude/']")
    excl.locator("input[name=reason]").fill("Xin nghỉ hưu trước tuổi")
    excl.locator("button").click()
    page.wait_for_load_state("networkidle")

    # 3. Re-solve around the pins: Nam keeps the chair, Lan moves to another post.
    page.click("#solve")
    page.wait_for_load_state("networkidle")
    nam.refresh_from_db()
    assert nam.slot.title == "Chủ tịch UBND" and nam.pinned
    assert page.locator(".post-card", has_text="Chủ tịch UBND").first.inner_text().count("Trần Văn Nam") == 1
    screenshot(page, "placement-board")

    # 4. Approve with the decision.
    page.goto(f"{page.base_url}/placement/rounds/{rnd.pk}/")
    page.fill("input[name=decision_number]", "125/QĐ-UBND")
    page.fill("input[name=decision_date]", "2025-08-01")
    page.click("#approve")
    page.wait_for_load_state("networkidle")
    rnd.refresh_from_db()
    assert rnd.status == Round.APPROVED

    # 5. The surplus: Son with his options, the estimate and its formula (and the rule set).
    page.click("text=Dôi dư và chính sách")
    surplus = page.locator(f"#cand-{son.pk}").inner_text()
    # (he reaches the age in October 2027: leaving next month is less than two years early)
    assert "Phạm Văn Sơn" in surplus and "Nghỉ hưu trước tuổi dưới 2 năm" in surplus
    assert "15.356.250 ×" in surplus and "ước tính" in surplus and "sau 12 tháng" in surplus
    screenshot(page, "placement-surplus")

    # 6. Apply, then closing is refused while Son is neither placed nor decided; a decision closes it.
    page.goto(f"{page.base_url}/placement/rounds/{rnd.pk}/")
    page.click("#apply")
    page.wait_for_load_state("networkidle")
    page.click("#close")
    page.wait_for_load_state("networkidle")
    assert "Không được bỏ sót ai" in page.content() and "Phạm Văn Sơn" in page.content()
    rnd.refresh_from_db()
    assert rnd.status == Round.APPLIED
    page.goto(f"{page.base_url}/placement/rounds/{rnd.pk}/surplus/?show=undecided")
    page.locator(f"#cand-{son.pk} details.act summary").click()
    form = page.locator(f"#cand-{son.pk} form[action$='/surplus/']")
    form.locator("select[name=option]").select_option("early_under_2")
    form.locator("input[name=decision_number]").fill("130/QĐ-UBND")
    form.locator("input[name=decision_date]").fill("2025-09-01")
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}/placement/rounds/{rnd.pk}/")
    page.click("#close")
    page.wait_for_load_state("networkidle")
    rnd.refresh_from_db()
    assert rnd.status == Round.CLOSED
    assert RoundEvent.objects.filter(round=rnd, action="pin").count() == 2
