import pytest

from tinhgon.accounts.tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_address_index():
    from tinhgon.addresses.index import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture
def hn_clerk(tree):
    return make_user("hn-clerk", role="clerk", scopes=[tree["01"]])


@pytest.fixture
def hn_officer(tree):
    return make_user("hn-officer", role="clerk", scopes=[tree["01"]])


@pytest.fixture
def hcm_clerk(tree):
    return make_user("hcm-clerk", role="clerk", scopes=[tree["79"]])


@pytest.fixture
def ward_viewer(tree):
    return make_user("ward-viewer", role="viewer", scopes=[tree["00001"]])
