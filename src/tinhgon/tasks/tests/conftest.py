"""A small world for the task tests: Hà Nội (01) with a head, a specialist and a leader, the city
holding a power, users bound to Hà Nội and to Hồ Chí Minh City."""

import datetime as dt

import pytest

from tinhgon.accounts.tests.factories import make_user

from .factories import make_world


@pytest.fixture
def world(tree):
    return make_world(tree)


@pytest.fixture
def hn_clerk(world):
    return make_user("hn-clerk", role="clerk", scopes=[world.hn])


@pytest.fixture
def hn_leader(world):
    return make_user("hn-leader", role="leader", scopes=[world.hn])


@pytest.fixture
def hcm_clerk(world):
    return make_user("hcm-clerk", role="clerk", scopes=[world.tree["79"]])


@pytest.fixture
def today():
    return dt.date(2026, 3, 10)
