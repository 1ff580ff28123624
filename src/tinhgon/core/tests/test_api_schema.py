"""The OpenAPI schema documents the error answers the API gives (the schema fuzzing in CI
holds the API to it), and API paths that match no route answer in JSON like the rest."""

from __future__ import annotations

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

HTTP = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def operations():
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, [(path, method, op) for path, ops in schema["paths"].items()
                    for method, op in ops.items() if method in HTTP]


def test_every_operation_documents_its_errors(operations):
    _schema, ops = operations
    assert len(ops) > 90
    for path, method, op in ops:
        codes = set(op["responses"])
        label = f"{method.upper()} {path}"
        if path != "/api/auth/token/":
            assert {"401", "403"} <= codes, label
        if "{" in path:
            assert "404" in codes, label
        if method != "get" or any(p["in"] == "query" for p in op.get("parameters", [])):
            assert "400" in codes, label
        if "requestBody" in op:
            assert "415" in codes, label


def test_error_bodies_are_described(operations):
    schema, ops = operations
    components = schema["components"]["schemas"]
    assert components["ErrorDetail"]["required"] == ["detail"]
    assert "anyOf" in components["ValidationErrors"]
    plans = schema["paths"]["/api/plans/{id}/approve/"]["post"]["responses"]
    # An operation's own 400 body stays, and a body that does not parse may come in the generic shape.
    assert plans["400"]["content"]["application/json"]["schema"]["anyOf"][1] == {
        "$ref": "#/components/schemas/ValidationErrors"}
    cadre = schema["paths"]["/api/cadres/{id}/"]["get"]["responses"]["404"]
    assert cadre["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}


def test_writes_are_not_paged(operations):
    """The operations of a plan: GET lists a page, POST answers the created rows as a list."""
    schema, _ops = operations
    path = schema["paths"]["/api/plans/{id}/operations/"]
    assert "PaginatedOperationList" in path["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert path["post"]["responses"]["201"]["content"]["application/json"]["schema"]["type"] == "array"


def test_blank_addresses_are_not_claimed_to_be_emails(operations):
    schema, _ops = operations
    assert "format" not in schema["components"]["schemas"]["Me"]["properties"]["email"]


@pytest.mark.django_db
def test_unrouted_api_paths_answer_json(client, admin_user):
    client.force_login(admin_user)
    r = client.get("/api/cadres/%C2%84/")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert "detail" in r.json()
    r = client.get("/api/no-such-thing/")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    r = client.get("/apparatus/no-such-page/")
    assert r.status_code == 404 and r["Content-Type"].startswith("text/html")
