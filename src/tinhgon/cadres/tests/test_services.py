import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.services import position_create
from tinhgon.cadres import selectors, services
from tinhgon.cadres.models import Assignment, Cadre
from tinhgon.core.models import AuditEvent, ObjectChange

pytestmark = pytest.mark.django_db
START = dt.date(2021, 1, 1)


def person(**kw):
    fields = dict(full_name="Nguyễn Thị Lan", sex="F", birth_date=dt.date(1990, 5, 17), citizen_id="001190012345",
                  education_level=5, political_theory=3)
    fields.update(kw)
    return services.cadre_create(**fields)


def counts():
    return Cadre.objects.count(), Assignment.objects.count(), ObjectChange.objects.count()


BAD = [
    ("citizen_id", dict(citizen_id="12345")),
    ("citizen_id", dict(citizen_id="001090012345")),       # sex digit says man
    ("citizen_id", dict(citizen_id="001191012345")),       # year digits say 1991
    ("citizen_id", dict(citizen_id="099190012345")),       # no province 099
    ("birth_date", dict(birth_date=dt.date(2999, 1, 1), citizen_id="001199912345")),
    ("full_name", dict(full_name="  ")),
    ("retirement_adjust_basis", dict(retirement_adjust_months=-24)),
    ("sex", dict(sex="X")),
]


@pytest.mark.parametrize(("field", "change"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_person_is_refused(db, field, change):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        person(**change)
    assert field in exc.value.message_dict, exc.value.message_dict
    assert counts() == before


def test_duplicate_citizen_id(db):
    person()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        person(full_name="Trần Văn B")
    assert "citizen_id" in exc.value.message_dict
    assert counts() == before


def test_name_is_folded_and_birth_year_derived(db):
    c = person()
    assert c.name_folded == "nguyen thi lan" and c.birth_year == 1990


def test_concurrent_edit_is_detected(db):
    c = person()
    services.cadre_update(cadre=c, lock_version=0, education_field="Luật")
    with pytest.raises(ValidationError) as exc:
        services.cadre_update(cadre=c, lock_version=0, education_field="Kinh tế")
    assert "lock_version" in exc.value.message_dict
    assert Cadre.objects.get().education_field == "Luật"


def test_assignment_rules(tree):
    c = person()
    a = services.assignment_create(cadre=c, unit=tree["00001"], title="Chủ tịch UBND phường", valid_from=START,
                                   decision_number="12/QĐ-UBND", decision_date=dt.date(2020, 12, 20))
    c.refresh_from_db()
    assert c.unit_id == tree["00001"].pk and c.unit_path == "01/001/00001/" and c.current_title == a.title
    before = counts()
    bad = [
        ("valid_from", dict(valid_from=dt.date(2022, 1, 1))),  # second primary position at once
        ("decision_date", dict(valid_from=dt.date(2022, 1, 1), is_primary=False, decision_date=dt.date(2022, 2, 1))),
        ("valid_from", dict(valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2020, 6, 1), is_primary=False)),
        ("valid_from", dict(valid_from=dt.date(2005, 1, 1), valid_to=dt.date(2006, 1, 1), is_primary=False)),
        ("planned_return", dict(valid_from=dt.date(2022, 1, 1), is_primary=False, kind="rotation")),
    ]
    for field, kw in bad:
        with pytest.raises(ValidationError) as exc:
            services.assignment_create(cadre=c, unit=tree["00004"], title="Phó Bí thư", **kw)
        assert field in exc.value.message_dict, (field, exc.value.message_dict)
    assert counts() == before


def test_position_count_needs_a_logged_override(tree):
    seat = position_create(unit=tree["00004"], title="Chủ tịch UBND", count=1)
    first = person()
    second = person(full_name="Lê Văn Minh", sex="M", citizen_id="001088012345", birth_date=dt.date(1988, 2, 2))
    services.assignment_create(cadre=first, unit=tree["00004"], position=seat, title=seat.title, valid_from=START)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(cadre=second, unit=tree["00004"], position=seat, title=seat.title, valid_from=START)
    assert "count_override_reason" in exc.value.message_dict
    services.assignment_create(cadre=second, unit=tree["00004"], position=seat, title=seat.title, valid_from=START,
                               count_override_reason="Kiêm nhiệm trong thời gian sắp xếp")
    assert AuditEvent.objects.filter(kind="assignment.count_exceeded").count() == 1


def test_search_women_under_40_masters_advanced_theory_in_pool_in_scope(tree):
    hanoi = person()  # woman, 1990, master, advanced theory
    services.assignment_create(cadre=hanoi, unit=tree["00001"], title="Phó Chủ tịch", valid_from=START)
    services.pool_entry_add(cadre=hanoi, unit=tree["00001"], title="Phó Chủ tịch UBND", term="2026-2031",
                            added_on=dt.date(2024, 1, 1))
    hcm = person(full_name="Phạm Thu Hà", citizen_id="079190012345")
    services.assignment_create(cadre=hcm, unit=tree["26734"], title="Phó Chủ tịch", valid_from=START)
    services.pool_entry_add(cadre=hcm, unit=tree["26734"], title="Phó Chủ tịch UBND", term="2026-2031",
                            added_on=dt.date(2024, 1, 1))
    older = person(full_name="Đỗ Thị Mai", citizen_id="001175012345", birth_date=dt.date(1975, 1, 1))
    services.assignment_create(cadre=older, unit=tree["00004"], title="Phó Chủ tịch", valid_from=START)
    viewer = make_user("hn", scopes=[tree["01"]])
    q = selectors.CadreQuery(sex="F", age_under=40, education_min=5, political_theory_min=3,
                             pool_title="phó chủ tịch", on=dt.date(2026, 1, 1))
    assert list(selectors.cadre_search(viewer, q)) == [hanoi]
    admin = make_user("root", role="administrator")
    assert set(selectors.cadre_search(admin, q)) == {hanoi, hcm}
    assert list(selectors.cadre_search(admin, selectors.CadreQuery(q="thu ha"))) == [hcm]
    assert list(selectors.cadre_search(admin, selectors.CadreQuery(age_from=50, on=dt.date(2026, 1, 1)))) == [older]


def test_discipline_blocks_the_pool(tree):
    c = person()
    services.discipline_add(cadre=c, measure="canh_cao", decision_date=dt.date(2025, 3, 1),
                            effective_date=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.pool_entry_add(cadre=c, unit=tree["01"], title="Giám đốc Sở", term="2026-2031",
                                added_on=dt.date(2025, 6, 1))
    ok, _reasons = selectors.cadre_eligibility(c, on=dt.date(2026, 3, 1))
    assert ok
    services.pool_entry_add(cadre=c, unit=tree["01"], title="Giám đốc Sở", term="2026-2031",
                            added_on=dt.date(2026, 3, 1))


def test_retirement_shown_with_rule_set(db):
    c = person(full_name="Trần Văn Hùng", sex="M", birth_date=dt.date(1962, 3, 10), citizen_id="001062012345")
    r = selectors.cadre_retirement(c)
    assert (r.retirement_date, r.pension_start, r.rule_set) == (
        dt.date(2022, 9, 30), dt.date(2022, 10, 1), "retirement-labor-code-2019")


def test_retiring_within(tree):
    soon = person(full_name="Trần Văn Hùng", sex="M", birth_date=dt.date(1964, 1, 10), citizen_id="001064012345")
    services.assignment_create(cadre=soon, unit=tree["00001"], title="Bí thư", valid_from=START)
    later = person()
    services.assignment_create(cadre=later, unit=tree["00004"], title="Bí thư", valid_from=START)
    admin = make_user("root", role="administrator")
    found = selectors.cadre_search(admin, selectors.CadreQuery(retiring_within_months=12, on=dt.date(2025, 6, 1)))
    # born 01/1964: 2025 demands 61y3m → 04/2025 (already past on 2025-06-01); 2026 → no
    assert list(found) == []
    found = selectors.cadre_search(admin, selectors.CadreQuery(retiring_within_months=12, on=dt.date(2025, 1, 1)))
    assert list(found) == [soon]


def test_masking(tree):
    c = person()
    services.assignment_create(cadre=c, unit=tree["00001"], title="Chuyên viên", valid_from=START)
    c.refresh_from_db()
    viewer, organizer = make_user("v", scopes=[tree["01"]]), make_user("o", role="organizer", scopes=[tree["01"]])
    assert selectors.masked(c, viewer) == {"citizen_id": "001******345", "birth_date": None, "masked": True}
    assert selectors.masked(c, organizer)["citizen_id"] == "001190012345"
    # A record outside the user's scopes stays masked, whoever hands it in.
    elsewhere = make_user("o-hcm", role="organizer", scopes=[tree["79"]])
    assert selectors.masked(c, elsewhere)["masked"] is True


def test_name_search_follows_renames_and_short_terms(db):
    admin = make_user("root2", role="administrator")
    c = person(full_name="Lê Thị Lan")
    search = lambda q: list(selectors.cadre_search(admin, selectors.CadreQuery(q=q)))  # noqa: E731
    assert search("le thi lan") == [c] and search("LAN") == [c] and search("le") == [c]
    services.cadre_update(cadre=c, full_name="Lê Thị Hồng")
    assert search("lan") == [] and search("hong le") == [c]


@pytest.mark.parametrize("q", ["nguyen van", "le", "thi lan", "lan nguyen", "HÙNG", "nguyễn văn hùng", "van hung",
                               "xyz", "ng", "đo"])
def test_name_search_gives_the_same_answer_nationally_and_inside_a_scope(tree, q):
    """Nationally SQLite narrows names through its trigram index, inside a scope it reads the
    scope's index range: both ways (and PostgreSQL's) give the same cadres in the same order."""
    people = [("Nguyễn Văn Hùng", "00001"), ("Nguyễn Văn An", "00004"), ("Lê Thị Lan", "00001"),
              ("Nguyễn Thị Lan", "00004"), ("Đỗ Văn Hùng", "001"), ("Lê Văn Long", "26734"),
              ("Nguyễn Lan", "08974")]
    for i, (name, unit) in enumerate(people):
        c = person(full_name=name, citizen_id=f"001190{i:06d}")
        services.assignment_create(cadre=c, unit=tree[unit], title="Chuyên viên", valid_from=dt.date(2021, 1, 1))
    admin = make_user("root3", role="administrator")
    hanoi = make_user("hn", scopes=[tree["01"]])
    national = list(selectors.cadre_search(admin, selectors.CadreQuery(q=q)))
    in_hanoi = [c for c in national if c.unit_path.startswith(tree["01"].path)]
    assert list(selectors.cadre_search(hanoi, selectors.CadreQuery(q=q))) == in_hanoi
    assert list(selectors.cadre_search(admin, selectors.CadreQuery(q=q, within="01"))) == in_hanoi


@pytest.mark.parametrize("on,months", [(dt.date(2026, 11, 23), 12), (dt.date(2025, 1, 1), 6), (dt.date(2028, 5, 31), 0),
                                       (dt.date(2030, 3, 15), 36)])
def test_retiring_filter_matches_the_rule_person_by_person(db, on, months):
    """The SQL birth-date ranges give exactly the cadres the rule puts in the window."""
    import random

    rng = random.Random(on.toordinal())
    admin = make_user(f"root-{on}", role="administrator")
    made = []
    for i in range(400):
        sex = rng.choice("MF")
        born = dt.date(rng.randint(on.year - 70, on.year - 50), rng.randint(1, 12), rng.randint(1, 28))
        fields = dict(full_name=f"Người {i}", sex=sex, citizen_id=f"001{(0 if born.year < 2000 else 2) + (sex == 'F')}"
                      f"{born.year % 100:02d}{i:06d}", retirement_adjust_months=rng.choice([0] * 8 + [-60, 12]))
        if fields["retirement_adjust_months"]:
            fields["retirement_adjust_basis"] = "Nghị định 135/2020/NĐ-CP"
        if rng.random() < 0.2:
            fields["birth_year"] = born.year
        else:
            fields["birth_date"] = born
        made.append(services.cadre_create(**fields))
    rule = selectors.retirement_rule(on)
    horizon = selectors._add_months(on, months + 1)
    expected = {c.pk for c in made if on <= selectors.cadre_retirement(c, rule=rule).retirement_date < horizon}
    found = set(selectors.cadre_search(admin, selectors.CadreQuery(retiring_within_months=months, on=on))
                .values_list("pk", flat=True))
    assert found == expected and expected
