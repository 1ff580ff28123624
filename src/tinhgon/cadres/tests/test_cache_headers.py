"""Answers that carry personal data are never stored by a browser or a shared cache."""

import pytest
from django.urls import reverse

from tinhgon.accounts.services import api_token_for
from tinhgon.core.testing import job_download

from .test_views import login, people  # noqa: F401  (people is a fixture)


def _private(response):
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def test_profile_page_list_and_export(client, hn_organizer, people):  # noqa: F811
    login(client, hn_organizer)
    lan = people["lan"]
    for url, params in [(reverse("cadres:cadre", args=[lan.pk]), {}), (reverse("cadres:cadre_edit", args=[lan.pk]), {}),
                        (reverse("cadres:cadre_list"), {})]:
        response = client.get(url, params)
        assert response.status_code == 200, url
        assert _private(response), (url, response.get("Cache-Control"))
    _job, response = job_download(client, client.get(reverse("cadres:cadre_list"), {"export": "xlsx"}))
    assert response.status_code == 200 and _private(response), response.get("Cache-Control")


@pytest.mark.parametrize("path", ["/api/cadres/", "/api/cadres/{pk}/", "/api/me/"])
def test_api_answers_with_a_token(api_client, hn_organizer, people, path):  # noqa: F811
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user=hn_organizer)}")
    response = api_client.get(path.format(pk=people["lan"].pk))
    assert response.status_code == 200
    assert _private(response), response.get("Cache-Control")


def test_api_answers_with_a_session(client, hn_organizer, people):  # noqa: F811
    login(client, hn_organizer)
    response = client.get(f"/api/cadres/{people['lan'].pk}/")
    assert response.status_code == 200 and _private(response)
