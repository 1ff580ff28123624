"""Terms of office: one dated record per body and term."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tinhgon.apparatus.rules import term_dates, term_label
from tinhgon.apparatus.selectors import term_on, terms_of
from tinhgon.apparatus.services import term_create, term_for_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("label,expected", [
    ("2026-2031", (dt.date(2026, 1, 1), dt.date(2031, 1, 1))),
    (" 2020 – 2025 ", (dt.date(2020, 1, 1), dt.date(2025, 1, 1))),
    ("2031-2026", None), ("khóa XVIII", None), ("", None), ("1800-1805", None),
])
def test_term_dates(label, expected):
    assert term_dates(label) == expected


def test_label_spelling():
    assert term_label("2020 — 2025") == "2020-2025" and term_label(" khóa  XVIII ") == "khóa XVIII"


def test_terms_follow_the_body_and_never_overlap(tree):
    t1 = term_create(body=tree["01"], label="2020-2025", number="XVII")
    t2 = term_for_label(body=tree["01"], label="2025 – 2030")
    assert term_for_label(body=tree["01"], label="2025-2030") == t2
    assert term_on(tree["01"], dt.date(2024, 5, 1)) == t1 and term_on(tree["01"], dt.date(2026, 5, 1)) == t2
    assert list(terms_of(tree["01"])) == [t1, t2]
    with pytest.raises(ValidationError):
        term_create(body=tree["01"], label="2024-2029")
    with pytest.raises(ValidationError):
        term_create(body=tree["01"], label="khóa mới")  # no years and no dates
    council = term_create(body=tree["01"], label="2021-2026", kind="peoples_council")
    assert term_on(tree["01"], dt.date(2024, 5, 1), kind="peoples_council") == council


def test_terms_api(tree, api_client):
    from rest_framework.authtoken.models import Token

    from tinhgon.accounts.tests.factories import make_user

    clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    api_client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=clerk).key)
    r = api_client.post("/api/terms/", {"unit": tree["01"].pk, "label": "2020 – 2025", "number": "XVII"},
                        format="json")
    assert r.status_code == 201, r.content
    assert r.json()["label"] == "2020-2025" and r.json()["valid_to"] == "2025-01-01"
    assert api_client.post("/api/terms/", {"unit": tree["01"].pk, "label": "2024-2029"},
                           format="json").status_code == 400  # overlaps
    assert api_client.post("/api/terms/", {"unit": tree["79"].pk, "label": "2020-2025"},
                           format="json").status_code == 403  # another province
    assert [t["label"] for t in api_client.get("/api/terms/", {"body_code": "01"}).json()["results"]] == ["2020-2025"]
    foreign = term_create(body=tree["79"], label="2020-2025")
    assert api_client.delete(f"/api/terms/{foreign.pk}/").status_code == 404
    pk = r.json()["id"]
    assert api_client.delete(f"/api/terms/{pk}/").status_code == 204


def test_a_term_in_use_is_not_deleted(tree):
    from tinhgon.apparatus.services import term_delete
    from tinhgon.cadres.services import assignment_create, cadre_create, pool_entry_add
    from tinhgon.core.testing import D0

    c = cadre_create(full_name="Lê Văn Quy Hoạch", sex="M", birth_date=dt.date(1980, 1, 1),
                     citizen_id="001080000077")
    assignment_create(cadre=c, unit=tree["00001"], title="Chuyên viên", valid_from=D0)
    e = pool_entry_add(cadre=c, unit=tree["00001"], title="Phó Chủ tịch UBND", term="2026-2031",
                       added_on=dt.date(2025, 1, 2))
    with pytest.raises(ValidationError):
        term_delete(term=e.term)
