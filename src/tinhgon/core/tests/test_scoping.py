import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Position, Unit
from tinhgon.apparatus.services import position_create
from tinhgon.core.models import ObjectChange
from tinhgon.core.scoping import in_scope, restrict

pytestmark = pytest.mark.django_db


@pytest.fixture
def positions(tree):
    return {
        code: position_create(unit=tree[code], title="Chủ tịch UBND", is_leadership=True)
        for code in ("01", "00001", "79")
    }


def test_viewer_sees_only_own_subtree(tree, positions, hanoi_viewer):
    visible = set(restrict(Position.objects.all(), hanoi_viewer).values_list("unit__code", flat=True))
    assert visible == {"01", "00001"}
    assert restrict(Unit.objects.all(), hanoi_viewer).count() == Unit.objects.count()  # structure is public
    assert in_scope(hanoi_viewer, tree["00001"].path) and not in_scope(hanoi_viewer, tree["79"].path)


def test_prefix_is_by_whole_code(tree):
    """Scope "01/" must not leak into a unit whose code merely starts with 01."""
    from tinhgon.apparatus.services import unit_create
    from tinhgon.core.testing import D0

    other = unit_create(code="010", name="Tỉnh Giả định", kind="tinh", valid_from=D0)
    position_create(unit=other, title="Chủ tịch UBND")
    user = make_user("v01", scopes=[tree["01"]])
    assert not restrict(Position.objects.all(), user).filter(unit=other).exists()


def test_roles_limit_actions(tree, positions, hanoi_viewer):
    assert restrict(Position.objects.all(), hanoi_viewer, "change").count() == 0
    clerk = make_user("clerk", role="clerk", scopes=[tree["01"]])
    assert restrict(Position.objects.all(), clerk, "change").count() == 2


def test_no_scope_no_inactive_no_anonymous(tree, positions):
    unscoped = make_user("nobody")
    assert restrict(Position.objects.all(), unscoped).count() == 0
    inactive = make_user("gone", scopes=[tree["01"]])
    inactive.is_active = False
    assert restrict(Position.objects.all(), inactive).count() == 0
    assert restrict(Position.objects.all(), AnonymousUser()).count() == 0


def test_administrator_is_unrestricted(positions, admin_user):
    assert restrict(Position.objects.all(), admin_user, "change").count() == 3


def test_model_without_policy_is_refused(admin_user):
    with pytest.raises(ImproperlyConfigured):
        restrict(ObjectChange.objects.all(), admin_user)
