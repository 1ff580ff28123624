"""Every page and every GET endpoint works on the state ``make run`` leaves.

Signed out, as an administrator and as a viewer scoped to Hà Nội, the crawler follows the links
reachable from the home page (``<a href>`` and ``hx-get``; same site, GET only; at most
``PER_NAME`` URLs per URL name) and fails on a 5xx, a link to no page or with a doubled ``?``,
or a page that shows a Python traceback or a bare ``None``.  Then every named page of the URL
conf must have been requested, unless ``SKIP`` says why not: a new page cannot hide from it.
The API part requests every GET operation of the OpenAPI schema, with ids taken from the lists
(``API_SKIP`` names those without one), and the schema and its browser.

Run with ``pytest -m slow tests/crawl``.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.security.routes import api_operations, pages

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PER_NAME = 3
NOT_FOLLOWED = {  # URL name -> why the crawler does not request it
    "accounts:logout": "signs the crawler out",
    "set_language": "the language switch (POST)",
}
OUTSIDE = ("/api/", "/django-admin/", "/static/", "/media/")  # the API part covers /api/

# Named pages the crawler never reaches, each with its reason.  The test fails on a page that is
# neither reached nor listed here, and on an entry that is reached or no longer exists.
POST_ONLY = "POST only: covered by"
SKIP = {
    "set_language": "POST only: the language switch (Django's set_language view)",
    "accounts:logout": f"{POST_ONLY} tests/browser/test_login.py",
    "accounts:me_token": f"{POST_ONLY} accounts/tests/test_views.py",
    "accounts:user_deactivate": f"{POST_ONLY} accounts/tests/test_views.py",
    "accounts:user_reactivate": f"{POST_ONLY} accounts/tests/test_views.py",
    "accounts:unit_chip": "linked from the unit picker's results, which need a typed query: "
                          "covered by accounts/tests/test_views.py",
    "apparatus:import_errors": "linked only after an import that failed: covered by apparatus/tests/test_importers.py",
    "apparatus:unit_export": "the list links its export as ?export=xlsx; this address is kept for scripts: "
                             "covered by apparatus/tests/test_views.py",
    "cadres:assignment_end": f"{POST_ONLY} cadres/tests/test_views.py",
    "cadres:cadre_link_user": f"{POST_ONLY} cadres/tests/test_people_posts.py",
    "cadres:photo_remove": f"{POST_ONLY} tests/security/test_matrix.py",
    "cadres:photo_upload": f"{POST_ONLY} tests/browser/test_cadres.py",
    "cadres:pool_review_add": f"{POST_ONLY} cadres/tests/test_views.py",
    "cadres:saved_search_create": f"{POST_ONLY} cadres/tests/test_views.py",
    "cadres:saved_search_delete": f"{POST_ONLY} cadres/tests/test_views.py",
    "cadres:section_add": f"{POST_ONLY} cadres/tests/test_views.py",
    "core:job_errors": "linked only from a job that failed with a row report: covered by "
                       "cadres/tests/test_import_job.py",
    "core:job_cancel": f"{POST_ONLY} core/tests/test_jobs.py",
    "core:job_output": "the crawl queues export jobs but runs no worker, so no file to download: covered by "
                       "cadres/tests/test_export_job.py",
    "restructuring:operation_add": f"{POST_ONLY} restructuring/tests/test_views.py",
    "restructuring:operation_delete": f"{POST_ONLY} restructuring/tests/test_views.py",
    "restructuring:operations_import": f"{POST_ONLY} restructuring/tests/test_views.py",
    "restructuring:operations_import_errors": "linked only after an operations import that failed: "
                                              "covered by restructuring/tests/test_views.py",
    "restructuring:plan_transition": f"{POST_ONLY} restructuring/tests/test_views.py",
    "restructuring:body_operations_action": f"{POST_ONLY} restructuring/tests/test_bodies.py",
    "restructuring:body_operation_decide": f"{POST_ONLY} restructuring/tests/test_bodies.py",
    "restructuring:body_operation_edit": "linked from a body operation not yet added to a plan; the make run "
                                         "state's are all added: covered by restructuring/tests/test_bodies.py",
    "petitions:escalate": f"{POST_ONLY} petitions/tests/test_services.py",
    "petitions:similar": "the intake form posts what is typed to it (HTMX, names kept out of the access logs): "
                         "covered by petitions/tests/test_views.py and tests/browser/test_petitions.py",
    "petitions:hotspot_detect": f"{POST_ONLY} tests/security/test_matrix.py",
    "petitions:day_swap_create": f"{POST_ONLY} petitions/tests/test_views.py",
    "placement:round_create": f"{POST_ONLY} placement/tests/test_views.py",
    "placement:round_solve": f"{POST_ONLY} placement/tests/test_views.py",
    "placement:round_decide": f"{POST_ONLY} placement/tests/test_views.py",
    "placement:candidate_act": f"{POST_ONLY} placement/tests/test_views.py",
    "placement:slot_count": f"{POST_ONLY} placement/tests/test_views.py",
    "petitions:day_swap_delete": f"{POST_ONLY} tests/security/test_matrix.py",
    "petitions:remote_areas_import": f"{POST_ONLY} petitions/tests/test_views.py",
    "assessment:cycle_reopen": "linked from approved cycles only, which come after the open ones the crawl "
                               "visits within its per-page limit: covered by assessment/tests/test_views.py",
    "assessment:cycle_compute": f"{POST_ONLY} tests/browser/test_assessment.py",
    "assessment:cycle_advance": f"{POST_ONLY} tests/browser/test_assessment.py",
    "assessment:cycle_approve": f"{POST_ONLY} tests/browser/test_assessment.py",
    "assessment:result_save": f"{POST_ONLY} tests/browser/test_assessment.py",
    "tasks:notifications_read": f"{POST_ONLY} tasks/tests/test_views.py",
    "tasks:section_add": f"{POST_ONLY} tasks/tests/test_views.py",
    "documents:document_status": f"{POST_ONLY} documents/tests/test_views.py",
    "documents:document_relate": f"{POST_ONLY} documents/tests/test_views.py",
    "documents:document_link": f"{POST_ONLY} tests/browser/test_documents.py",
    "documents:document_attachment": "the generated documents carry no file: covered by documents/tests/test_views.py",
    "emulation:good_model_evidence": "the generated good models carry no file: covered by "
                                     "documents/tests/test_views.py",
}

# GET operations of the API that get no id from the lists of the ``make run`` state.
API_SKIP = {
    "/api/jobs/{id}/": "no background job in the make run state: covered by core/tests/test_jobs.py",
    "/api/jobs/{id}/output/": "no background job in the make run state: covered by cadres/tests/test_export_job.py",
    "/api/saved-searches/{id}/": "no saved search in the make run state: covered by cadres/tests/test_api.py",
}

TRACEBACK = "Traceback (most recent call last)"
BARE_NONE = re.compile(r'>[^<]*\bNone\b[^<]*<|="None"')  # in a text or as a value; pages are in Vietnamese


@dataclass
class Crawl:
    who: str
    client: Client
    requested: Counter = field(default_factory=Counter)  # URL name -> URLs requested
    seen: set = field(default_factory=set)
    failures: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    queue: deque = field(default_factory=deque)

    def offer(self, url: str, referrer: str, htmx: bool = False) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            return
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if not parts.path or target in self.seen or parts.path.startswith(OUTSIDE):
            return
        if parts.query.startswith("?"):  # "…?{% querystring %}": the first parameter's name starts with "?"
            self.failures.append(f"{self.who}: {target} (linked from {referrer}) has a doubled '?'")
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            self.seen.add(target)
            self.failures.append(f"{self.who}: {target} (linked from {referrer}) is no page")
            return
        if name in NOT_FOLLOWED or self.requested[name] >= PER_NAME:
            return
        self.seen.add(target)
        self.requested[name] += 1
        self.queue.append((target, referrer, htmx))

    def run(self, start: str = "/") -> None:
        self.offer(start, "(start)")
        while self.queue:
            url, referrer, htmx = self.queue.popleft()
            self.visit(url, referrer, htmx)

    def visit(self, url: str, referrer: str, htmx: bool) -> None:
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = self.client.get(url, **headers)
        self.statuses[response.status_code // 100 * 100] += 1
        where = f"{self.who}: GET {url} (linked from {referrer})"
        if response.status_code >= 500:
            self.failures.append(f"{where} answered {response.status_code}")
            return
        if response.status_code in (301, 302, 303, 307, 308):
            self.offer(urljoin(url, response["Location"]), url)
            return
        if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
            return
        text = response.content.decode()
        if TRACEBACK in text:
            self.failures.append(f"{where} shows a Python traceback")
        for m in BARE_NONE.finditer(text):
            context = text[max(0, m.start() - 80): m.end() + 20].replace("\n", " ")
            self.failures.append(f"{where} shows None: …{context}…")
            break
        for href, is_htmx in _links(text):
            self.offer(urljoin(url, href), url, is_htmx)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name == "hx-get":
                self.links.append((value, True))
            elif value and name == "href" and tag == "a" and not value.startswith("#"):
                self.links.append((value, False))


def _links(text: str) -> list[tuple[str, bool]]:
    parser = _LinkParser()
    parser.feed(text)
    return parser.links


def _page_names() -> set[str]:
    return {p.name for p in pages() if not p.route.startswith(("api/", "django-admin/"))}


def _report(request, line: str) -> None:
    """Add a line to the crawl's summary, printed at the end of the run (see conftest)."""
    request.node.user_properties.append(("crawl", line))


def test_every_page_reachable_from_home_works(make_run_world, request):
    started = time.monotonic()
    crawls = []
    users = (("anonymous", None), ("administrator", make_run_world.admin), ("viewer (Hà Nội)", make_run_world.viewer))
    for who, user in users:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        crawl = Crawl(who, client)
        crawl.run()
        crawls.append(crawl)
        _report(request, f"crawl as {who}: {sum(crawl.requested.values())} pages, "
                         f"{len(crawl.requested)} URL names, statuses {dict(sorted(crawl.statuses.items()))}")

    reached = set().union(*(c.requested for c in crawls))
    names = _page_names()
    failures = [f for c in crawls for f in c.failures]
    failures += [f"{n}: never requested and not on SKIP" for n in sorted(names - reached - set(SKIP))]
    failures += [f"{n}: on SKIP but reached; take it off" for n in sorted(set(SKIP) & reached)]
    failures += [f"{n}: on SKIP but no such URL name" for n in sorted(set(SKIP) - names)]
    _report(request, f"pages reached ({len(reached & names)} of {len(names)} names, "
                     f"{time.monotonic() - started:.1f} s): {', '.join(sorted(reached))}")
    assert not failures, "\n".join(failures)


def _ids(client: Client, url: str, cache: dict) -> list:
    if url not in cache:
        response = client.get(url, HTTP_ACCEPT="application/json")
        data = response.json() if response.status_code == 200 else None
        rows = data.get("results") if isinstance(data, dict) else data
        cache[url] = [r["id"] for r in rows if isinstance(r, dict) and "id" in r] if isinstance(rows, list) else []
    return cache[url]


def _concrete(client: Client, template: str, cache: dict, tries: int = 20) -> str | None:
    """``template`` with its first ``{param}`` replaced by an id from the list before it (the
    first id for which the rest of the path resolves too), or None."""
    m = re.search(r"{\w+}", template)
    if m is None:
        return template
    for pk in _ids(client, template[:m.start()], cache)[:tries]:
        found = _concrete(client, f"{template[:m.start()]}{pk}{template[m.end():]}", cache, tries)
        if found is not None:
            return found
    return None


def test_every_get_endpoint_of_the_api_works(make_run_world, request):
    started = time.monotonic()
    templates = sorted({op.path for op in api_operations() if op.method == "get"})
    failures, no_id, reached = [], [], Counter()
    admin_paths: dict[str, str | None] = {}
    for who, user in (("administrator", make_run_world.admin), ("viewer (Hà Nội)", make_run_world.viewer)):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        cache: dict = {}
        for template in templates:
            path = _concrete(client, template, cache)
            if who == "administrator":
                admin_paths[template] = path
                if path is None:
                    no_id.append(template)
            path = path or admin_paths.get(template)  # the viewer tries the administrator's id
            if path is None:
                continue
            response = client.get(path, HTTP_ACCEPT="application/json")
            reached[template] += 1
            if response.status_code >= 500:
                failures.append(f"{who}: GET {path} answered {response.status_code}")
        for path in (reverse("schema"), reverse("api_docs")):  # the schema itself and its browser
            if (status := client.get(path).status_code) >= 500:
                failures.append(f"{who}: GET {path} answered {status}")
    failures += [f"{t}: no id in the lists and not on API_SKIP" for t in no_id if t not in API_SKIP]
    failures += [f"{t}: on API_SKIP but got an id; take it off" for t in API_SKIP if admin_paths.get(t)]
    failures += [f"{t}: on API_SKIP but not in the schema" for t in API_SKIP if t not in admin_paths]
    _report(request, f"api: {len(reached)} of {len(templates)} GET endpoints requested "
                     f"({time.monotonic() - started:.1f} s); no id: {', '.join(no_id) or 'none'}")
    assert not failures, "\n".join(failures)
