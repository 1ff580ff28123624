"""Synthetic cadres: valid, unique, reproducible, idempotent, marked, and scoped like any record."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres.generator import SYNTHETIC_NOTE, NoUnits, generate_cadres
from tinhgon.cadres.models import Assignment, Cadre, PoolEntry, Training
from tinhgon.cadres.rules import citizen_id_problems, retirement
from tinhgon.cadres.selectors import CadreQuery, cadre_search, retirement_rule
from tinhgon.core.models import ObjectChange
from tinhgon.core.scoping import restrict

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 6, 30)
FIELDS = ("external_key", "full_name", "sex", "birth_date", "citizen_id", "education_level", "political_theory",
          "unit_path", "current_title", "party_admission_date")


def records():
    return list(Cadre.objects.order_by("external_key").values_list(*FIELDS))


def test_records_are_valid_unique_and_marked(tree):
    result = generate_cadres(count=400, seed=5, as_of=ON)
    assert result.created == 400 == Cadre.objects.count() == Assignment.objects.count()
    cadres = list(Cadre.objects.all())
    assert len({c.citizen_id for c in cadres}) == 400
    rule = retirement_rule(ON)
    for c in cadres:
        assert citizen_id_problems(c.citizen_id, sex=c.sex, birth_year=c.birth_year) == [], c.citizen_id
        assert c.synthetic and c.note == SYNTHETIC_NOTE and c.external_key.startswith("gen-5-")
        age = (ON - c.birth_date).days / 365.25
        assert 23 <= age < 63
        assert retirement(sex=c.sex, rule=rule, birth_date=c.birth_date).retirement_date > ON
        assert len(c.full_name.split()) == 3 and c.name_folded == c.name_folded.lower()
        if c.party_official_date:
            assert c.party_admission_date < c.party_official_date <= ON
    surnames = [c.full_name.split()[0] for c in cadres]
    assert 0.25 < surnames.count("Nguyễn") / len(surnames) < 0.55
    assert {c.sex for c in cadres} == {"M", "F"}
    assert PoolEntry.objects.exists() and Training.objects.exists()


def test_assignments_lie_in_units_valid_on_the_date_and_match_the_record(tree):
    generate_cadres(count=200, seed=2, as_of=ON)
    for a in Assignment.objects.select_related("unit", "cadre"):
        assert a.is_primary and a.status == Assignment.ACTIVE
        assert a.unit.is_valid_on(ON) and a.unit.valid_from <= a.valid_from <= ON
        assert (a.cadre.unit_id, a.cadre.unit_path, a.cadre.current_title) == (a.unit_id, a.unit.path, a.title)
        assert (a.valid_from - a.cadre.birth_date).days > 18 * 365
    levels = set(Assignment.objects.values_list("unit__level__code", flat=True))
    assert {"province", "district", "commune"} <= levels


def test_same_seed_same_records_whatever_the_batch_size(tree):
    generate_cadres(count=2100, seed=7, as_of=ON, batch_size=1000)
    first = records()
    Cadre.objects.all().delete()
    generate_cadres(count=2100, seed=7, as_of=ON, batch_size=5000)
    assert records() == first
    Cadre.objects.all().delete()
    generate_cadres(count=300, seed=8, as_of=ON)
    assert records() != first[:300]


def test_rerunning_adds_nothing_and_a_larger_count_adds_the_rest(tree):
    generate_cadres(count=300, seed=4, as_of=ON)
    before, changes = records(), ObjectChange.objects.count()
    again = generate_cadres(count=300, seed=4, as_of=ON)
    assert (again.created, again.skipped) == (0, 300)
    assert records() == before and ObjectChange.objects.count() == changes
    more = generate_cadres(count=450, seed=4, as_of=ON)
    assert (more.created, more.skipped) == (150, 300)
    assert Cadre.objects.count() == 450 and set(before) <= set(records())
    # Another seed adds distinct people (citizen IDs still unique).
    generate_cadres(count=300, seed=9, as_of=ON)
    assert Cadre.objects.values("citizen_id").distinct().count() == Cadre.objects.count() == 750


def test_every_row_is_in_the_change_log(tree):
    result = generate_cadres(count=120, seed=1, as_of=ON)
    for model, n in ((Cadre, result.created), (Assignment, result.assignments), (PoolEntry, result.pool_entries),
                     (Training, result.trainings)):
        ct = ContentType.objects.get_for_model(model)
        assert ObjectChange.objects.filter(content_type=ct, action="create").count() == n


def test_within_and_scoping_work_on_generated_records(tree):
    generate_cadres(count=300, seed=3, as_of=ON, within=["01", "79"])
    paths = set(Cadre.objects.values_list("unit_path", flat=True))
    assert all(p.startswith(("01/", "79/")) for p in paths) and any(p.startswith("79/") for p in paths)
    user = make_user("hn-only", scopes=[tree["01"]])
    seen = restrict(Cadre.objects.all(), user)
    assert seen.count() == Cadre.objects.filter(unit_path__startswith="01/").count() > 0
    assert not seen.filter(unit_path__startswith="79/").exists()
    women = cadre_search(user, CadreQuery(sex="F", age_under=40, on=ON))
    assert all(c.unit_path.startswith("01/") and c.sex == "F" for c in women)
    other = Cadre.objects.filter(unit_path__startswith="79/").first()
    assert not restrict(Cadre.objects.filter(pk=other.pk), user).exists()
    with pytest.raises(NoUnits):
        generate_cadres(count=10, seed=3, as_of=ON, within=["nowhere"])


def test_units_positions_are_used_before_standard_titles(tree):
    from tinhgon.apparatus.services import position_create

    position_create(unit=tree["00001"], title="Chủ tịch UBND phường", count=1, is_leadership=True)
    generate_cadres(count=400, seed=6, as_of=ON, within=["00001"])
    held = Assignment.objects.filter(position__isnull=False)
    assert held.count() == 1 and held.get().title == "Chủ tịch UBND phường"
    assert not Assignment.objects.filter(title="Chủ tịch UBND").exists()


def test_command(tree):
    out = StringIO()
    call_command("generate_cadres", count=50, seed=2, within=["01"], as_of=ON, stdout=out)
    assert "50 synthetic cadres created" in out.getvalue()
    call_command("generate_cadres", count=50, seed=2, within=["01"], as_of=ON, stdout=out)
    assert "0 synthetic cadres created (50 already present)" in out.getvalue()
