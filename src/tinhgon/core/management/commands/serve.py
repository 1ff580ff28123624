"""``tinhgon serve``: the production server (gunicorn), static files through whitenoise.

Runs gunicorn in this process (its arbiter forks the workers) with a configuration
built from the options and ``TINHGON_*`` environment variables::

    tinhgon serve                               # 127.0.0.1:8000, workers from the CPU count
    tinhgon serve --bind 0.0.0.0:8000 --workers 5 --threads 4
    TINHGON_BIND=unix:/run/tinhgon/tinhgon.sock tinhgon serve

Static files are served by whitenoise: from STATIC_ROOT once ``tinhgon collectstatic``
has put them there compressed (run it after each install or upgrade, or pass
``--collectstatic``; it takes a few seconds to half a minute), else from the packages
themselves. The access log goes to standard output, errors to standard error
(journald keeps both under systemd).
"""

from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_BIND = "127.0.0.1:8000"
MAX_DEFAULT_WORKERS = 12
DEFAULT_THREADS = 4
# The client as the proxy saw it next to the socket peer, and the time in milliseconds.
ACCESS_LOG_FORMAT = '%(h)s %({x-forwarded-for}i)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


def cpu_count() -> int:
    """CPUs this process may run on (a container's or systemd's limit included)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_workers(cpus: int | None = None) -> int:
    """Gunicorn's rule of thumb, 2 × CPUs + 1, capped so a big machine does not start dozens."""
    return min(2 * (cpus or cpu_count()) + 1, MAX_DEFAULT_WORKERS)


def normalize_bind(value: str) -> str:
    """``8000`` → ``127.0.0.1:8000``; ``host:port``, ``[::1]:port`` and ``unix:PATH`` as given."""
    value = value.strip()
    if not value:
        raise CommandError("Give an address to bind, e.g. 127.0.0.1:8000 or unix:/run/tinhgon.sock.")
    if value.startswith(("unix:", "fd://")):
        return value
    if value.isdigit():
        value = f"127.0.0.1:{value}"
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"Cannot bind to {value!r}: give HOST:PORT (e.g. 127.0.0.1:8000) or unix:PATH.")
    return value


def _positive(name: str, value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{name} must be a whole number, not {value!r}.") from None
    if number < 1:
        raise CommandError(f"{name} must be at least 1, not {number}.")
    return number


def gunicorn_options(*, bind: list[str] | None = None, workers=None, threads=None, timeout=None,
                     environ: dict[str, str] | None = None, cpus: int | None = None) -> dict:
    """Gunicorn settings from the command's options, else the environment, else defaults.

    ``TINHGON_BIND`` (comma separated for several), ``TINHGON_WORKERS``, ``TINHGON_THREADS``,
    ``TINHGON_TIMEOUT``; ``TINHGON_TRUSTED_PROXIES`` (addresses or networks, comma separated)
    are the only peers whose ``X-Forwarded-Proto`` gunicorn believes (default: loopback).
    """
    env = os.environ if environ is None else environ
    binds = bind or [b for b in env.get("TINHGON_BIND", "").split(",") if b.strip()] or [DEFAULT_BIND]
    workers = _positive("--workers", workers if workers is not None
                        else env.get("TINHGON_WORKERS") or default_workers(cpus))
    threads = _positive("--threads", threads if threads is not None else env.get("TINHGON_THREADS")
                        or DEFAULT_THREADS)
    timeout = _positive("--timeout", timeout if timeout is not None else env.get("TINHGON_TIMEOUT") or 120)
    proxies = [p.strip() for p in env.get("TINHGON_TRUSTED_PROXIES", "").split(",") if p.strip()]
    return {
        "bind": [normalize_bind(b) for b in binds],
        "workers": workers,
        "threads": threads,
        # gthread: a worker's threads share its memory, and a long export does not hold the
        # whole worker; the arbiter's timeout watches the worker, not one request.
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        # Longer than a proxy's idle upstream connections (nginx: 60 s) and a user's pause, so
        # the server never closes a kept-alive connection just as a request is sent on it.
        "keepalive": 75,
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "forwarded_allow_ips": ",".join(proxies) if proxies else "127.0.0.1,::1",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "proc_name": "tinhgon",
        # Newer gunicorns open a runtime control socket, one per user by default, so
        # two servers of one user would fight over it; systemd and signals do its job here.
        "control_socket_disable": True,
        "wsgi_app": "tinhgon.wsgi:application",
    }


def run_gunicorn(options: dict) -> None:  # pragma: no cover - runs until the server stops
    from gunicorn.app.base import BaseApplication

    class TinhgonServer(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if key == "wsgi_app" or (key.startswith("control_socket") and key not in self.cfg.settings):
                    continue
                self.cfg.set(key, value)

        def load(self):
            from tinhgon.wsgi import application

            return application

    TinhgonServer().run()


class Command(BaseCommand):
    help = ("Serve tinhgon in production with gunicorn: workers from the CPU count, static files through "
            "whitenoise, access log on standard output. Put a reverse proxy with HTTPS in front (docs/DEPLOY.md).")

    def add_arguments(self, parser):
        parser.add_argument("--bind", "-b", action="append",
                            help=f"HOST:PORT or unix:PATH to listen on; repeat for several "
                                 f"(env TINHGON_BIND, default {DEFAULT_BIND}).")
        parser.add_argument("--workers", "-w", type=int,
                            help=f"Worker processes (env TINHGON_WORKERS; default 2 × CPUs + 1, at most "
                                 f"{MAX_DEFAULT_WORKERS}: {default_workers()} here).")
        parser.add_argument("--threads", type=int,
                            help=f"Threads per worker (env TINHGON_THREADS, default {DEFAULT_THREADS}).")
        parser.add_argument("--timeout", type=int,
                            help="Seconds before a silent worker is restarted (env TINHGON_TIMEOUT, default 120).")
        parser.add_argument("--collectstatic", action="store_true",
                            help="Collect (and compress) the static files into STATIC_ROOT first.")
        parser.add_argument("--print-config", action="store_true",
                            help="Print the gunicorn settings and stop.")

    def handle(self, *args, bind=None, workers=None, threads=None, timeout=None, collectstatic=False,
               print_config=False, **options):
        config = gunicorn_options(bind=bind, workers=workers, threads=threads, timeout=timeout)
        if print_config:
            for key, value in config.items():
                self.stdout.write(f"{key} = {value!r}")
            return
        self.check_migrations()  # warns about migrations not applied yet
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        from django.db import connections

        connections.close_all()  # nothing the workers could inherit
        self.stdout.write(f"tinhgon serving on {', '.join(config['bind'])} with {config['workers']} workers × "
                          f"{config['threads']} threads", ending="\n")
        self.stdout.flush()
        run_gunicorn(config)
