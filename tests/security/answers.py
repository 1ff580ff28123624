"""Sending one request of the authorization matrix and judging its answer.

The expectations come from the table in ``test_matrix.py``; this module builds the URL
for the objects of ``world.py``, sends the request in a savepoint (rolled back), runs
the background jobs it queued, and says what is wrong with the answer: its status, a
write by a refused request, or a secret it carries.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from tinhgon.accounts.roles import ADMINISTRATOR, role_allows

from . import routes
from .bodies import Body
from .world import NATIONAL

LOGIN = 302  # the answer "go and sign in"

@dataclass(frozen=True)
class Endpoint:
    key: str                   # the table key
    method: str
    api: bool
    template: str              # API path with {params}, or the page's URL name
    fixed: tuple = ()          # page kwargs fixed by the expansion (action=approve, section=pool)
    query: str = ""            # a query string the page answers otherwise (export=xlsx)


ALLOW = ("allow",)
ANYONE = ("allow", "public")  # public: any answer but a server error, a redirect to sign in included
SIGN_IN = ("login",)
NO_METHOD = ("refuse", frozenset({405}))
# A body naming another province's units: the API refuses with 400, 403 or 404; a page
# shows the form again with the error (200 or 400) or redirects with a message.  Either
# way nothing may be written, which the matrix checks for every refusal.
BODY = ("refuse", frozenset({400, 403, 404}), "body")


def target(world, name: str, province, requester):
    if name == "saved_search":
        owner = requester if requester is not None else world.hn.users["viewer"]
        if province is world.ct:  # somebody else's
            owner = world.ct.users["organizer"]
        return world.saved_searches[owner.pk]
    if name in NATIONAL:
        return world.functions[name]
    return province[name]


PAGE_PARAMS = {
    "op_pk": lambda p: p["operation"].pk, "assignment_pk": lambda p: p["assignment"].pk,
    "body_pk": lambda p: p["body_operation"].pk,
    "entry_pk": lambda p: p["pool_entry"].pk, "object_id": lambda p: "1", "content_type_id": lambda p: "1",
}
API_PARAMS = {"assignment_id": lambda p: p["assignment"].pk, "entry_id": lambda p: p["pool_entry"].pk,
              "body_pk": lambda p: p["body_operation"].pk}


def url_for(world, e: Endpoint, rule, province, requester) -> str:
    obj = target(world, rule.obj, province, requester) if rule.obj else None
    if e.api:
        url = e.template
        for name in re.findall(r"{(\w+)}", url):
            value = obj.pk if name == "id" else API_PARAMS[name](province)
            url = url.replace(f"{{{name}}}", str(value))
        return url
    kwargs = dict(e.fixed)
    for name in _page_params(e.template):
        if name in kwargs:
            continue
        if name in PAGE_PARAMS:
            kwargs[name] = PAGE_PARAMS[name](province)
        elif name == "code":
            kwargs[name] = obj.code
        else:  # pk, unit_id: the object the table names
            kwargs[name] = obj.pk
    return reverse(e.template, kwargs=kwargs)


_PARAMS_OF: dict[str, tuple[str, ...]] = {}


def _page_params(name: str) -> tuple[str, ...]:
    if not _PARAMS_OF:
        _PARAMS_OF.update({p.name: p.params for p in routes.pages()})
    return _PARAMS_OF[name]


def answer_text(response) -> str:
    """The answer's text, spreadsheets unpacked, for the leak check."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                raw = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    if raw[:3] == b"\xff\xd8\xff":  # a portrait: no text in it
        return ""
    return raw.decode("utf-8", errors="replace")


def send(client: Client, method: str, url: str, body: Body | None):
    if body is None:
        return getattr(client, method)(url) if method in ("get", "post", "delete") else \
            client.generic(method.upper(), url, b"", content_type="application/json")
    if body.kind == "json":
        return client.generic(method.upper(), url, json.dumps(body.data), content_type="application/json")
    if method == "post":
        return client.post(url, body.data)
    return client.generic(method.upper(), url, encode_multipart(BOUNDARY, body.data), content_type=MULTIPART_CONTENT)


def is_login_redirect(response) -> bool:
    if response.status_code != 302:
        return False
    location = response["Location"]
    return location.startswith((reverse("accounts:login"), reverse("admin:login")))


def verdict(exp: tuple, response, api: bool) -> str | None:
    """None when the answer is the expected one, else what is wrong."""
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    if exp == SIGN_IN:
        ok = code in (401, 403) if api else is_login_redirect(response)
        return None if ok else f"anonymous got {code}, expected {'401/403' if api else 'a redirect to sign in'}"
    if exp == ANYONE:
        return None
    if exp == BODY and not api:
        return None  # the page may show the form again or redirect; that nothing was written is checked
    if exp == ALLOW:
        if api:
            ok = 200 <= code < 300 or code == 400
        else:
            ok = 200 <= code < 300 or code == 400 or (code == 302 and not is_login_redirect(response))
        return None if ok else f"refused with {code}, but the table allows it"
    codes = exp[1]
    if code in codes or (LOGIN in codes and is_login_redirect(response)):
        return None
    return f"got {code}, expected {'/'.join(map(str, sorted(codes)))}"


def write_counts():
    """Rows of the change log and audit events, leaving out the bookkeeping of background jobs."""
    from django.contrib.contenttypes.models import ContentType

    from tinhgon.core.models import AuditEvent, Job, ObjectChange

    bookkeeping = ContentType.objects.get_for_models(Job, AuditEvent).values()
    return (ObjectChange.objects.exclude(content_type__in=bookkeeping).count(),
            AuditEvent.objects.exclude(kind__startswith="job.").count())


def run_started_jobs(after: int) -> list[int]:
    """Run the jobs a request queued, as the worker would: what they write counts too.
    Returns the jobs that left a file (an export) for the one who started them."""
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    for pk in Job.objects.filter(pk__gt=after, state=Job.QUEUED).values_list("pk", flat=True):
        jobs.job_run(pk)
    return list(Job.objects.filter(pk__gt=after).exclude(output_file="").values_list("pk", flat=True))


def last_job() -> int:
    from tinhgon.core.models import Job

    return Job.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def secrets_for(world, requester, role) -> list[str]:
    """What this requester may never receive."""
    if requester is None:
        out = world.hn.secrets + world.ct.secrets
    elif role == ADMINISTRATOR:
        return []
    else:
        mine = {p.key for p in world.provinces.values() if requester.pk in {u.pk for u in p.users.values()}}
        out = [s for p in world.provinces.values() if p.key not in mine for s in p.secrets]
        if not role_allows(role, "personal_data"):
            out += [s for p in world.provinces.values() for s in p.personal]
    return out


@contextlib.contextmanager
def quiet():
    """Refusals are the point here: keep Django from logging each one."""
    loggers = [logging.getLogger(n) for n in ("django.request", "django.security")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def attempt(world, client, e, url, body, exp, role, requester, api) -> tuple[str | None, int | None]:
    """Send one request in a savepoint and say what is wrong with its answer (None: nothing),
    with its status; the requester's cookies are as before whatever the answer set."""
    cookies = SimpleCookie()
    dict.update(cookies, client.cookies)  # the answer replaces morsels, it does not change them
    cache.clear()  # the token endpoint's throttle counts in the cache
    problem = status = None
    refused = exp[0] == "refuse" or exp == SIGN_IN
    try:
        with transaction.atomic():
            before = write_counts() if refused else None
            newest_job = last_job()
            response = send(client, e.method, url, body)
            status = response.status_code
            outputs = run_started_jobs(newest_job)  # a GET starts an export job too
            problem = verdict(exp, response, api)
            if refused and write_counts() != before:
                problem = (problem + "; " if problem else "") + "a refused request wrote to the change log"
            text = answer_text(response)
            for pk in outputs:  # the file an export job wrote is part of the answer: leak-checked too
                text += "\n" + answer_text(client.get(f"/jobs/{pk}/file/"))
            leaked = [s for s in secrets_for(world, requester, role) if s in text]
            if leaked:
                problem = (problem + "; " if problem else "") + f"leaked {leaked[:3]}"
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash is a failure of this case, not of the run
        problem = f"raised {type(exc).__name__}: {exc}"
    finally:
        client.cookies = cookies
    return problem, status


