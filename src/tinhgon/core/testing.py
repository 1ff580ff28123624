"""Helpers shared by the test suites of every app (no app imports at module level)."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

D0 = dt.date(2020, 1, 1)


def make_tree(spec: dict, *, valid_from: dt.date = D0) -> dict:
    """Create a small apparatus from a nested dict.

    ``{"01:Thành phố Hà Nội:thanh-pho-tw": {"001:Quận Ba Đình:quan": {"00001:Phường Phúc Xá:phuong": {}}}}``
    Returns the created units by code.
    """
    from tinhgon.apparatus.services import UnitInput, units_create

    rows: list[UnitInput] = []

    def walk(node: dict, parent: str) -> None:
        for key, children in node.items():
            code, name, kind = key.split(":")
            rows.append(UnitInput(code=code, name=name, kind=kind, parent_code=parent, valid_from=valid_from))
            walk(children, code)

    walk(spec, "")
    return {u.code: u for u in units_create(rows=rows)}


SMALL_TREE = {
    "01:Thành phố Hà Nội:thanh-pho-tw": {
        "001:Quận Ba Đình:quan": {
            "00001:Phường Phúc Xá:phuong": {},
            "00004:Phường Trúc Bạch:phuong": {},
        },
        "250:Huyện Mê Linh:huyen": {"08974:Xã Đại Thịnh:xa": {}},
    },
    "79:Thành phố Hồ Chí Minh:thanh-pho-tw": {
        "760:Quận 1:quan": {"26734:Phường Tân Định:phuong": {}},
    },
    "26:Tỉnh Vĩnh Phúc:tinh": {
        "243:Thành phố Vĩnh Yên:thanh-pho-thuoc-tinh": {"08866:Phường Tích Sơn:phuong": {}},
    },
}


def make_user(username: str, role: str = "viewer", scopes=(), **extra):
    from tinhgon.accounts.services import user_create

    user, _password = user_create(username=username, role=role, scope_units=scopes, password="Pw-for-tests-123", **extra)
    return user


class _FailingHandler:
    """A successor handler whose ``apply`` raises: a failure in the middle of a plan's apply."""

    name = "zz-injected-fault"

    def validate(self, **kw):
        return []

    def apply(self, **kw):
        raise RuntimeError("injected failure")

    def revert(self, **kw):
        pass


class failing_successor_handler:  # noqa: N801 - used as a context manager
    """Register a handler that fails during apply, for the duration of the block."""

    def __enter__(self):
        from tinhgon.core import successors

        successors.register(_FailingHandler())
        return self

    def __exit__(self, *exc):
        from tinhgon.core import successors

        successors.unregister(_FailingHandler.name)
        return False


@contextmanager
def run_state(django_db_blocker):
    """The state ``make run`` leaves (``core.run_state``: the real apparatus, the demo data set,
    the 2025 plan applied, synthetic cadres), loaded into the test database by the very commands
    the Makefile runs, inside one transaction rolled back when the block ends.

    Use it from a module-scoped fixture: the state is built once per module that asks for it, so
    keep the tests that share it in one module (the page crawler does: once per database per
    run, about 20 s on SQLite). Each test inside still gets its own savepoint with ``db``.
    """
    from django.db import transaction
    from django.test import override_settings

    from tinhgon.core.run_state import load_run_state

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]), \
            django_db_blocker.unblock(), transaction.atomic():
        load_run_state(verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
        try:
            yield
        finally:
            transaction.set_rollback(True)
