"""``tinhgon serve``: the gunicorn configuration it builds, and the real server on a free port."""

import io
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tinhgon.core.management.commands.serve import (
    ACCESS_LOG_FORMAT,
    default_workers,
    gunicorn_options,
)
from tinhgon.core.testing_server import ServedSite, sqlite_suite_only


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (4, 9), (5, 11), (6, 12), (64, 12)])
def test_workers_follow_the_cpu_count_with_a_cap(cpus, workers):
    assert default_workers(cpus) == workers
    assert gunicorn_options(environ={}, cpus=cpus)["workers"] == workers


def test_defaults():
    config = gunicorn_options(environ={}, cpus=2)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert (config["workers"], config["threads"], config["worker_class"]) == (5, 4, "gthread")
    assert config["accesslog"] == "-" and config["access_log_format"] == ACCESS_LOG_FORMAT
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["wsgi_app"] == "tinhgon.wsgi:application"


def test_environment_then_options():
    env = {"TINHGON_BIND": "0.0.0.0:9000, unix:/run/tinhgon/tinhgon.sock", "TINHGON_WORKERS": "3",
           "TINHGON_THREADS": "1", "TINHGON_TIMEOUT": "300", "TINHGON_TRUSTED_PROXIES": "10.0.0.5, 10.1.0.0/16"}
    config = gunicorn_options(environ=env, cpus=8)
    assert config["bind"] == ["0.0.0.0:9000", "unix:/run/tinhgon/tinhgon.sock"]
    assert (config["workers"], config["threads"], config["timeout"]) == (3, 1, 300)
    assert config["worker_class"] == "sync"  # one thread: gunicorn's plain worker
    assert config["forwarded_allow_ips"] == "10.0.0.5,10.1.0.0/16"

    config = gunicorn_options(environ=env, bind=["8080"], workers=2, threads=8, timeout=30)
    assert config["bind"] == ["127.0.0.1:8080"]
    assert (config["workers"], config["threads"], config["timeout"]) == (2, 8, 30)


@pytest.mark.parametrize("kw", [{"bind": ["nowhere"]}, {"bind": ["host:99999"]}, {"bind": [":80"]},
                                {"workers": 0}, {"threads": -1}, {"timeout": 0}])
def test_bad_values_are_refused_with_a_message(kw):
    with pytest.raises(CommandError):
        gunicorn_options(environ={}, **kw)


def test_bad_environment_is_refused_with_a_message():
    with pytest.raises(CommandError, match="TINHGON_WORKERS|--workers"):
        gunicorn_options(environ={"TINHGON_WORKERS": "many"})


def test_print_config(monkeypatch):
    monkeypatch.delenv("TINHGON_BIND", raising=False)
    out = io.StringIO()
    call_command("serve", "--print-config", "--workers", "2", "-b", "0.0.0.0:8001", stdout=out)
    assert "workers = 2" in out.getvalue()
    assert "bind = ['0.0.0.0:8001']" in out.getvalue()


@sqlite_suite_only
def test_serves_pages_and_static_files(tmp_path):
    site = ServedSite(tmp_path)
    site.manage("migrate", "--no-input", "-v", "0")
    site.start("--workers", "1", "--threads", "2")
    try:
        with urllib.request.urlopen(site.url(reverse("accounts:login"))) as r:
            assert r.status == 200
            assert b"csrfmiddlewaretoken" in r.read()
        with urllib.request.urlopen(site.url("/static/tinhgon/tinhgon.css")) as r:
            assert r.status == 200
            assert r.headers["Content-Type"].startswith("text/css")
            assert r.read()
    finally:
        site.stop()
    log = site.output()
    assert "Using worker: gthread" in log
    assert f'"GET {reverse("accounts:login")} HTTP/1.1" 200' in log  # the access log
