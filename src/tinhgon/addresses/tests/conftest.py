import pytest


@pytest.fixture(autouse=True)
def _fresh_index():
    from tinhgon.addresses.index import invalidate

    invalidate()
    yield
    invalidate()
