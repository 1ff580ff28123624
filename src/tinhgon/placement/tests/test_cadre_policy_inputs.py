"""The policy inputs on the cadre record (salary, insured months): the import reads them as people
write them, the API changes them, the profile shows them (or says they are not recorded)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres.importers import _parse

from .factories import person

pytestmark = pytest.mark.django_db


def test_import_reads_salary_and_insured_months():
    row, errors = _parse(2, {"policy_salary": "15.356.250 đ", "insured_months": "264"})
    assert errors == [] and row.person == {"policy_salary": 15_356_250, "insured_months": 264}
    row, errors = _parse(3, {"policy_salary": "", "insured_months": ""})
    assert row.person == {"policy_salary": None, "insured_months": None}
    _row, errors = _parse(4, {"policy_salary": "mười triệu"})
    assert errors and errors[0].field == "policy_salary"


def test_api_and_profile(tree, client):
    cadre = person(tree["00001"], "Nguyễn Văn An", "Chuyên viên", salary=None, insured=None)
    org = make_user("hn-org", role="organizer", scopes=[tree["01"]])
    api = APIClient()
    api.force_authenticate(org)
    r = api.patch(f"/api/cadres/{cadre.pk}/", {"policy_salary": 9_500_000, "insured_months": 130,
                                                "lock_version": cadre.lock_version}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["policy_salary"], r.json()["insured_months"]) == (9_500_000, 130)
    assert api.patch(f"/api/cadres/{cadre.pk}/", {"insured_months": 900, "lock_version": r.json()["lock_version"]},
                     format="json").status_code == 400
    client.force_login(org)
    text = client.get(reverse("cadres:cadre", args=[cadre.pk])).content.decode()
    assert "9500000" in text and "130" in text
