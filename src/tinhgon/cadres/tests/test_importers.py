"""Import and export of cadre records: all or nothing, row-level errors, idempotent, streamed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from tinhgon.accounts.tests.factories import make_user
from tinhgon.cadres import exports, importers, services
from tinhgon.cadres.importers import CadreRowsInvalid, cadres_import_file
from tinhgon.cadres.models import Assignment, Cadre
from tinhgon.core.models import AuditEvent, ObjectChange

pytestmark = pytest.mark.django_db

VI_HEADER = ("Họ và tên,Giới tính,Ngày sinh,Số CCCD,Dân tộc,Tôn giáo,Trình độ chuyên môn,Lý luận chính trị,"
             "Quản lý nhà nước,Ngày vào Đảng,Ngày chính thức,Ngạch,Bậc lương,Mã đơn vị,Chức vụ,Từ ngày")
ROWS = [
    "Nguyễn Thị Lan,Nữ,17/05/1990,001190012345,Kinh,,Thạc sĩ,Cao cấp,Chuyên viên chính,03/02/2015,03/02/2016,"
    "Chuyên viên chính,3,00001,Phó Chủ tịch UBND phường,01/07/2025",
    "Trần Văn Hùng,Nam,1966-04-02,001066012345,Tày,Phật giáo,Đại học,Trung cấp,Chuyên viên,,,Chuyên viên,5,"
    "00004,Bí thư Đảng ủy,2021-01-01",
    "Phạm Thu Hà,F,1988,001188012345,Kinh,,5,3,0,,,,,,,",
]


def csv_bytes(lines, *, sep=",", bom=False) -> bytes:
    text = "\n".join(line.replace(",", sep) for line in lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(lines) -> bytes:
    wb = Workbook()
    ws = wb.active
    for line in lines:
        ws.append(line.split(",") if isinstance(line, str) else list(line))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(data: bytes, filename="can-bo.csv", **kw):
    return cadres_import_file(fileobj=io.BytesIO(data), filename=filename, **kw)


def counts():
    return Cadre.objects.count(), Assignment.objects.count(), ObjectChange.objects.count()


def import_errors(data: bytes, filename="can-bo.csv", **kw):
    before = counts()
    with pytest.raises(CadreRowsInvalid) as info:
        run(data, filename, **kw)
    assert counts() == before, "nothing may be written when a file has errors"
    return [(e.row, e.field) for e in info.value.errors_list], info.value.errors_list


# Good files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sep,bom", [(",", False), (";", False), (",", True), (";", True)])
def test_csv_vietnamese_headers(tree, sep, bom):
    result = run(csv_bytes([VI_HEADER, *ROWS], sep=sep, bom=bom))
    assert (result.created, result.updated, result.skipped) == (3, 0, 0)
    lan = Cadre.objects.get(citizen_id="001190012345")
    assert (lan.sex, lan.birth_date, lan.education_level, lan.political_theory, lan.state_management) == (
        "F", dt.date(1990, 5, 17), 5, 3, 2)
    assert lan.unit == tree["00001"] and lan.unit_path == tree["00001"].path
    assert lan.current_title == "Phó Chủ tịch UBND phường" and lan.party_admission_date == dt.date(2015, 2, 3)
    assert lan.name_folded == "nguyen thi lan"
    ha = Cadre.objects.get(citizen_id="001188012345")
    assert ha.birth_date is None and ha.birth_year == 1988 and ha.unit is None
    assert Assignment.objects.count() == 2
    # written through the bulk path, change log included
    assert ObjectChange.objects.filter(object_id=str(lan.pk), action="create").exists() or \
        ObjectChange.objects.filter(object_id=lan.pk, action="create").exists()
    assert AuditEvent.objects.filter(kind="cadres.imported").count() == 1


def test_english_headers_and_xlsx_with_real_dates_and_numeric_id(tree):
    header = ["full_name", "sex", "birth_date", "citizen_id", "education_level", "unit_code", "title", "valid_from"]
    row = ["Lê Văn Minh", "male", dt.datetime(1988, 2, 2), 1088012345, "Master (thạc sĩ)", "00004", "Chủ tịch",
           dt.datetime(2022, 1, 1)]
    result = run(xlsx_bytes([header, row]), "people.xlsx")
    assert result.created == 1
    c = Cadre.objects.get()
    assert c.citizen_id == "001088012345" and c.education_level == 5 and c.unit == tree["00004"]


def test_reimport_changes_nothing_and_export_reimports(tree, admin_user):
    run(csv_bytes([VI_HEADER, *ROWS]))
    before = counts()
    result = run(csv_bytes([VI_HEADER, *ROWS]))
    assert (result.created, result.updated, result.skipped) == (0, 0, 3)
    for fmt in ("xlsx", "csv"):
        if fmt == "xlsx":
            data = exports.cadres_xlsx(Cadre.objects.all(), admin_user)
        else:
            data = "".join(exports.cadres_csv(Cadre.objects.all(), admin_user)).encode("utf-8")
        changes = ObjectChange.objects.count()
        result = run(data, f"export.{fmt}")
        assert (result.created, result.updated, result.skipped) == (0, 0, 3), fmt
        assert ObjectChange.objects.count() == changes
    assert Cadre.objects.count() == before[0] and Assignment.objects.count() == before[1]


def test_changed_row_is_an_error_without_update_and_an_update_with_it(tree):
    run(csv_bytes([VI_HEADER, *ROWS]))
    changed = ROWS[0].replace("Chuyên viên chính,3,", "Chuyên viên chính,4,").replace(
        "00001,Phó Chủ tịch UBND phường,01/07/2025", "00004,Chủ tịch UBND phường,01/01/2026")
    rows, errors = import_errors(csv_bytes([VI_HEADER, changed]))
    assert rows == [(2, "citizen_id")]
    assert "salary_step" in errors[0].message and "unit_code" in errors[0].message
    result = run(csv_bytes([VI_HEADER, changed]), update=True)
    assert (result.created, result.updated) == (0, 1)
    lan = Cadre.objects.get(citizen_id="001190012345")
    assert lan.salary_step == 4 and lan.lock_version == 1
    old, new = lan.assignments.order_by("valid_from")
    assert old.valid_to == dt.date(2026, 1, 1) and new.unit == tree["00004"]


def test_streams_in_batches(tree, monkeypatch):
    monkeypatch.setattr(importers, "BATCH", 7)
    lines = [VI_HEADER]
    for i in range(40):
        lines.append(f"Người Thứ {i},Nam,1980-01-01,0010800{i:05d},Kinh,,Đại học,,,,,,,00001,Chuyên viên,2021-01-01")
    result = run(csv_bytes(lines))
    assert result.created == 40 and Assignment.objects.count() == 40
    # a duplicate far from its first occurrence (another batch) is still caught
    lines[-1] = lines[3].replace("Người Thứ 2", "Người Khác")
    Cadre.objects.all().delete()
    rows, _errors = import_errors(csv_bytes(lines))
    assert rows == [(41, "citizen_id")]


# Bad files ---------------------------------------------------------------------------------------

H = "full_name,sex,birth_date,citizen_id,unit_code,title,valid_from,decision_date"
BAD = [
    ("citizen_id", "Nguyễn Văn A,Nam,1980-01-01,12345,,,,"),                       # not 12 digits
    ("citizen_id", "Nguyễn Văn A,Nam,1980-01-01,001180012345,,,,"),                # ID says woman
    ("citizen_id", "Nguyễn Văn A,Nam,1980-01-01,001081012345,,,,"),                # ID says 1981
    ("citizen_id", "Nguyễn Văn A,Nam,1980-01-01,099080012345,,,,"),                # no province 099
    ("birth_date", "Nguyễn Văn A,Nam,2999-01-01,001099912345,,,,"),                # future birth date
    ("birth_date", "Nguyễn Văn A,Nam,31/02/1980,001080012345,,,,"),                # no such date
    ("sex", "Nguyễn Văn A,X,1980-01-01,001080012345,,,,"),
    ("full_name", ",Nam,1980-01-01,001080012345,,,,"),
    ("valid_from", "Nguyễn Văn A,Nam,2010-01-01,001210012345,00001,Chủ tịch,2021-01-01,"),   # under 18
    ("valid_from", "Nguyễn Văn A,Nam,1980-01-01,001080012345,00001,Chủ tịch,2019-01-01,"),   # before the unit
    ("decision_date", "Nguyễn Văn A,Nam,1980-01-01,001080012345,00001,Chủ tịch,2021-01-01,2021-02-01"),
    ("unit_code", "Nguyễn Văn A,Nam,1980-01-01,001080012345,99999,Chủ tịch,2021-01-01,"),
    ("title", "Nguyễn Văn A,Nam,1980-01-01,001080012345,00001,,2021-01-01,"),
]


@pytest.mark.parametrize(("column", "line"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_row_is_reported_and_nothing_written(tree, column, line):
    good = "Trần Thị B,Nữ,1985-01-01,001185012345,00004,Chủ tịch,2021-01-01,"
    rows, _errors = import_errors(csv_bytes([H, good, line]))
    assert (3, column) in rows, rows
    assert all(r == 3 for r, _c in rows), rows


def test_duplicate_citizen_id_in_file_and_against_stored(tree):
    a = "Trần Thị B,Nữ,1985-01-01,001185012345,,,,"
    rows, errors = import_errors(csv_bytes([H, a, a.replace("Trần Thị B", "Trần Thị C")]))
    assert rows == [(3, "citizen_id")]
    assert errors[0].message == gettext("The citizen ID is also on row %(row)s.") % {"row": 2}  # active language
    services.cadre_create(full_name="Người Khác", sex="F", birth_date=dt.date(1985, 1, 1), citizen_id="001185012345")
    rows, _errors = import_errors(csv_bytes([H, a]))
    assert rows == [(2, "citizen_id")]  # it differs from the stored record


def test_overlapping_primary_positions_on_update(tree):
    c = services.cadre_create(full_name="Trần Thị B", sex="F", birth_date=dt.date(1985, 1, 1),
                              citizen_id="001185012345")
    services.assignment_create(cadre=c, unit=tree["00001"], title="Chủ tịch", valid_from=dt.date(2021, 1, 1),
                               valid_to=dt.date(2024, 1, 1))
    services.assignment_create(cadre=c, unit=tree["00004"], title="Bí thư", valid_from=dt.date(2024, 1, 1),
                               valid_to=dt.date(2025, 1, 1))
    # a new position from 2023 would overlap the closed 2024 one (it is not open, so it is not ended)
    line = "Trần Thị B,Nữ,1985-01-01,001185012345,08974,Chủ tịch,2023-06-01,"
    rows, _errors = import_errors(csv_bytes([H, line]), update=True)
    assert rows == [(2, "valid_from")]


def test_wrong_columns(tree):
    rows, errors = import_errors(csv_bytes(["name,shoe size,birth_date", "A,42,1980"]))
    assert (1, "shoe size") in rows and (1, "sex") in rows and (1, "citizen_id") in rows
    rows, _errors = import_errors(csv_bytes(["full_name,sex,birth_date,citizen_id,Họ và tên", "A,Nam,1980,1,B"]))
    assert (1, "full_name") in rows


@pytest.mark.parametrize("data,filename", [
    (b"", "x.csv"), (b"\xff\xfe\x00b\x00a\x00d", "x.csv"), (b"PK\x03\x04garbage", "x.xlsx"),
    (b"\xd0\xcf\x11\xe0old", "x.xls"), (b"full_name,sex\n", "x.csv"),
])
def test_unreadable_files(db, data, filename):
    rows, _errors = import_errors(data, filename)
    assert rows


def test_scoped_import(tree):
    clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    rows, _errors = import_errors(csv_bytes([H, "Trần Thị B,Nữ,1985-01-01,001185012345,26734,Chủ tịch,2021-01-01,",
                                             "Trần Thị C,Nữ,1985-01-01,001185012346,,,,"]), user=clerk)
    assert rows == [(2, "unit_code"), (3, "unit_code")]
    assert run(csv_bytes([H, "Trần Thị B,Nữ,1985-01-01,001185012345,00001,Chủ tịch,2021-01-01,"]),
               user=clerk).created == 1


# Command and API -----------------------------------------------------------------------------


def test_commands_round_trip(tree, tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(csv_bytes([VI_HEADER, *ROWS]))
    out = io.StringIO()
    call_command("import_cadres", str(src), stdout=out)
    assert "3 created" in out.getvalue()
    dest = tmp_path / "out.xlsx"
    call_command("export_cadres", str(dest), stdout=io.StringIO())
    ws = load_workbook(dest, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and len(rows) == 4
    out = io.StringIO()
    call_command("import_cadres", str(dest), stdout=out)
    assert "0 created" in out.getvalue() and "3 unchanged" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([H, "A,Nam,1980-01-01,12,,,,"]))
    report = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError):
        call_command("import_cadres", str(bad), "--errors-xlsx", str(report), stderr=io.StringIO())
    assert report.exists()


def test_api_import_and_error_report(tree, admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    good = io.BytesIO(csv_bytes([VI_HEADER, *ROWS]))
    good.name = "can-bo.csv"
    r = client.post("/api/cadres/import/", {"file": good}, format="multipart")
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 3, "updated": 0, "skipped": 0}
    before = counts()
    bad = io.BytesIO(csv_bytes([H, "A,Nam,1980-01-01,12,,,,"]))
    bad.name = "bad.csv"
    r = client.post("/api/cadres/import/", {"file": bad}, format="multipart")
    assert r.status_code == 400
    assert r.json()["errors"][0] == {"row": 2, "column": "citizen_id", "message": r.json()["errors"][0]["message"]}
    bad.seek(0)
    r = client.post("/api/cadres/import/", {"file": bad, "error_report": "xlsx"}, format="multipart")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert counts() == before
    r = client.get("/api/cadres/import-template/")
    assert r.status_code == 200
    header = next(load_workbook(io.BytesIO(r.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert all(importers.column_for(h) for h in header)


def test_viewer_may_not_import(tree, hanoi_viewer):
    client = APIClient()
    client.force_authenticate(hanoi_viewer)
    f = io.BytesIO(csv_bytes([VI_HEADER, *ROWS]))
    f.name = "x.csv"
    assert client.post("/api/cadres/import/", {"file": f}, format="multipart").status_code == 403
    assert Cadre.objects.count() == 0


def test_hometown_unit_code_imports_exports_and_reimports(tree, admin_user):
    header = "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Quê quán,Mã đơn vị quê quán"
    rows = ["Nguyễn Thị Lan,Nữ,17/05/1990,001190012345,Phúc Xá,00001",
            "Trần Văn Hùng,Nam,1966-04-02,001066012345,,26"]
    result = run(csv_bytes([header, *rows]))
    assert result.created == 2
    lan = Cadre.objects.get(citizen_id="001190012345")
    assert lan.hometown == tree["00001"] and lan.hometown_text == "Phúc Xá"
    assert (run(csv_bytes([header, *rows])).skipped, ObjectChange.objects.filter(action="update").count()) == (2, 0)
    data = exports.cadres_xlsx(Cadre.objects.all(), admin_user)
    assert "Mã đơn vị quê quán" in [c.value for c in next(load_workbook(io.BytesIO(data)).worksheets[0].rows)]
    assert run(data, "export.xlsx").skipped == 2
    rows_, errors = import_errors(csv_bytes([header, "Lê Văn Nam,Nam,1970,001070012345,,99999"]))
    assert rows_ == [(2, "hometown_code")] and "99999" in errors[0].message
