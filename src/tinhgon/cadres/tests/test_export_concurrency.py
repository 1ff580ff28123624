"""Parallel exports on the embedded SQLite database, through the production server.

Before: 5 of 6 parallel XLSX exports answered 500 ("database is locked") and parallel
CSV exports broke off after the header — the export logged each chunk of unmasked
records while its own read was still open, and SQLite (WAL) refuses at once to turn such
a read into a write once another connection has written.
"""

import concurrent.futures
import io
import json
import threading
import urllib.request
import zipfile

import pytest
from django.db import DatabaseError

from tinhgon.core.testing_server import ServedSite, sqlite_suite_only

N = 2500  # more than one export chunk (2,000) each
EXPORTS = 6

SETUP = f"""
from tinhgon.accounts.services import api_token_for
from tinhgon.cadres.generator import generate_cadres
from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.tests.factories import SMALL_TREE, make_tree

make_tree(SMALL_TREE)
generate_cadres(count={N}, seed=3)
print(api_token_for(user=make_user("exporter", role="administrator", is_superuser=True)))
"""

COUNT = """
from tinhgon.cadres.models import Cadre, PersonalDataAccess, SavedSearch
print(Cadre.objects.count(), PersonalDataAccess.objects.filter(channel="export").count(), SavedSearch.objects.count())
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = ServedSite(tmp_path_factory.mktemp("export-site"))
    site.manage("migrate", "--no-input", "-v", "0")
    site.token = site.shell(SETUP)
    site.start("--workers", "3", "--threads", "4")
    yield site
    site.stop()


def _get(site, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(site.url(path), headers={"Authorization": f"Token {site.token}"})
    with urllib.request.urlopen(request, timeout=120) as r:
        return r.status, r.read()  # a stream that breaks off raises IncompleteRead here


def _writer(site, stop: threading.Event, statuses: list[int], prefix: str) -> None:
    """Another user of the site saving searches while the exports run."""
    i = 0
    while not stop.is_set():
        body = json.dumps({"name": f"{prefix} {i}", "params": {"q": f"nguyen {i}"}}).encode()
        request = urllib.request.Request(site.url("/api/saved-searches/"), data=body, method="POST", headers={
            "Authorization": f"Token {site.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as r:
            statuses.append(r.status)
        i += 1


@sqlite_suite_only
def test_parallel_exports_complete_while_another_user_writes(site):
    """Six exports at once, three CSV and three XLSX, while saved searches are written."""
    formats = ["csv", "xlsx"] * (EXPORTS // 2)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(site, stop, written, "during exports"))
    writer.start()
    try:
        with concurrent.futures.ThreadPoolExecutor(EXPORTS) as pool:
            answers = list(pool.map(lambda fmt: _get(site, f"/api/cadres/export/?file_format={fmt}"), formats))
    finally:
        stop.set()
        writer.join(timeout=120)

    assert [status for status, _body in answers] == [200] * EXPORTS, site.output()[-5000:]
    for file_format, (_status, body) in zip(formats, answers, strict=True):
        if file_format == "csv":
            lines = body.decode("utf-8-sig").splitlines()
            assert len(lines) == N + 1
        else:
            book = zipfile.ZipFile(io.BytesIO(body))  # a whole workbook: it opens
            assert book.read("xl/worksheets/sheet1.xml").count(b"<row ") == N + 1
    assert written and set(written) == {201}
    cadres, logged, saved = (int(x) for x in site.shell(COUNT).split())
    assert cadres == N
    assert logged == EXPORTS * N  # every unmasked record exported is in the access log
    assert saved == len(written)
    assert "database is locked" not in site.output()


@pytest.fixture
def failing_second_chunk(monkeypatch):
    """Exports in chunks of two records whose second chunk fails, as a lost database would."""
    from tinhgon.cadres import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    positions, calls = exports._positions, []

    def fail_on_second(chunk):
        calls.append(len(chunk))
        if len(calls) == 2:
            raise DatabaseError("disk I/O error")
        return positions(chunk)

    monkeypatch.setattr(exports, "_positions", fail_on_second)
    return calls


@pytest.mark.django_db
def test_a_csv_export_failing_midway_breaks_off_instead_of_ending(tree, admin_user, api_client,
                                                                  failing_second_chunk):
    from tinhgon.cadres.generator import generate_cadres

    generate_cadres(count=5, seed=4)
    api_client.force_authenticate(admin_user)
    response = api_client.get("/api/cadres/export/?file_format=csv")
    assert response.status_code == 200 and response.streaming
    assert failing_second_chunk == [2]  # the first chunk was read before the answer started
    with pytest.raises(DatabaseError):  # the server aborts the stream; nothing ends it cleanly
        b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_csv_export_failing_at_once_is_an_error_not_a_header(tree, admin_user, api_client, monkeypatch):
    from tinhgon.cadres import exports
    from tinhgon.cadres.generator import generate_cadres

    generate_cadres(count=3, seed=4)

    def lost(chunk):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(exports, "_positions", lost)
    api_client.force_authenticate(admin_user)
    with pytest.raises(DatabaseError):  # before any byte is sent: the server answers 500
        api_client.get("/api/cadres/export/?file_format=csv")
