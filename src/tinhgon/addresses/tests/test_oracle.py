"""The oracle: every old commune of the country, several spellings each, against
``vietnamadminunits.convert_address`` run offline in the same test (its online geocoder fails at
once).  Every disagreement is listed with its reason in ``oracle_disagreements.tsv``; a new one
fails the test.  Run with ``pytest -m slow``; ``TINHGON_WRITE_ORACLE=1`` rewrites the file."""

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from tinhgon.addresses.national import DAY
from tinhgon.addresses.oracle import FIELDS, REASONS, disagreements
from tinhgon.addresses.tests.test_national import country, idx  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FILE = Path(__file__).with_name("oracle_disagreements.tsv")


def test_the_reference_and_tinhgon_agree_or_the_difference_is_explained(idx, country):  # noqa: F811
    found = disagreements(idx, country["communes"], country["successors"], DAY)
    if os.environ.get("TINHGON_WRITE_ORACLE"):
        with FILE.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, FIELDS, delimiter="\t", lineterminator="\n")
            w.writeheader()
            w.writerows(found)
    with FILE.open(encoding="utf-8", newline="") as fh:
        listed = {(r["code"], r["kind"]): r for r in csv.DictReader(fh, delimiter="\t")}
    new = [d for d in found if (d["code"], d["kind"]) not in listed]
    assert not new, f"{len(new)} new disagreements, e.g. {new[:5]}"
    reasons = Counter(r["reason"] for r in listed.values())
    assert set(reasons) <= set(REASONS) | {r for r in reasons if r.startswith("reference_error_")}
    assert reasons.get("tinhgon_wrong", 0) == 0, [r for r in listed.values() if r["reason"] == "tinhgon_wrong"][:5]
    assert len(country["communes"]) == 10035
