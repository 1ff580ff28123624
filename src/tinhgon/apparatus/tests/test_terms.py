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
