"""The OpenAPI schema (drf-spectacular) of the apparatus API generates cleanly."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

APPARATUS_PATHS = {
    "/api/units/": {"get", "post"},
    "/api/units/{id}/": {"get"},
    "/api/units/{id}/children/": {"get"},
    "/api/units/{id}/ancestors/": {"get"},
    "/api/units/{id}/versions/": {"get"},
    "/api/units/{id}/change/": {"post"},
    "/api/units/{id}/end/": {"post"},
    "/api/levels/": {"get", "post"},
    "/api/unit-kinds/": {"get", "post"},
    "/api/functions/": {"get", "post"},
    "/api/functions/{id}/": {"get", "put", "patch", "delete"},
    "/api/powers/": {"get", "post"},
    "/api/powers/{id}/": {"get", "put", "patch", "delete"},
    "/api/function-holdings/": {"get"},
    "/api/power-holdings/": {"get"},
    "/api/positions/": {"get", "post"},
    "/api/positions/{id}/": {"get", "put", "patch", "delete"},
    "/api/payroll-quotas/": {"get", "post"},
    "/api/payroll-quotas/{id}/": {"get", "put", "patch", "delete"},
    "/api/payroll-roadmap/": {"get"},
    "/api/coverage/": {"get"},
    "/api/rule-sets/": {"get", "post"},
}
HTTP = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    from django.utils import translation

    GENERATOR_STATS.reset()
    with translation.override("en"):  # the schema speaks the language asked for; check the English one
        result = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    return result, warnings, errors


def test_apparatus_paths_and_methods(schema):
    paths = schema[0]["paths"]
    for path, methods in APPARATUS_PATHS.items():
        assert path in paths, path
        assert set(paths[path]) & HTTP == methods, path


def test_no_unit_put_patch_delete(schema):
    assert not set(schema[0]["paths"]["/api/units/{id}/"]) & {"put", "patch", "delete"}


def test_parameters_are_documented(schema):
    paths = schema[0]["paths"]

    def names(path):
        return {p["name"] for p in paths[path]["get"].get("parameters", [])}

    assert {"as_of", "level", "kind", "q", "parent", "within", "page", "page_size"} <= names("/api/units/")
    assert {"as_of"} <= names("/api/units/{id}/children/")
    assert {"as_of"} <= names("/api/units/{id}/ancestors/")
    assert {"category", "baseline_year", "target_year", "within"} <= names("/api/payroll-roadmap/")
    assert {"as_of", "within"} <= names("/api/coverage/")
    assert {"unit", "unit_code", "as_of"} <= names("/api/function-holdings/")
    assert {"unit", "unit_code", "as_of"} <= names("/api/power-holdings/")
    assert {"kind"} <= names("/api/rule-sets/")
    as_of = next(p for p in paths["/api/units/"]["get"]["parameters"] if p["name"] == "as_of")
    assert as_of["schema"] == {"type": "string", "format": "date"}


def test_valid_to_is_documented_as_exclusive(schema):
    unit = schema[0]["components"]["schemas"]["Unit"]["properties"]
    assert "first day" in unit["valid_to"]["description"].lower()
    assert unit["valid_to"]["nullable"] is True


def test_no_warnings_or_errors_from_the_apparatus_api(schema):
    _result, warnings, errors = schema
    mine = [m for m in [*warnings, *errors] if "apparatus" in m or "Unit" in m or "Payroll" in m]
    assert mine == []


@pytest.mark.django_db
def test_whole_schema_validates_without_warnings(tmp_path):
    GENERATOR_STATS.reset()
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert set(APPARATUS_PATHS) <= set(yaml.safe_load(out.read_text())["paths"])


@pytest.mark.django_db
def test_schema_endpoint_serves_it(client):
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert "/api/units/{id}/children/" in r.json()["paths"]
