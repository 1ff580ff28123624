"""The fuzzing's world (a small real apparatus with people and records, and two users), and
collecting the schema fuzzing only when the run selects ``fuzz`` tests: the module builds the
OpenAPI schema when it is imported, which the default run need not pay for."""

from __future__ import annotations

import datetime as dt

import pytest
from _pytest.mark.expression import Expression
from django.db import transaction

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree


def pytest_ignore_collect(collection_path, config):
    if collection_path.name != "test_schema_fuzz.py":
        return None
    markexpr = config.getoption("markexpr") or ""
    if not markexpr:
        return None
    return not Expression.compile(markexpr).evaluate(lambda name, **kwargs: name == "fuzz")


def _build() -> dict:
    """A small real world: two provinces' units, people and records, and two users."""
    from tinhgon.accounts.services import api_token_for
    from tinhgon.apparatus import services as apparatus
    from tinhgon.apparatus.models import Level, PayrollQuota, Unit, UnitKind
    from tinhgon.cadres import services as cadres
    from tinhgon.cadres.models import SavedSearch
    from tinhgon.core.models import RuleSet
    from tinhgon.restructuring.models import Succession
    from tinhgon.restructuring.services import operations_add, plan_create
    from tinhgon.restructuring.testing import applied_plan

    tree = make_tree(SMALL_TREE)
    admin = make_user("fuzz-admin", role="administrator", is_superuser=True)
    organizer = make_user("fuzz-hn-organizer", role="organizer", scopes=[tree["01"]])
    start = dt.date(2021, 1, 1)
    people = []
    for i, (code, sex, born) in enumerate([("00001", "F", dt.date(1978, 3, 4)), ("00004", "M", dt.date(1990, 5, 17)),
                                           ("26734", "M", dt.date(1972, 1, 2))]):
        prefix = "001" if code < "1" else "079"
        c = cadres.cadre_create(full_name=f"Nguyễn Văn {chr(65 + i)}", sex=sex, birth_date=born,
                                citizen_id=f"{prefix}{'1' if sex == 'F' else '0'}{born:%y}{i:06d}",
                                education_level=5, political_theory=3)
        a = cadres.assignment_create(cadre=c, unit=tree[code], title="Phó Chủ tịch UBND", valid_from=start)
        e = cadres.pool_entry_add(cadre=c, unit=tree[code], title="Chủ tịch UBND", term="2026-2031",
                                  added_on=dt.date(2025, 1, 1))
        cadres.training_add(cadre=c, program="Cao cấp LLCT", start=dt.date(2023, 1, 1), end=dt.date(2024, 1, 1))
        cadres.commendation_add(cadre=c, title="Bằng khen", date=dt.date(2024, 5, 1))
        people.append((c.pk, a.pk, e.pk))
    cadres.discipline_add(cadre=cadres.Cadre.objects.get(pk=people[0][0]), measure="khien_trach",
                          decision_date=dt.date(2025, 3, 1), effective_date=dt.date(2025, 3, 1))
    positions = [apparatus.position_create(unit=tree[code], title="Chủ tịch UBND").pk for code in ("00001", "26734")]
    quotas = [apparatus.payroll_quota_set(unit=tree[code], year=year, quota=q,
                                          category=PayrollQuota.CIVIL_SERVANT).pk
              for code, year, q in (("01", 2022, 500), ("01", 2026, 470), ("79", 2022, 600))]
    function = apparatus.function_create(code="tai-chinh", name="Tài chính")
    power = apparatus.power_create(code="cap-phep", name="Cấp phép", legal_basis="Luật X", function=function)
    holdings_f = [apparatus.function_holding_create(unit=tree["001"], function=function, valid_from=start).pk]
    holdings_p = [apparatus.power_holding_create(unit=tree["760"], power=power, valid_from=start).pk]
    applied = applied_plan(dt.date(2025, 7, 1), [("rename", {"code": "00004", "name": "Phường Trúc Bạch Mới"})])
    draft = plan_create(name="Sáp nhập xã", effective_date=dt.date(2026, 1, 1))
    operations_add(plan=draft, operations=[("merge", {"sources": ["00001", "00004"], "target": {
        "code": "00004", "name": "Phường Ba Đình", "kind": "phuong"}})])
    searches = [SavedSearch.objects.create(user=u, name="Nữ", params={"sex": "F"}).pk for u in (admin, organizer)]

    return {
        "users": {"administrator": admin, "organizer": organizer},
        "tokens": {"administrator": api_token_for(user=admin), "organizer": api_token_for(user=organizer)},
        "ids": {
            "cadres": [p[0] for p in people], "assignment_id": [p[1] for p in people],
            "entry_id": [p[2] for p in people],
            "units": list(Unit.objects.values_list("pk", flat=True)),
            "positions": positions, "payroll-quotas": quotas,
            "functions": [function.pk], "powers": [power.pk],
            "function-holdings": holdings_f, "power-holdings": holdings_p,
            "plans": [applied.pk, draft.pk],
            "successions": list(Succession.objects.values_list("pk", flat=True)),
            "saved-searches": searches, "users": [admin.pk, organizer.pk],
            "levels": list(Level.objects.values_list("pk", flat=True)),
            "unit-kinds": list(UnitKind.objects.values_list("pk", flat=True)),
            "rule-sets": list(RuleSet.objects.values_list("pk", flat=True)),
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(params=["administrator", "organizer"])
def actor(request):
    """Who sends the requests: an administrator, or an organizer scoped to Hà Nội."""
    return request.param
