"""A restructuring leaves documents with the issuer they had; the successor's history still finds them."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.documents import selectors, services
from tinhgon.documents.filtersets import DocumentFilterSet
from tinhgon.emulation import selectors as gm_selectors
from tinhgon.emulation import services as gm_services
from tinhgon.restructuring.services import (
    operations_add,
    plan_apply,
    plan_approve,
    plan_create,
    plan_validate,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)
MERGE = ("merge", {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                             "kind": "phuong"}})


def test_applying_a_plan_that_ends_the_issuer_leaves_its_documents(world, hn_clerk):
    ward = world.tree["00004"]
    doc = services.document_register(user=None, doc_type=world.types["nn-quyet-dinh"], unit=ward,
                                     issued_on=dt.date(2025, 3, 1), issuer_symbol="UBND",
                                     title="Quyết định của Phường Trúc Bạch")
    gm = gm_services.good_model_create(unit=ward, title="Dân vận khéo ở tổ dân phố", field="mass_mobilization",
                                       year=2024, recognition_level="district")
    plan = plan_create(name="Sáp nhập thử", effective_date=DAY, legal_basis="Nghị quyết thử")
    operations_add(plan=plan, operations=[MERGE])
    errors = [f for f in plan_validate(plan=plan) if f["severity"] == "error"]
    assert errors == []
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    doc.refresh_from_db()
    gm.refresh_from_db()
    ward.refresh_from_db()
    assert ward.valid_to == DAY
    assert doc.unit_id == ward.pk and doc.symbol == "1/QĐ-UBND"      # the issuer as it was
    assert gm.unit_id == ward.pk
    successor = unit_selectors.unit_version_on("00001", DAY)
    fs = DocumentFilterSet({"unit": successor.code}, queryset=selectors.documents_for(hn_clerk))
    assert list(fs.qs) == [doc]                                       # found under the successor's history
    counts = selectors.documents_counts(selectors.documents_for(hn_clerk), unit=successor, start=dt.date(2025, 1, 1))
    assert [(c.name, c.issued) for c in counts] == [("Quyết định (cá biệt)", 1)]
    assert gm_selectors.good_models_for(hn_clerk).filter(
        selectors.within_q(successor)).get() == gm
