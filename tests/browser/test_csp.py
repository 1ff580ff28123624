"""Every main page works under the Content-Security-Policy: chromium reports no violation.

Pages are opened as a user would, and the features that used inline code are used: the
tree's htmx expansion, "expand all", the unit picker's chips, a confirmation dialog, the
API docs (Swagger UI) and the browsable API.
"""

import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MERGE = ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                               "kind": "phuong"}})


def _data():
    from tinhgon.cadres import services as cadres
    from tinhgon.restructuring import services as plans

    units = make_tree(SMALL_TREE)
    make_user("chief", role="administrator", is_superuser=True)
    lan = cadres.cadre_create(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17),
                              citizen_id="001190012345", education_level=5, political_theory=3)
    cadres.assignment_create(cadre=lan, unit=units["00001"], title="Phó Chủ tịch UBND phường",
                             valid_from=dt.date(2021, 1, 1))
    plan = plans.plan_create(name="Sáp nhập phường Ba Đình", effective_date=dt.date(2025, 7, 1))
    plans.operations_add(plan=plan, operations=[MERGE])
    return units, lan, plan


def test_main_pages_raise_no_policy_violation(page):
    units, lan, plan = _data()
    violations, errors = [], []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    login(page, "chief")

    def visit(path):
        response = page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path

    visit("/")
    visit("/apparatus/")  # the tree: expanding a node loads its children through htmx
    page.click(f"button[aria-controls='children-{units['01'].pk}']")
    page.wait_for_selector(f"#children-{units['01'].pk} >> text=Quận Ba Đình")
    page.click(f"button[aria-controls='children-{units['01'].pk}']")  # collapses (tinhgon.js)
    assert page.locator(f"#children-{units['01'].pk}").is_hidden()

    visit(f"/apparatus/units/{units['01'].pk}/tree/")
    page.click("[data-details-open]")
    assert page.locator(".subtree details:not([open])").count() == 0

    visit("/cadres/")
    visit(f"/cadres/{lan.pk}/")
    visit("/cadres/retiring/")

    visit(f"/restructuring/{plan.pk}/")  # deleting an operation asks first; dismissing keeps it
    page.once("dialog", lambda d: d.dismiss())
    page.click("form[data-confirm] button.link-danger")
    assert plan.operations.count() == 1
    visit(f"/restructuring/{plan.pk}/report/")

    visit("/accounts/users/new/")  # the unit picker adds and removes scope chips
    page.fill("#unit-search", "vinh phuc")
    page.press("#unit-search", "Enter")  # does not submit the form
    page.click("#unit-results button[data-code='26']")
    page.wait_for_selector("#scope-chips .chip[data-code='26']")
    page.click("#scope-chips .chip[data-code='26'] button")
    assert page.locator("#scope-chips .chip").count() == 0 and "/users/new/" in page.url
    visit("/accounts/me/password/")

    visit("/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    visit("/api/me/")  # DRF's browsable API
    visit("/django-admin/")

    assert not violations, "\n".join(violations)
    assert not errors, "\n".join(errors)
