"""When a plan merges party organizations, their members' open memberships end and new ones
start in the successor (history kept); inspections and recommendations of an ending unit move;
revert restores exactly."""

import datetime as dt

import pytest

from tinhgon.apparatus import selectors as unit_selectors
from tinhgon.party.models import Membership, PartyMember
from tinhgon.restructuring.services import plan_apply, plan_approve, plan_revert, plan_validate
from tinhgon.restructuring.tests.factories import PlanFactory

from .factories import member, organization

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 7, 1)


def _state():
    return (sorted(Membership.objects.values_list("id", "organization_id", "valid_to", "end_reason")),
            sorted(PartyMember.objects.values_list("id", "organization_id", "organization_path")))


def test_merging_party_organizations_moves_members_with_their_history(tree):
    a = organization("00001-CB1", tree["00001"])
    b = organization("00001-CB2", tree["00001"])
    kept = member(a, name="Ở lại")
    moved = member(b, name="Chuyển theo")
    gone = member(b, name="Đã ra", admission=dt.date(2019, 1, 1), official=dt.date(2020, 1, 1))
    from tinhgon.party.services import member_leave

    member_leave(member=gone, on=dt.date(2025, 1, 1), reason="resigned")
    before = _state()
    plan = PlanFactory(effective_date=DAY, operations=[("merge", {
        "sources": ["00001-CB1", "00001-CB2"],
        "target": {"code": "00001-CB1", "name": "Chi bộ hợp nhất", "kind": "chi-bo"}})])
    info = [f for f in plan_validate(plan=plan) if f["code"] == "party_members_to_move"]
    assert {f["units"][0] for f in info} == {"00001-CB1", "00001-CB2"}
    plan_approve(plan=plan)
    plan_apply(plan=plan)
    new = unit_selectors.unit_version_on("00001-CB1", DAY)
    # the cell that lives on keeps its members' rows (they follow its new version) ...
    assert list(kept.memberships.values_list("organization_id", "valid_to", "start_reason")) == [
        (new.pk, None, "admission")]
    # ... the merged one's members end there and start in the successor: both rows kept
    rows = list(moved.memberships.order_by("valid_from").values_list("organization_id", "valid_to", "start_reason",
                                                                   "end_reason"))
    assert rows[-1] == (new.pk, None, "merger", "") and rows[-2][1:] == (DAY, "admission", "merger")
    for m in (kept, moved):
        m.refresh_from_db()
        assert m.organization_id == new.pk and m.organization_path == new.path
    assert gone.memberships.get().valid_to == dt.date(2025, 1, 1)
    plan_revert(plan=plan)
    assert _state() == before
