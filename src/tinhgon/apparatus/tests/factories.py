"""Units, positions and quotas for tests, made through the apparatus services."""

from __future__ import annotations

import datetime as dt

import factory

from tinhgon.apparatus.models import PayrollQuota, Position, Unit
from tinhgon.core.testing import D0

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


def make_tree(spec: dict, *, valid_from: dt.date = D0) -> dict:
    """Create a small apparatus from a nested dict; returns the created units by code.

    ``{"01:Thành phố Hà Nội:thanh-pho-tw": {"001:Quận Ba Đình:quan": {"00001:Phường Phúc Xá:phuong": {}}}}``
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


class UnitFactory(factory.Factory):
    """``UnitFactory(parent=commune_parent)``: a commune (by default) under ``parent``."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Xã Thử {o.code}")
    kind = "xa"
    parent = None
    valid_from = D0

    @classmethod
    def _create(cls, model_class, *, parent, **fields):
        from tinhgon.apparatus.services import unit_create

        return unit_create(parent_code=parent.code if parent is not None else "", **fields)


class PositionFactory(factory.Factory):
    class Meta:
        model = Position

    unit = None
    title = factory.Sequence(lambda n: f"Chuyên viên {n}")
    count = 1
    is_leadership = False

    @classmethod
    def _create(cls, model_class, **fields):
        from tinhgon.apparatus.services import position_create

        return position_create(**fields)


class PayrollQuotaFactory(factory.Factory):
    class Meta:
        model = PayrollQuota

    unit = None
    year = 2024
    quota = 20

    @classmethod
    def _create(cls, model_class, **fields):
        from tinhgon.apparatus.services import payroll_quota_set

        return payroll_quota_set(**fields)
