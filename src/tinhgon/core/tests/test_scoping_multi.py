"""Records that name several units: which unit grants which action, all through ``restrict``."""

import pytest
from django.core.exceptions import PermissionDenied

from tinhgon.accounts.models import User
from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.scoping import ScopePolicy, may_reach, outside_scope, require_scope, restrict
from tinhgon.restructuring.models import Plan, Succession

pytestmark = pytest.mark.django_db


@pytest.fixture
def edges(tree, admin_user):
    """Two succession edges: Hà Nội → Hồ Chí Minh City, and inside Hà Nội."""
    plan = Plan.objects.create(name="p", effective_date="2025-07-01")
    cross = Succession.objects.create(plan=plan, predecessor=tree["00001"], successor=tree["26734"], kind="merge")
    inside = Succession.objects.create(plan=plan, predecessor=tree["00001"], successor=tree["00004"], kind="merge")
    return {"cross": cross, "inside": inside}


@pytest.fixture
def two_unit_policy(monkeypatch):
    """A record with two units: either lets you read it, only the successor lets you change it."""
    policy = ScopePolicy(path_lookup="successor__path", action_lookups={
        "view": ("predecessor__path", "successor__path"),
        "change": ("successor__path",),
    })
    monkeypatch.setattr(Succession, "scope_policy", policy)
    return policy


def test_any_named_unit_grants_view_only_the_declared_one_grants_change(tree, edges, two_unit_policy):
    hn_clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    hcm_clerk = make_user("hcm-clerk", role="clerk", scopes=[tree["79"]])
    assert set(restrict(Succession.objects.all(), hn_clerk)) == {edges["cross"], edges["inside"]}
    assert set(restrict(Succession.objects.all(), hn_clerk, "change")) == {edges["inside"]}
    assert set(restrict(Succession.objects.all(), hcm_clerk)) == {edges["cross"]}
    assert set(restrict(Succession.objects.all(), hcm_clerk, "change")) == {edges["cross"]}
    assert may_reach(hcm_clerk, edges["cross"], "change") and not may_reach(hn_clerk, edges["cross"], "change")
    viewer = make_user("hcm-viewer", role="viewer", scopes=[tree["79"]])
    assert not restrict(Succession.objects.all(), viewer, "change").exists()  # the role still counts


def test_a_many_valued_lookup_never_repeats_a_row(tree):
    """A user with two scopes in one subtree appears once (the lookup crosses a reverse relation)."""
    target = make_user("two-scopes", scopes=[tree["001"], tree["00001"]])
    reader = make_user("hn-admin-reader", role="viewer", scopes=[tree["01"]])
    rows = list(restrict(User.objects.filter(pk=target.pk), reader))
    assert rows == [target]


def test_require_scope_names_the_units_outside(tree):
    organizer = make_user("hn-org", role="organizer", scopes=[tree["01"]])
    require_scope(organizer, [tree["00001"].path, tree["001"].path], "plan")
    with pytest.raises(PermissionDenied) as exc:
        require_scope(organizer, [tree["00001"].path, tree["26734"].path], "plan")
    assert "26734" in str(exc.value)
    with pytest.raises(PermissionDenied):  # the role must allow the action too
        require_scope(organizer, [tree["00001"].path], "approve")
    assert outside_scope(organizer, [tree["26734"].path, tree["01"].path]) == [tree["26734"].path]
    require_scope(None, [tree["26734"].path])  # the system itself
