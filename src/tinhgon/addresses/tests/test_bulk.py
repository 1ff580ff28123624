"""A file of addresses converted: the command, the job behind the page and the API, bad input."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from tinhgon.accounts.tests.factories import make_user
from tinhgon.addresses import bulk
from tinhgon.addresses.tests.test_resolver import DAY1, registry  # noqa: F401
from tinhgon.core import jobs
from tinhgon.core.models import Job

pytestmark = pytest.mark.django_db

ROWS = [
    ["Họ tên", "Địa chỉ"],
    ["Nguyễn Văn A", "59 nguyễn sỹ sách, p15, tan binh, hcm"],
    ["Trần Thị B", "phuc xa ba dinh ha noi"],
    ["Lê C", ""],
    ["Phạm D", "không có nơi nào"],
    ["Võ E", "xa minh quan, tran yen, yen bai"],
]


def csv_bytes(rows=ROWS) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows=ROWS) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def convert(data: bytes, name: str, **spec) -> bytes:
    out = io.BytesIO()
    bulk.convert_file(io.BytesIO(data), name, out, bulk.Spec.from_params(spec or {"column": "Địa chỉ"}), as_of=DAY1)
    return out.getvalue()


def test_csv_comes_back_with_the_new_columns_and_a_status_per_row(registry):  # noqa: F811
    rows = read_csv(convert(csv_bytes(), "a.csv"))
    assert rows[0][:2] == ["Họ tên", "Địa chỉ"] and rows[0][2:] == bulk.new_columns()
    by_name = {r[0]: r for r in rows[1:]}
    assert len(rows) == 6  # the row with an empty address is kept (not_found), blank rows are not
    a = by_name["Nguyễn Văn A"]
    assert a[2:7] == ["Phường Tân Sơn", "27008", "Thành phố Hồ Chí Minh",
                      "59 nguyễn sỹ sách, Phường Tân Sơn, Thành phố Hồ Chí Minh", "divided"]
    assert "Phường Tân Bình (27009) *" in a[7]
    assert by_name["Trần Thị B"][2] == "Phường Ba Đình" and by_name["Trần Thị B"][6] == "exact"
    assert by_name["Lê C"][6] == "not_found" and "empty" in by_name["Lê C"][8]
    assert by_name["Phạm D"][6] == "not_found" and by_name["Phạm D"][8]
    assert by_name["Võ E"][6] == "ambiguous"


def test_xlsx_comes_back_as_xlsx_and_separate_columns_work(registry):  # noqa: F811
    rows = [["Xã", "Huyện", "Tỉnh"], ["Phường 15", "Quận Tân Bình", "TP HCM"], ["Phúc Xá", "Ba Đình", "Hà Nội"]]
    out = convert(xlsx_bytes(rows), "b.xlsx", commune="xã", district="HUYỆN", province="Tinh")
    got = list(load_workbook(io.BytesIO(out)).worksheets[0].iter_rows(values_only=True))
    assert [r[3] for r in got[1:]] == ["Phường Tân Sơn", "Phường Ba Đình"]


def test_one_bad_row_never_stops_the_file(registry, monkeypatch):  # noqa: F811
    from tinhgon.addresses import resolver

    real = resolver.resolve

    def boom(idx, text, **kw):
        if "phuc xa" in text:
            raise RuntimeError("broken row")
        return real(idx, text, **kw)

    monkeypatch.setattr(bulk, "resolve", boom)
    rows = read_csv(convert(csv_bytes(), "a.csv"))
    bad = next(r for r in rows if r[0] == "Trần Thị B")
    assert bad[6] == "not_found" and "RuntimeError" in bad[8]
    assert next(r for r in rows if r[0] == "Nguyễn Văn A")[6] == "divided"


@pytest.mark.parametrize("data, name, spec, code", [
    (b"", "a.csv", {"column": "Địa chỉ"}, "unreadable"),
    (b"   \n", "a.csv", {"column": "Địa chỉ"}, "unreadable"),
    (csv_bytes(), "a.csv", {"column": "Address"}, "missing_column"),
    (csv_bytes([["Họ tên", "Nơi ở"], ["A", "phuc xa"]]), "a.csv", {}, "no_column"),
    (b"%PDF-1.4\x00\x01binary", "a.pdf", {"column": "Địa chỉ"}, "file_kind"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a.csv", {"column": "Địa chỉ"}, "unreadable"),
    (b"PK\x03\x04not a zip", "a.xlsx", {"column": "Địa chỉ"}, "unreadable"),
])
def test_bad_files_are_refused_with_a_clear_message(registry, data, name, spec, code):  # noqa: F811
    with pytest.raises(ValidationError) as exc:
        bulk.check_upload(io.BytesIO(data), name, bulk.Spec.from_params(spec))
    assert exc.value.code == code and exc.value.messages[0]


def test_the_command_converts_a_file(registry, tmp_path):  # noqa: F811
    src, dst = tmp_path / "in.csv", tmp_path / "out.xlsx"
    src.write_bytes(csv_bytes())
    out = io.StringIO()
    call_command("convert_addresses", str(src), str(dst), "--column", "dia chi", "--as-of", "2025-07-01",
                 "--quiet", stdout=out)
    assert "5 addresses" in out.getvalue() and "divided 1" in out.getvalue()
    got = list(load_workbook(dst).worksheets[0].iter_rows(values_only=True))
    assert got[1][2] == "Phường Tân Sơn"
    with pytest.raises(CommandError, match="no column"):
        call_command("convert_addresses", str(src), str(dst), "--column", "nope", "--quiet")
    with pytest.raises(CommandError, match="no such file"):
        call_command("convert_addresses", str(tmp_path / "missing.csv"), str(dst), "--column", "x")


# The page and the job -----------------------------------------------------------------------


@pytest.fixture
def clerk(registry):  # noqa: F811
    return make_user("addr-clerk", role="viewer")


def test_the_page_starts_a_job_shows_its_progress_and_the_file(client, clerk):
    client.force_login(clerk)
    upload = SimpleUploadedFile("dia-chi.csv", csv_bytes())
    r = client.post("/addresses/bulk/", {"file": upload, "column": "Địa chỉ", "as_of": "2025-07-01"})
    assert r.status_code == 302 and "?job=" in r["Location"]
    job = Job.objects.latest("id")
    assert job.kind == "addresses.convert" and job.scope_path == ""
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.SUCCEEDED and job.result["rows"] == 5 and job.total == 5
    page = client.get(r["Location"]).content.decode()
    assert "dia-chi-converted.csv" in page
    f = client.get(f"/jobs/{job.pk}/file/")
    assert f.status_code == 200
    rows = read_csv(b"".join(f.streaming_content))
    assert rows[1][2] == "Phường Tân Sơn"


@pytest.mark.parametrize("post, field, text", [
    ({"file": ("a.csv", csv_bytes()), "column": "Address"}, "column", "no column"),
    ({"file": ("a.csv", csv_bytes([["Họ tên", "Nơi ở"], ["A", "phuc xa ba dinh ha noi"]]))}, "column",
     "Choose the column"),
    ({"file": ("a.txt", b"hello")}, "file", "neither"),
    ({"file": ("a.csv", b"")}, "file", "empty"),
])
def test_the_page_refuses_bad_files_and_starts_nothing(client, clerk, post, field, text, settings):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = dict(post)
    name, content = data.pop("file")
    data["file"] = SimpleUploadedFile(name, content)
    data.setdefault("column", "Địa chỉ") if "column" not in post and field != "column" else None
    r = client.post("/addresses/bulk/", data)
    assert r.status_code == 200 and text in r.content.decode()
    assert not Job.objects.exists()


def test_an_upload_above_the_limit_is_refused_before_it_is_read(client, clerk, settings):
    settings.TINHGON_MAX_UPLOAD_BYTES = 1024
    client.force_login(clerk)
    big = SimpleUploadedFile("big.csv", b"Dia chi\n" + b"phuc xa ba dinh ha noi\n" * 40_000)
    r = client.post("/addresses/bulk/", {"file": big, "column": "Dia chi"})
    assert r.status_code == 413 and not Job.objects.exists()


def test_the_address_page_shows_what_it_understood(client, clerk, settings):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/addresses/", {"q": "59 nguyễn sỹ sách, P.15, Q.Tân Bình, TP.HCM", "as_of": "2025-07-01"})
    html = page.content.decode()
    assert page.status_code == 200
    for part in ("P.15", "Q.Tân Bình", "TP.HCM", "59 nguyễn sỹ sách", "Phường Tân Sơn", "Phường Tân Bình", "divided"):
        assert part in html, part
    empty = client.get("/addresses/", {"q": "", "as_of": "2025-07-01"}).content.decode()
    assert "The address is empty." in empty
    nowhere = client.get("/addresses/", {"q": "abc xyz", "as_of": "2025-07-01"}).content.decode()
    assert "not_found" in nowhere
    reverse = client.get("/addresses/", {"q": "Phường Ba Đình, Hà Nội", "as_of": "2025-07-01",
                                         "direction": "reverse"}).content.decode()
    assert "Phường Phúc Xá" in reverse and "Phường Trúc Bạch" in reverse


def test_pages_need_a_signed_in_user(client):
    assert client.get("/addresses/").status_code == 302
    assert client.get("/addresses/bulk/").status_code == 302


# The API --------------------------------------------------------------------------------------


def test_api_one_address_many_and_a_file(api_client, clerk):
    api_client.force_authenticate(clerk)
    r = api_client.get("/api/addresses/convert/", {"q": "P15 Q Tan Binh TPHCM", "as_of": "2025-07-01"})
    assert r.status_code == 200 and r.data["status"] == "divided"
    assert [c["name"] for c in r.data["candidates"]] == ["Phường Tân Sơn", "Phường Tân Bình"]
    assert r.data["understood"]["commune"]["written"] == "P15"
    assert api_client.get("/api/addresses/convert/", {"q": ""}).status_code == 400
    assert api_client.get("/api/addresses/convert/", {"q": "x", "as_of": "2025-13-01"}).status_code == 400
    many = api_client.post("/api/addresses/convert/", {"addresses": ["phuc xa ba dinh ha noi", ""],
                                                       "as_of": "2025-07-01"}, format="json")
    assert many.status_code == 200 and [x["status"] for x in many.data] == ["exact", "not_found"]
    assert api_client.post("/api/addresses/convert/", {"addresses": []}, format="json").status_code == 400
    up = api_client.post("/api/addresses/bulk/", {"file": SimpleUploadedFile("a.csv", csv_bytes()),
                                                  "column": "Địa chỉ", "as_of": "2025-07-01"}, format="multipart")
    assert up.status_code == 202 and up.data["kind"] == "addresses.convert"
    jobs.job_run(up.data["id"])
    out = api_client.get(f"/api/jobs/{up.data['id']}/output/")
    assert out.status_code == 200
    bad = api_client.post("/api/addresses/bulk/", {"file": SimpleUploadedFile("a.csv", csv_bytes()),
                                                   "column": "nope"}, format="multipart")
    assert bad.status_code == 400 and "column" in bad.data


def test_the_units_resolve_api_still_answers_through_the_converter(api_client, clerk):
    api_client.force_authenticate(clerk)
    r = api_client.get("/api/units/resolve/", {"q": "P15 Q Tan Binh TPHCM", "as_of": str(DAY1)})
    assert r.status_code == 200 and r.data[0]["matched"]["name"] == "Phường 15"
    assert [c["name"] for c in r.data[0]["current"]] == ["Phường Tân Sơn", "Phường Tân Bình"]


def test_job_of_another_user_is_not_theirs(api_client, clerk):
    other = make_user("addr-other", role="viewer")
    job = jobs.job_start(kind="addresses.convert", user=clerk, params={"column": "Địa chỉ", "as_of": "2025-07-01"},
                         fileobj=io.BytesIO(csv_bytes()), filename="a.csv", scope_path="")
    jobs.job_run(job.pk)
    api_client.force_authenticate(other)
    assert api_client.get(f"/api/jobs/{job.pk}/output/").status_code == 404
    assert dt.date(2025, 7, 1) == DAY1


def test_a_file_of_new_addresses_goes_back_to_the_old_units(registry):  # noqa: F811
    rows = [["Địa chỉ"], ["12 Lê Lợi, Phường Ba Đình, Hà Nội"], ["Phường Tân Sơn, TP HCM"]]
    out = io.BytesIO()
    res = bulk.convert_file(io.BytesIO(csv_bytes(rows)), "moi.csv", out, bulk.Spec(column="Địa chỉ"), as_of=DAY1,
                            reverse=True)
    got = read_csv(out.getvalue())
    assert res["by_status"] == {"merged": 1, "exact": 1}
    assert got[1][4] == "12 Lê Lợi, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"
    assert "Phường Trúc Bạch" in got[1][6]
    assert got[2][1] == "Phường 15" and got[2][5] == "exact"


def test_without_a_column_named_the_address_column_is_found_by_its_header(registry):  # noqa: F811
    rows = read_csv(convert(csv_bytes(), "a.csv", column=""))
    assert rows[1][2] == "Phường Tân Sơn"
