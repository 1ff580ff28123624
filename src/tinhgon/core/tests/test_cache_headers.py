"""Every answer to a signed-in user is private and not stored; static files stay cacheable."""

from django.contrib.staticfiles import finders
from django.urls import reverse

from tinhgon.accounts.tests.factories import make_user


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_signed_in_pages_are_private_and_not_stored(client, tree):
    client.force_login(make_user("someone", scopes=[tree["01"]]))
    for url in (reverse("accounts:me"), "/apparatus/", "/apparatus/units/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= _directives(response), url


def test_static_files_keep_their_caching(client, tree):
    client.force_login(make_user("someone", scopes=[tree["01"]]))
    assert finders.find("tinhgon/tinhgon.css")
    response = client.get("/static/tinhgon/tinhgon.css")
    assert response.status_code == 200
    assert "no-store" not in _directives(response)
