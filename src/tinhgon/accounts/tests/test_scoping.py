"""The one scoping function, across roles and scopes."""

from tinhgon.accounts.models import User
from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.models import Position, Unit
from tinhgon.apparatus.services import position_create
from tinhgon.core.scoping import in_scope, restrict


def _positions(tree):
    return (
        position_create(unit=tree["00001"], title="Chủ tịch UBND"),
        position_create(unit=tree["760"], title="Bí thư"),
    )


def test_viewer_of_hanoi_sees_hanoi_positions_only(tree, hanoi_viewer):
    hn, hcm = _positions(tree)
    seen = set(restrict(Position.objects.all(), hanoi_viewer))
    assert hn in seen and hcm not in seen
    assert restrict(Position.objects.all(), hanoi_viewer).filter(pk=hcm.pk).count() == 0


def test_viewer_may_not_change(tree, hanoi_viewer):
    _positions(tree)
    assert not restrict(Position.objects.all(), hanoi_viewer, "change").exists()


def test_clerk_changes_inside_scope(tree):
    hn, hcm = _positions(tree)
    clerk = make_user("clerk", role="clerk", scopes=[tree["79"]])
    assert list(restrict(Position.objects.all(), clerk, "change")) == [hcm]


def test_public_actions(tree, hanoi_viewer):
    # the apparatus structure is public to every signed-in user
    assert restrict(Unit.objects.all(), hanoi_viewer).count() == Unit.objects.count()
    no_scope = make_user("nobody", role="viewer")
    assert restrict(Unit.objects.all(), no_scope).count() == Unit.objects.count()
    assert not restrict(Position.objects.all(), no_scope).exists()


def test_unrestricted_administrator(tree, admin_user):
    _positions(tree)
    assert restrict(Position.objects.all(), admin_user, "change").count() == 2
    assert in_scope(admin_user, "79/")


def test_inactive_or_anonymous_sees_nothing(tree, hanoi_viewer):
    from django.contrib.auth.models import AnonymousUser

    _positions(tree)
    hanoi_viewer.is_active = False
    assert not restrict(Unit.objects.all(), hanoi_viewer).exists()
    assert not restrict(Position.objects.all(), hanoi_viewer).exists()
    assert not restrict(Unit.objects.all(), AnonymousUser()).exists()


def test_in_scope(tree, hanoi_viewer):
    assert in_scope(hanoi_viewer, tree["00001"].path)
    assert not in_scope(hanoi_viewer, tree["760"].path)
    assert not in_scope(hanoi_viewer, "")


def test_users_are_administered_by_administrators_only(tree, hanoi_viewer, admin_user):
    assert restrict(User.objects.all(), admin_user, "administer").count() == 2
    assert not restrict(User.objects.all(), hanoi_viewer, "administer").exists()
