"""The Content-Security-Policy header, and templates that can live with it.

The browser test (tests/browser/test_csp.py) opens the main pages in chromium and fails
on any violation; these tests check the header and scan the templates cheaply.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tinhgon.accounts.tests.factories import make_user
from tinhgon.core.security import CSP_HEADER, DEFAULT_POLICY, policy_text

STRICT = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
          "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'")
SRC = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    out = {}
    for part in response[CSP_HEADER].split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_the_default_policy_is_the_strict_one():
    assert policy_text(DEFAULT_POLICY) == STRICT


def test_pages_carry_the_policy(client, tree):
    assert client.get(reverse("accounts:login"))[CSP_HEADER] == STRICT
    client.force_login(make_user("someone", scopes=[tree["01"]]))
    for url in ("/apparatus/", "/apparatus/units/", reverse("accounts:me")):
        response = client.get(url)
        assert response.status_code == 200 and response[CSP_HEADER] == STRICT, url


def test_api_answers_carry_the_policy(client, tree):
    client.force_login(make_user("someone", scopes=[tree["01"]]))
    assert client.get("/api/me/", HTTP_ACCEPT="application/json")[CSP_HEADER] == STRICT


def test_browsable_api_may_use_style_attributes_only(client, tree):
    """DRF's browsable API pages carry style="…" attributes: styles relaxed there, scripts not."""
    client.force_login(make_user("someone", scopes=[tree["01"]]))
    response = client.get("/api/me/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    policy = _policy(response)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


def test_api_docs_allow_exactly_their_own_inline_blocks(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = _policy(response)
    html = response.content.decode()
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert styles, "the Swagger UI page has its inline <style>"
    for block in styles:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-inline'" not in policy["script-src"]
    # the Swagger UI start-up script is a file (the split view), not inline
    assert not re.search(r"<script>", html)
    assert policy["script-src"] == ["'self'"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def test_static_files_are_left_alone(client, db):
    response = client.get("/static/tinhgon/tinhgon.css")
    assert response.status_code == 200 and CSP_HEADER not in response


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event handler attribute"),
    (re.compile(r"\shx-on(:|-|=)", re.I), "hx-on (evaluated code)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(p.relative_to(SRC) for p in SRC.glob("*/templates/**/*.html")),
                         ids=str)
def test_templates_have_no_inline_code_or_style(template):
    text = (SRC / template).read_text()
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template}: {', '.join(found)} (move it to a static file or a class)"
