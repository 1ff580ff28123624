"""The filter-set base: numbers, ids and dates stay in a range the database holds, and every
filter set of every app (and every one DRF builds from ``filterset_fields``) uses it."""

from __future__ import annotations

import importlib
import pkgutil

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

import tinhgon
from tinhgon.core.filters import DATE_MAX, DATE_MIN, INT64_MAX, FilterBackend, FilterSet


def _import_app_modules() -> None:
    for module in pkgutil.walk_packages(tinhgon.__path__, "tinhgon."):
        if ".tests" in module.name or ".migrations" in module.name or ".management" in module.name:
            continue
        if module.name.rsplit(".", 1)[-1] in ("filtersets", "views") or ".api." in module.name:
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class _Probe(FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    year = django_filters.NumberFilter()
    on = django_filters.DateFilter()

    class Meta:
        model = apps.get_model("apparatus", "PayrollQuota")
        fields = ["unit", "year", "on"]


@pytest.mark.parametrize(("data", "errors"), [
    ({"unit": str(2**63)}, {"unit": ["Not a valid id."]}),
    ({"unit": str(-(2**63) - 1)}, {"unit": ["Not a valid id."]}),
    ({"year": "99999999999999999999"}, {"year": [f"Enter a number between {-INT64_MAX - 1} and {INT64_MAX}."]}),
    ({"on": "0001-01-01"}, {"on": ["Enter a date between 1900-01-01 and 2200-12-31."]}),
    ({"on": "2201-01-01"}, {"on": ["Enter a date between 1900-01-01 and 2200-12-31."]}),
    ({"unit": str(INT64_MAX), "year": "2025", "on": DATE_MIN.isoformat()}, {}),
    ({"on": DATE_MAX.isoformat()}, {}),
])
def test_bounds(data, errors):
    with translation.override("en"):
        fs = _Probe(data)
        assert fs.is_valid() is not errors
        assert {k: list(v) for k, v in fs.errors.items()} == errors


def test_bounds_are_added_once():
    assert len(_Probe.base_filters["unit"].extra["validators"]) == 1
    assert len(_Probe().filters["on"].extra["validators"]) == 1


def test_every_filter_set_uses_the_base():
    _import_app_modules()
    foreign = [f"{c.__module__}.{c.__qualname__}" for c in _subclasses(django_filters.FilterSet)
               if c.__module__.startswith("tinhgon.") and not issubclass(c, FilterSet)]
    assert not foreign, f"filter sets not built on tinhgon.core.filters.FilterSet: {foreign}"


def test_every_api_view_filters_through_the_base_backend():
    from django_filters.rest_framework import DjangoFilterBackend
    from rest_framework.settings import api_settings

    assert settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"] == ["tinhgon.core.filters.FilterBackend"]
    seen = 0

    def walk(patterns):
        nonlocal seen
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns)
                continue
            view = getattr(p.callback, "cls", None)
            for backend in getattr(view, "filter_backends", None) or []:
                seen += 1
                if issubclass(backend, DjangoFilterBackend):
                    assert issubclass(backend, FilterBackend), view

    walk(get_resolver().url_patterns)
    assert seen and api_settings.DEFAULT_FILTER_BACKENDS == [FilterBackend]
