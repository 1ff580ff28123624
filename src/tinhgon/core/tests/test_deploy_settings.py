"""``tinhgon check --deploy`` is clean with the documented production settings (README,
docs/SECURITY.md), and the HTTPS switches do what they say."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings

PRODUCTION_ENV = {
    "TINHGON_SECRET_KEY": "x7Rk2-vQ9_mZpL4tW8yN1cF6hJ3sD0aG5eB-uXoIiKqVrTnMwYz" * 2,
    "TINHGON_ALLOWED_HOSTS": "tinhgon.example.gov.vn",
    "TINHGON_CSRF_TRUSTED_ORIGINS": "https://tinhgon.example.gov.vn",
    "TINHGON_DEBUG": "0",
    "TINHGON_HTTPS": "1",
    "TINHGON_TRUSTED_PROXIES": "127.0.0.1",
}


def _run(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    # A clean environment: the browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, for one.
    full = {k: v for k, v in os.environ.items() if not k.startswith(("TINHGON_", "DJANGO_"))}
    full |= {"DJANGO_SETTINGS_MODULE": "tinhgon.settings", "TINHGON_VAR_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120)


CHECK = ("import django; django.setup(); from django.core.management import call_command; "
         "call_command('check', deploy=True, fail_level='WARNING')")


def test_check_deploy_is_clean_with_the_documented_settings(tmp_path):
    result = _run(CHECK, PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_warns_without_https(tmp_path):
    """The test above is not vacuous: without TINHGON_HTTPS the HTTPS warnings are there."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TINHGON_HTTPS"}
    result = _run(CHECK, env, tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_https_settings_from_the_environment(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)")
    out = _run(code, PRODUCTION_ENV, tmp_path).stdout.split()
    assert out == ["True", "31536000", "True", "False", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')"]
    # no trusted proxy: the forwarded scheme is never believed
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TINHGON_TRUSTED_PROXIES"}
    assert _run(code, env, tmp_path).stdout.split()[-1] == "None"
    # the older switch alone still makes the cookies secure; nothing else changes
    env = {"TINHGON_SECURE_COOKIES": "1", "TINHGON_SECRET_KEY": "k" * 60}
    assert _run(code, env, tmp_path).stdout.split() == ["False", "0", "False", "False", "True", "True", "None"]


@pytest.mark.parametrize(("remote", "redirected"), [("127.0.0.1", False), ("203.0.113.7", True)])
def test_forwarded_scheme_is_believed_only_from_a_trusted_proxy(remote, redirected):
    """A client that reaches the app directly cannot claim HTTPS to skip the redirect."""
    from django.http import HttpResponse
    from django.middleware.security import SecurityMiddleware

    from tinhgon.core.net import ForwardedProtoMiddleware

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    with override_settings(TINHGON_TRUSTED_PROXIES=["127.0.0.1"], SECURE_SSL_REDIRECT=True,
                           SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), ALLOWED_HOSTS=["*"]):
        handler = ForwardedProtoMiddleware(SecurityMiddleware(lambda r: HttpResponse("ok")))
        response = handler(request)
    assert (response.status_code == 301) is redirected
