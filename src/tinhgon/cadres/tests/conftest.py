"""Users of the cadre tests: a clerk and an organizer bound to Hà Nội (01)."""

import pytest

from tinhgon.accounts.tests.factories import make_user


@pytest.fixture
def hn_clerk(tree):
    return make_user("hn-clerk", role="clerk", scopes=[tree["01"]])


@pytest.fixture
def hn_organizer(tree):
    return make_user("hn-org", role="organizer", scopes=[tree["01"]])
