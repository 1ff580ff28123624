"""Cadre records for tests, made through the cadre services (valid citizen IDs, careers)."""

from __future__ import annotations

import datetime as dt

import factory

from tinhgon.cadres.models import Assignment, Cadre


def citizen_id(n: int, *, sex: str = "M", birth_year: int = 1980, province: int = 1) -> str:
    """A well-formed citizen ID: province, the century-and-sex digit, the year's last two digits, a serial."""
    century = (birth_year - 1900) // 100
    digit = century * 2 + (1 if sex == "F" else 0)
    return f"{province:03d}{digit}{birth_year % 100:02d}{n:06d}"


class CadreFactory(factory.Factory):
    """``CadreFactory(unit=ward)``: a record, with its current position in ``unit`` when given."""

    class Meta:
        model = Cadre

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    sex = "M"
    birth_date = dt.date(1980, 5, 17)
    citizen_id = factory.LazyAttributeSequence(
        lambda o, n: citizen_id(n, sex=o.sex, birth_year=o.birth_date.year if o.birth_date else 1980))
    unit = None
    title = "Chuyên viên"
    since = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *, unit, title, since, **fields):
        from tinhgon.cadres.services import assignment_create, cadre_create

        cadre = cadre_create(**fields)
        if unit is not None:
            assignment_create(cadre=cadre, unit=unit, title=title, valid_from=since)
            cadre.refresh_from_db()
        return cadre


class AssignmentFactory(factory.Factory):
    class Meta:
        model = Assignment

    cadre = factory.SubFactory(CadreFactory)
    unit = None
    title = "Chuyên viên"
    valid_from = dt.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, **fields):
        from tinhgon.cadres.services import assignment_create

        return assignment_create(**fields)
