import pytest


@pytest.fixture(autouse=True)
def _fresh_index():
    from tinhgon.addresses.index import invalidate

    invalidate()
    yield
    invalidate()


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the pages' tests ask for English with the language cookie)."""
    from django.utils import translation

    with translation.override("en"):
        yield
