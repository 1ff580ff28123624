"""The web edit refuses a POST that does not carry the record's lock_version (as the API does)."""

from django.urls import reverse

from tinhgon.cadres.models import Cadre

from .test_views import login, people, shown, snapshot  # noqa: F401  (people is a fixture)

MISSING = "This form does not say which version of the record it was opened on. Reload the record and apply " \
          "your changes again."


def _form_data(client, url):
    form = client.get(url).context["form"]
    return {k: v for k, v in form.initial.items() if v is not None and k in form.fields}


def test_edit_without_lock_version_changes_nothing(client, hn_organizer, people):  # noqa: F811
    lan = people["lan"]
    login(client, hn_organizer)
    url = reverse("cadres:cadre_edit", args=[lan.pk])
    data = _form_data(client, url)
    assert "lock_version" in data
    before = snapshot()
    for lock in (None, "", "abc"):
        sent = {k: v for k, v in data.items() if k != "lock_version"} | {"education_field": "Luật"}
        if lock is not None:
            sent["lock_version"] = lock
        r = client.post(url, sent)
        assert r.status_code == 400
        assert "lock_version" in r.context["form"].errors
        assert shown(r, MISSING) in r.content.decode()
    assert snapshot() == before
    assert Cadre.objects.get(pk=lan.pk).education_field == lan.education_field
    assert Cadre.objects.get(pk=lan.pk).lock_version == 0
    # with it, the same change is saved
    assert client.post(url, data | {"education_field": "Luật"}).status_code == 302
    assert Cadre.objects.get(pk=lan.pk).education_field == "Luật"
