"""A small world for the registry tests: Hà Nội's party committee (two terms) and People's Committee,
Hồ Chí Minh City's party committee, clerks bound to each city."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.services import term_create, unit_create
from tinhgon.core.testing import D0
from tinhgon.documents.models import DocumentType


@pytest.fixture
def world(tree):
    hn, hcm = tree["01"], tree["79"]
    tu = unit_create(code="01-TU", name="Thành ủy Hà Nội", kind="cap-uy", parent_code="01", level="body", valid_from=D0)
    ub = unit_create(code="01-UBND", name="Ủy ban nhân dân Thành phố Hà Nội", kind="ubnd", parent_code="01", level="body",
                     valid_from=D0)
    du = unit_create(code="00001-DU", name="Đảng ủy Khối cơ sở số 1", kind="cap-uy", parent_code="00001", level="body",
                     valid_from=D0)
    hcm_tu = unit_create(code="79-TU", name="Thành ủy Thành phố Hồ Chí Minh", kind="cap-uy", parent_code="79", level="body",
                         valid_from=D0)
    old = term_create(body=tu, label="2020-2025", valid_from=dt.date(2020, 10, 17), valid_to=dt.date(2025, 10, 17))
    new = term_create(body=tu, label="2025-2030", valid_from=dt.date(2025, 10, 17))
    term_create(body=hcm_tu, label="2025-2030", valid_from=dt.date(2025, 10, 17))
    term_create(body=du, label="2025-2030", valid_from=dt.date(2025, 7, 1))
    types = {t.code: t for t in DocumentType.objects.all()}
    return SimpleNamespace(tree=tree, hn=hn, hcm=hcm, tu=tu, ub=ub, du=du, hcm_tu=hcm_tu, old_term=old, term=new,
                           types=types)


@pytest.fixture
def hn_clerk(world):
    return make_user("hn-clerk", role="clerk", scopes=[world.hn])


@pytest.fixture
def hcm_clerk(world):
    return make_user("hcm-clerk", role="clerk", scopes=[world.hcm])


@pytest.fixture
def hn_viewer(world):
    return make_user("hn-viewer", role="viewer", scopes=[world.hn])
