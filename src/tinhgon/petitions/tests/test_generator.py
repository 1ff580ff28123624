import io

import pytest
from django.core.management import call_command

from tinhgon.petitions.models import HotSpot, Petition

pytestmark = pytest.mark.django_db


def test_generate_petitions_is_seeded_and_idempotent(tree):
    from tinhgon.cadres.tests.factories import CadreFactory
    from tinhgon.petitions.models import ReceptionSession

    CadreFactory(full_name="Hồ Văn Tiếp", unit=tree["00001"])
    out = io.StringIO()
    call_command("generate_petitions", "--count", "300", "--seed", "7", "--within", "01,79", stdout=out)
    assert Petition.objects.count() == 300
    codes = set(Petition.objects.values_list("code", flat=True))
    assert len(codes) == 300 and all(c[:2] in ("KN", "TC", "KP") for c in codes)
    assert Petition.objects.filter(people__gte=5).exists() and Petition.objects.filter(contacts_count__gt=1).exists()
    assert Petition.objects.exclude(deadline=None).exists()
    assert Petition.objects.filter(text_folded__contains="thu hoi dat").exists()
    assert not Petition.objects.filter(kind="recommendation").exclude(deadline=None).exists()
    assert HotSpot.objects.exists()
    assert ReceptionSession.objects.filter(unit=tree["00001"]).exists()
    assert Petition.objects.filter(place=tree["00001"], leader__isnull=False).exists()
    call_command("generate_petitions", "--count", "300", "--seed", "7", "--within", "01,79", stdout=out)
    assert Petition.objects.count() == 300
