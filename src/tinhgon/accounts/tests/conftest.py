import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """DRF's rate throttle of the token endpoint counts in the cache: start every test at zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def viewer_client(client, hanoi_viewer):
    client.force_login(hanoi_viewer)
    return client
