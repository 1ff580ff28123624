"""An inspection commission, an inspected party organization and a member for tests."""

from __future__ import annotations

import datetime as dt

from tinhgon.apparatus.services import unit_create
from tinhgon.core.testing import D0
from tinhgon.party.tests.factories import organization


def commission(parent, code: str = "01-UBKT", name: str = "Ủy ban Kiểm tra Thành ủy Hà Nội"):
    return unit_create(code=code, name=name, kind="co-quan-dang", parent_code=parent.code, level="body",
                       valid_from=D0)


def world(tree):
    """The Hà Nội commission, a party cell under Phúc Xá with a member who holds a post there, a
    probationary member, and a cadre without any post."""
    from tinhgon.cadres.services import cadre_create
    from tinhgon.cadres.tests.factories import CadreFactory

    com = commission(tree["01"])
    cell = organization("00001-CB1", tree["00001"], name="Chi bộ Khu dân cư số 1")
    full = CadreFactory(unit=tree["00001"], full_name="Lê Văn Chính", title="Phó Chủ tịch UBND phường",
                        party_admission_date=dt.date(2010, 3, 1), party_official_date=dt.date(2011, 3, 1))
    probationary = CadreFactory(unit=tree["00001"], full_name="Phạm Thị Dự Bị",
                                party_admission_date=dt.date(2025, 9, 1))
    no_post = cadre_create(full_name="Hoàng Văn Không", sex="M", birth_date=dt.date(1975, 1, 2),
                           citizen_id="001075000999", party_admission_date=dt.date(2000, 1, 1),
                           party_official_date=dt.date(2001, 1, 1))
    return {"commission": com, "cell": cell, "full": full, "probationary": probationary, "no_post": no_post}
