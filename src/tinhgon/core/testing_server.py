"""A throw-away site served by ``tinhgon serve`` in a subprocess, for tests that need a
real server and a real database file (concurrency, static files, the process model).

The site has its own ``TINHGON_VAR_DIR`` (so its own SQLite file, secret key and static
directory) and never sees ``TINHGON_DATABASE_URL``: pytest-django's SQLite test database
lives in memory and cannot be shared with other processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# The served site is SQLite whatever the suite runs on: once, in the SQLite run of the suite.
sqlite_suite_only = pytest.mark.skipif(
    os.environ.get("TINHGON_DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the served site is SQLite: it runs in the suite's SQLite run")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedSite:
    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.var = self.dir / "var"
        self.var.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if k != "TINHGON_DATABASE_URL"}
        self.env.update(TINHGON_VAR_DIR=str(self.var), DJANGO_SETTINGS_MODULE="tinhgon.settings",
                        TINHGON_DEBUG="0", PYTHONUNBUFFERED="1")
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log = self.dir / "server.log"

    @property
    def database(self) -> Path:
        return self.var / "tinhgon.sqlite3"

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run a ``tinhgon`` command against the site; its standard output."""
        done = subprocess.run([sys.executable, "-m", "tinhgon.cli", *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        if done.returncode:
            raise AssertionError(f"tinhgon {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n"
                                 f"{done.stderr}")
        return done.stdout

    def shell(self, code: str) -> str:
        """Run Python code in the site (``tinhgon shell -c``); the last line it printed."""
        lines = self.manage("shell", "--no-imports", "-c", code).strip().splitlines()
        return lines[-1] if lines else ""

    def start(self, *args: str, ready_path: str = "/accounts/login/", wait: float = 60) -> None:
        self.port = free_port()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tinhgon.cli", "serve", "--bind", f"127.0.0.1:{self.port}", *args],
                env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"tinhgon serve stopped ({self.process.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url(ready_path), timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"tinhgon serve did not answer within {wait:.0f} s:\n{self.output()}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick stop: nothing to finish in a test
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
