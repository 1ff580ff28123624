"""The apps' test factories make valid records through the services."""

import pytest

pytestmark = pytest.mark.django_db


def test_factories(tree):
    from tinhgon.accounts.tests.factories import UserFactory
    from tinhgon.apparatus.tests.factories import PayrollQuotaFactory, PositionFactory, UnitFactory
    from tinhgon.cadres.tests.factories import AssignmentFactory, CadreFactory
    from tinhgon.restructuring.tests.factories import PlanFactory

    user = UserFactory(role="organizer", scopes=[tree["01"]])
    assert user.scope_paths() == [tree["01"].path]
    commune = UnitFactory(parent=tree["001"])
    assert commune.path == f"{tree['001'].path}{commune.code}/"
    assert PositionFactory(unit=commune).unit == commune
    assert PayrollQuotaFactory(unit=commune).quota == 20
    women = CadreFactory.create_batch(3, sex="F", unit=commune)
    assert len({c.citizen_id for c in women}) == 3 and all(c.unit == commune for c in women)
    assert AssignmentFactory(unit=commune, is_primary=False).cadre.unit is None
    plan = PlanFactory(operations=[("rename", {"code": commune.code, "name": "Xã Mới"})], scope_path="01/", user=user)
    assert plan.operations.count() == 1


def test_core_testing_imports_no_app():
    import ast
    import pathlib

    import tinhgon.core.testing as testing

    tree = ast.parse(pathlib.Path(testing.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    apps = sorted(m for m in imported if m.startswith("tinhgon.") and not m.startswith("tinhgon.core"))
    assert not apps, apps
