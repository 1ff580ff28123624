import pytest

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    """A small apparatus: Hà Nội, Hồ Chí Minh City and Vĩnh Phúc with a few districts and communes."""
    return make_tree(SMALL_TREE)


@pytest.fixture
def admin_user(db):
    return make_user("admin-test", role="administrator", is_superuser=True)


@pytest.fixture
def hanoi_viewer(tree):
    return make_user("hn-viewer", role="viewer", scopes=[tree["01"]])


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
