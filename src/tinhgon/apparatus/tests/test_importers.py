import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tinhgon.apparatus.importers import COLUMNS, parse_rows, template_xlsx, units_import_file
from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.services import UnitRowsInvalid
from tinhgon.core.models import ObjectChange

HEADER = "code,name,kind,parent_code,valid_from,valid_to,level"
GOOD_ROWS = [
    "90,Tỉnh Thử,tinh,,2020-01-01,,",
    "901,Huyện Một,huyen,90,01/01/2020,,",
    "90101,Xã Một,xa,901,2020-01-01,,",
    "90-UBND,Ủy ban nhân dân tỉnh Thử,ubnd,90,2021-03-15,,province",
]


def csv_bytes(lines, *, sep=",", bom=False) -> bytes:
    text = "\n".join(line.replace(",", sep) for line in lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(lines, *, dates_as_cells=False) -> bytes:
    wb = Workbook()
    ws = wb.active
    for i, line in enumerate(lines):
        cells = line.split(",")
        if dates_as_cells and i > 0:
            cells = [dt.date.fromisoformat(c) if len(c) == 10 and c[4] == "-" else c for c in cells]
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(data: bytes, filename="units.csv"):
    return units_import_file(fileobj=io.BytesIO(data), filename=filename)


def counts():
    return Unit.objects.count(), ObjectChange.objects.count()


def import_errors(data: bytes, filename="units.csv"):
    before = counts()
    with pytest.raises(UnitRowsInvalid) as info:
        run(data, filename)
    assert counts() == before, "nothing may be written when a file has errors"
    return [(e.row, e.field) for e in info.value.errors_list], info.value.errors_list


# Good files ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("sep,bom", [(",", False), (";", False), (",", True), (";", True)])
def test_csv_imports_with_either_separator_and_bom(sep, bom):
    result = run(csv_bytes([HEADER, *GOOD_ROWS], sep=sep, bom=bom))
    assert (result.created, result.skipped) == (4, 0)
    xa = Unit.objects.get(code="90101")
    assert xa.path == "90/901/90101/" and xa.valid_from == dt.date(2020, 1, 1)
    assert Unit.objects.get(code="90-UBND").level.code == "province"
    assert Unit.objects.get(code="90").source == "file units.csv"


@pytest.mark.django_db
@pytest.mark.parametrize("dates_as_cells", [False, True])
def test_xlsx_imports(dates_as_cells):
    result = run(xlsx_bytes([HEADER, *GOOD_ROWS], dates_as_cells=dates_as_cells), "units.xlsx")
    assert result.created == 4
    assert Unit.objects.get(code="901").parent_code == "90"


@pytest.mark.django_db
def test_reimport_changes_nothing():
    data = csv_bytes([HEADER, *GOOD_ROWS])
    run(data)
    before = counts()
    result = run(data)
    assert (result.created, result.skipped) == (0, 4)
    assert counts() == before


@pytest.mark.django_db
def test_vietnamese_headers_optional_columns_and_blank_lines():
    lines = [
        "Mã;Tên;Loại;Mã đơn vị cha;Hiệu lực từ;Hiệu lực đến;Cấp;Dân số;Diện tích (km2);Ghi chú",
        "90;Tỉnh Thử;tinh;;01/01/2020;;;1.234.567;5000,5;một ghi chú",
        ";;;;;;;;;",
        "901;Huyện Một;huyen;90;2020-01-01;2025-07-01;;;;",
    ]
    assert run(csv_bytes(lines)).created == 2  # lines already use ";"
    p = Unit.objects.get(code="90")
    assert (p.population, p.area_km2, p.note) == (1234567, 5000.5, "một ghi chú")
    assert Unit.objects.get(code="901").valid_to == dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_header_is_case_insensitive():
    run(csv_bytes(["CODE,Name,KIND,Parent_Code,Valid_From", "90,Tỉnh Thử,tinh,,2020-01-01"]))
    assert Unit.objects.filter(code="90").exists()


@pytest.mark.django_db
def test_command_imports_a_file(tmp_path, capsys):
    f = tmp_path / "units.csv"
    f.write_bytes(csv_bytes([HEADER, *GOOD_ROWS]))
    call_command("import_units", str(f))
    assert "4 unit versions created" in capsys.readouterr().out
    call_command("import_units", str(f))
    assert "0 unit versions created, 4 already present" in capsys.readouterr().out
    assert ObjectChange.objects.filter(content_type__model="unit", source="cli").count() == 4


@pytest.mark.django_db
def test_command_reports_errors(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes(csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2020-13-01,,"]))
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_units", str(f))


# Bad files ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_missing_column(fmt):
    lines = ["code,name,kind,valid_from", "90,Tỉnh Thử,tinh,2020-01-01"]
    data = csv_bytes(lines) if fmt == "csv" else xlsx_bytes(lines)
    where, errors = import_errors(data, f"units.{fmt}")
    assert where == [(1, "parent_code")]
    assert "parent_code" in errors[0].message


@pytest.mark.django_db
def test_unknown_and_duplicate_columns():
    where, _ = import_errors(csv_bytes(["code,name,kind,parent_code,valid_from,valid_too,name", "90,A,tinh,,2020-01-01,,A"]))
    assert (1, "valid_too") in where and (1, "name") in where


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_dates_and_numbers(fmt):
    lines = [
        "code,name,kind,parent_code,valid_from,valid_to,population,latitude",
        "90,Tỉnh Thử,tinh,,2020-02-30,,,",
        "91,Tỉnh Hai,tinh,,2020-01-01,not a date,,",
        "92,Tỉnh Ba,tinh,,2020-01-01,,nhiều,",
        "93,Tỉnh Bốn,tinh,,2020-01-01,,,abc",
        "94,Tỉnh Năm,tinh,,,,,",
        "901,Huyện con,huyen,90,2020-01-01,,,",  # its parent failed: not blamed twice
    ]
    data = csv_bytes(lines) if fmt == "csv" else xlsx_bytes(lines)
    where, _ = import_errors(data, f"units.{fmt}")
    assert where == [(2, "valid_from"), (3, "valid_to"), (4, "population"), (5, "latitude"), (6, "valid_from")]


@pytest.mark.django_db
def test_valid_to_before_valid_from():
    where, errors = import_errors(csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2020-01-01,2019-12-31,"]))
    assert where == [(2, "valid_to")]


@pytest.mark.django_db
def test_unknown_kind_and_level():
    where, _ = import_errors(csv_bytes([
        HEADER,
        "90,Tỉnh Thử,tinh-xyz,,2020-01-01,,",
        "91,Tỉnh Hai,tinh,,2020-01-01,,galaxy",
        "91-SO,Sở,so-nganh,91,2020-01-01,,",  # kind without a level: the level is required
    ]))
    assert where == [(2, "kind"), (3, "level"), (4, "level")]


@pytest.mark.django_db
def test_parent_not_valid_at_the_childs_dates():
    where, errors = import_errors(csv_bytes([
        HEADER,
        "90,Tỉnh Thử,tinh,,2020-01-01,2025-07-01,",
        "901,Huyện Một,huyen,90,2024-01-01,,",      # outlives its parent
        "902,Huyện Hai,huyen,90,2019-01-01,2021-01-01,",  # starts before its parent
        "903,Huyện Ba,huyen,99,2020-01-01,,",       # no such parent
    ]))
    assert where == [(3, "parent_code"), (4, "parent_code"), (5, "parent_code")]


@pytest.mark.django_db
def test_cycle_inside_the_file():
    where, _ = import_errors(csv_bytes([
        HEADER, "A1,Một,tinh,C1,2020-01-01,,", "B1,Hai,tinh,A1,2020-01-01,,", "C1,Ba,tinh,B1,2020-01-01,,",
    ]))
    assert {(r, f) for r, f in where} == {(2, "parent_code"), (3, "parent_code"), (4, "parent_code")}


@pytest.mark.django_db
def test_overlapping_versions_of_one_code():
    where, _ = import_errors(csv_bytes([
        HEADER, "90,Tỉnh Thử,tinh,,2020-01-01,2023-01-01,", "90,Tỉnh Thử mới,tinh,,2022-01-01,,",
    ]))
    assert where == [(3, "valid_from")]


@pytest.mark.django_db
def test_overlap_with_the_registry():
    run(csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2020-01-01,,"]))
    where, _ = import_errors(csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2021-01-01,,"]))
    assert where == [(2, "valid_from")]


@pytest.mark.django_db
def test_consecutive_versions_are_fine():
    run(csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2020-01-01,2023-01-01,", "90,Tỉnh Thử mới,tinh,,2023-01-01,,"]))
    assert Unit.objects.filter(code="90").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("data,filename", [
    (b"", "units.csv"),
    (b"   \n\n", "units.csv"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "picture.png"),
    (b"\xff\xfe\x00\x01binary", "units.csv"),
    (b"PK\x03\x04not really a zip", "units.xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls"),
    (b"code,name,kind,parent_code,valid_from\n", "header-only.csv"),
])
def test_malformed_files(data, filename):
    where, errors = import_errors(data, filename)
    assert where == [(None, "file")]
    assert errors[0].message


@pytest.mark.django_db
def test_all_errors_are_reported_together():
    where, _ = import_errors(csv_bytes([
        HEADER, "90,Tỉnh Thử,tinh,,31/12/2020x,,", "91,Tỉnh Hai,khong-co,,2020-01-01,,", "92,,tinh,,2020-01-01,,",
    ]))
    assert where == [(2, "valid_from"), (3, "kind"), (4, "name")]


def test_parse_rows_names_the_spreadsheet_row():
    rows, errors = parse_rows([["code", "name", "kind", "parent_code", "valid_from"], [], ["90", "A", "tinh", "", "2020-01-01"]])
    assert not errors and rows[0].row == 3


def test_template_has_the_header_and_two_examples():
    wb = load_workbook(io.BytesIO(template_xlsx()), read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == 3


# The upload page ----------------------------------------------------------------------------


@pytest.fixture
def clerk_client(client, db):
    from tinhgon.accounts.tests.factories import make_user

    client.force_login(make_user("clerk-x", role="administrator"))
    return client


@pytest.mark.django_db
def test_page_requires_change_permission(client):
    from tinhgon.accounts.tests.factories import make_user

    assert client.get("/apparatus/import/").status_code == 302
    client.force_login(make_user("viewer-x", role="viewer"))
    assert client.get("/apparatus/import/").status_code == 403


def _post_and_run(client, upload):
    """Upload on the page (a job is queued), run it as the worker would, show the page again."""
    from tinhgon.core import jobs
    from tinhgon.core.models import Job

    r = client.post("/apparatus/import/", {"file": upload})
    assert r.status_code == 302 and "?job=" in r["Location"]
    job = Job.objects.latest("id")
    jobs.job_run(job.pk)
    job.refresh_from_db()
    return client.get(r["Location"]), job


@pytest.mark.django_db
def test_page_shows_errors_and_the_report(clerk_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", csv_bytes([HEADER, "90,Tỉnh Thử,tinh,,2020-13-01,,"]))
    r, job = _post_and_run(clerk_client, bad)
    assert r.status_code == 200 and b"import-errors" in r.content and b"valid_from" in r.content
    report = clerk_client.get(f"/apparatus/import/errors.xlsx?job={job.pk}")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:2] == (2, "valid_from")
    good = SimpleUploadedFile("good.csv", csv_bytes([HEADER, *GOOD_ROWS]))
    r, job = _post_and_run(clerk_client, good)
    assert r.status_code == 200 and Unit.objects.count() == 4 and job.result["created"] == 4
    assert clerk_client.get("/apparatus/import/template.xlsx")["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.django_db
def test_scoped_user_cannot_import_outside_their_scope(client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhgon.accounts.tests.factories import make_user

    client.force_login(make_user("hn-clerk", role="clerk", scopes=[tree["01"]]))
    f = SimpleUploadedFile("x.csv", csv_bytes([HEADER, "79-SO,Sở,so-nganh,79,2021-01-01,,province"]))
    registry = lambda: (Unit.objects.count(),  # noqa: E731  (the job's own rows aside)
                        ObjectChange.objects.exclude(content_type__model__in=["job", "auditevent"]).count())
    before = registry()
    r, _job = _post_and_run(client, f)
    assert b"outside your scopes" in r.content or "ngoài".encode() in r.content
    assert registry() == before
    ok = SimpleUploadedFile("y.csv", csv_bytes([HEADER, "01-SO,Sở,so-nganh,01,2021-01-01,,province"]))
    _post_and_run(client, ok)
    assert Unit.objects.filter(code="01-SO").exists()


# Demo data ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_is_marked_idempotent_and_has_an_overlap_and_gaps(tree):
    from tinhgon.apparatus import selectors
    from tinhgon.apparatus.models import FunctionHolding, PayrollQuota, Position

    call_command("load_demo", verbosity=0)
    demo = Unit.objects.filter(source="demo")
    # 13 bodies in each of the three provinces of the small tree, 7 in its demo district (Vĩnh Yên)
    assert demo.count() == 46 and not demo.exclude(note="Dữ liệu minh họa").exists()
    assert set(demo.values_list("level__code", flat=True)) == {"body"}
    assert Position.objects.get(unit__code="01-UBND", title="Chủ tịch UBND").count == 1
    assert Position.objects.get(unit__code="01-UBND", title="Phó Chủ tịch UBND").count in range(3, 6)
    assert set(PayrollQuota.objects.values_list("year", flat=True)) == {2022, 2026}
    on = dt.date(2025, 6, 30)
    assert [o.function_code for o in selectors.function_overlaps(on)] == ["dau-tu-cong"]
    gaps = {(g.kind, g.item_code, g.unit_code) for g in selectors.coverage_gaps(on)}
    # the provincial powers are not held by a district People's Committee (a gap until the level ends)
    assert gaps == {("function", "y-te", "26-UBND"), ("power", "giam-sat-hdnd", "26-HDND"),
                    ("power", "giao-bien-che", "243-UBND"), ("power", "bo-nhiem-giam-doc-so", "243-UBND")}
    before = (counts(), FunctionHolding.objects.count(), PayrollQuota.objects.count())
    call_command("load_demo", verbosity=0)
    assert (counts(), FunctionHolding.objects.count(), PayrollQuota.objects.count()) == before


@pytest.mark.django_db
def test_body_kinds_are_shipped_and_a_bad_name_pattern_is_refused():
    from django.core.exceptions import ValidationError

    from tinhgon.apparatus.models import BodyKind

    so = BodyKind.objects.get(code="so")
    assert (so.unit_kind.code, so.territory_level.code, so.per) == ("so-nganh", "province", "field")
    so.full_clean()
    for pattern in ("Sở {title}", "{title} {territory", "{territory}"):  # no territory; broken; no field
        so.name_pattern = pattern
        with pytest.raises(ValidationError):
            so.full_clean()
