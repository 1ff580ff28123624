"""Good models: bad input refused with nothing written, scope, counts by field, unit (rolled up) and year,
the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from tinhgon.emulation import selectors, services
from tinhgon.emulation.models import GoodModel

pytestmark = pytest.mark.django_db


def make(world, user=None, unit=None, **kw):
    data = dict(title="Chợ 4.0", field="digital", year=2025, recognition_level="commune")
    data.update(kw)
    return services.good_model_create(user=user, unit=unit or world.tree["00001"], **data)


@pytest.mark.parametrize("bad", [
    {"year": 2999},                       # after this year
    {"year": 2010},                       # before the unit existed (2020)
    {"field": "astrology"},               # unknown field
    {"recognition_level": "galactic"},    # unknown level
    {"title": "  "},
    {"evidence_url": "not a link"},
])
def test_bad_input_changes_nothing(world, hn_clerk, bad):
    with pytest.raises(ValidationError):
        make(world, hn_clerk, **bad)
    assert not GoodModel.objects.exists()


def test_scope(world, hn_clerk, hcm_clerk, hn_viewer):
    with pytest.raises(PermissionDenied):
        make(world, hcm_clerk)
    with pytest.raises(PermissionDenied):
        make(world, hn_viewer)
    gm = make(world, hn_clerk)
    with pytest.raises(PermissionDenied):
        services.good_model_update(user=hn_clerk, good_model=gm, unit=world.hcm)
    assert list(selectors.good_models_for(hcm_clerk)) == []


def test_counts_roll_up_the_tree(world, hn_clerk):
    make(world, hn_clerk)                                            # Phúc Xá (Ba Đình)
    make(world, hn_clerk, unit=world.tree["00004"], field="party")   # Trúc Bạch (Ba Đình)
    make(world, hn_clerk, unit=world.tree["08974"], year=2024)       # Đại Thịnh (Mê Linh)
    make(world, hn_clerk, unit=world.hn, field="party")              # the city itself
    qs = selectors.good_models_for(hn_clerk)
    rows = {r["unit"].code: r["count"] for r in selectors.counts_by_unit(qs, world.hn)}
    assert rows == {"001": 2, "250": 1, "01": 1}
    assert {r["unit"].code: r["count"] for r in selectors.counts_by_unit(qs, None)} == {"01": 4}
    assert [(c, n) for c, _label, n in selectors.counts_by_field(qs)] in (
        [("digital", 2), ("party", 2)], [("party", 2), ("digital", 2)])
    assert selectors.counts_by_year(qs) == [(2024, 1), (2025, 3)]


def test_api(world, hn_clerk, hcm_clerk):
    c = APIClient()
    c.force_authenticate(hn_clerk)
    r = c.post("/api/good-models/", {"title": "Tổ công nghệ số", "field": "digital", "unit": world.tree["00001"].pk,
                                     "year": 2025, "recognition_level": "province"}, format="json")
    assert r.status_code == 201, r.content
    r = c.post("/api/good-models/", {"title": "X", "field": "digital", "unit": world.tree["00001"].pk,
                                     "year": 2999, "recognition_level": "province"}, format="json")
    assert r.status_code == 400 and GoodModel.objects.count() == 1
    r = c.get("/api/good-models/counts/", {"unit": "01"})
    assert r.json()["total"] == 1 and r.json()["by_unit"] == [{"key": "001", "label": "Quận Ba Đình", "count": 1}]
    other = APIClient()
    other.force_authenticate(hcm_clerk)
    assert other.get(f"/api/good-models/{GoodModel.objects.get().pk}/").status_code == 404
