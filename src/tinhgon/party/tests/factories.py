"""Party organizations (units of a party kind) and members for tests, made through the services."""

from __future__ import annotations

import datetime as dt

from tinhgon.apparatus.services import unit_create
from tinhgon.core.testing import D0


def organization(code: str, parent, *, name: str = "", kind: str = "chi-bo", valid_from: dt.date = D0):
    """A grassroots party organization under ``parent`` (a unit)."""
    return unit_create(code=code, name=name or f"Chi bộ {code}", kind=kind, parent_code=parent.code, level="body",
                       valid_from=valid_from)


FULL = object()


def member(org, *, name: str = "Trần Thị Đảng Viên", admission=dt.date(2020, 5, 19), official=FULL,
           cadre=None, card: str = ""):
    """A member admitted on ``admission``, official twelve months later unless ``official`` says (None: on probation)."""
    from tinhgon.party.rules import probation_end
    from tinhgon.party.services import member_admit

    if official is FULL:
        official = probation_end(admission)

    return member_admit(organization=org, full_name=name, admission_date=admission, official_date=official,
                        cadre=cadre, card_number=card)
