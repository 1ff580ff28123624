"""The shared table reader: bounded unpacking (rows, columns, cells, bytes, time), a sheet's
declared size not trusted, encoding and CSV errors named by line."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from tinhgon.core.tabular import FileUnreadable, read_table
from tinhgon.core.uploads import ImportLimits


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change`` (bytes -> bytes)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            dst.writestr(info.filename, content)
    return out.getvalue()


def rows_of(data: bytes, filename="t.xlsx", **limits) -> list:
    return [list(r) for r in read_table(io.BytesIO(data), filename, ImportLimits(**limits) if limits else None)]


def refused(data: bytes, filename="t.xlsx", **limits) -> str:
    """The (English) message of the refusal."""
    with translation.override("en"), pytest.raises(FileUnreadable) as exc:
        rows_of(data, filename, **limits)
    return str(exc.value)


GOOD = xlsx([["code", "name"], ["01", "Hà Nội"], ["79", "Hồ Chí Minh"]])


def test_a_plain_workbook_reads_as_written():
    assert rows_of(GOOD) == [["code", "name"], ["01", "Hà Nội"], ["79", "Hồ Chí Minh"]]


def test_a_declared_size_of_ten_million_rows_costs_nothing():
    lying = rewrite_sheet(GOOD, lambda x: re.sub(rb'<dimension ref="[^"]*"\s*/>',
                                                 b'<dimension ref="A1:XFD10000000"/>', x))
    assert b"XFD10000000" in zipfile.ZipFile(io.BytesIO(lying)).read("xl/worksheets/sheet1.xml")
    started = time.monotonic()
    assert rows_of(lying) == [["code", "name"], ["01", "Hà Nội"], ["79", "Hồ Chí Minh"]]
    assert time.monotonic() - started < 2


def test_a_highly_compressed_sheet_is_refused_before_it_is_unpacked():
    """150 MB of empty rows packed into a few hundred KB: refused from the archive's directory."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info))
        with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        b'<dimension ref="A1:A10000000"/><sheetData>')
            chunk = b"<row/>" * 1_000_000
            for _ in range(25):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    bomb = out.getvalue()
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    message = refused(bomb)
    assert time.monotonic() - started < 1
    assert "compressed" in message or "unpacks" in message
    # Within a larger size limit, the ratio alone refuses it.
    assert "compressed" in refused(bomb, max_unpacked_bytes=10**9)
    # With both checks lifted, blank rows past the row limit end the sheet: read in a moment, none kept.
    started = time.monotonic()
    assert rows_of(bomb, max_unpacked_bytes=10**9, max_compression_ratio=10**6, max_rows=1000) == []
    assert time.monotonic() - started < 1


def test_unpacked_size_limit():
    assert "unpacks to" in refused(GOOD, max_unpacked_bytes=1000)


def test_rows_past_the_limit():
    data = xlsx([["h"], *[[i] for i in range(20)]])
    assert len(rows_of(data, max_rows=21)) == 21
    assert "more than 20 rows" in refused(data, max_rows=20)
    # Data right after the limit is refused; past the limit, a run of blank rows ends the sheet
    # (row 10,000,000 is never reached, so it costs nothing).
    after = xlsx([["h"], *[[i] for i in range(20)], [None], ["x"]])
    assert "more than 20 rows" in refused(after, max_rows=20)
    far = rewrite_sheet(GOOD, lambda x: x.replace(
        b"</sheetData>", b'<row r="10000000"><c r="A10000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    started = time.monotonic()
    assert len(rows_of(far, max_rows=1000)) == 3
    assert time.monotonic() - started < 1


def test_trailing_blank_rows_are_dropped_and_inner_ones_kept():
    data = xlsx([["h"], [1], [None], [2], *[[None]] * 50])
    assert rows_of(data) == [["h"], [1], [], [2]]
    # Past the row limit, blank rows end the sheet.
    assert rows_of(data, max_rows=5) == [["h"], [1], [], [2]]


def test_columns_and_cells():
    wide = rewrite_sheet(GOOD, lambda x: x.replace(
        b"</sheetData>", b'<row r="4"><c r="XFD4" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    assert "Row 4 has more than 500 columns" in refused(wide)
    assert "more than 5 cells" in refused(GOOD, max_cells=5)
    assert "Line 2 has more than 3 columns" in refused(b"a,b\n1,2,3,4\n", "t.csv", max_columns=3)


def test_time_spent_reading_is_bounded():
    data = b"h\n" + b"1\n" * 50_000
    assert "longer than 0 seconds" in refused(data, "t.csv", max_seconds=1e-9)
    assert len(rows_of(data, "t.csv")) == 50_001


@pytest.mark.parametrize("data,line", [
    (b"kind,source_codes\ndissolve,00013\n\xff\xfe bad\n", 3),
    (b"kind;source_codes\n\xe0\x80;x\n", 2),
    (b"\x89PNG\r\n\x1a\n", 1),
    (b"h\n" + "ầ\n".encode() * 400_000 + b"\xff\n", 400_002),  # past the first megabyte read
])
def test_non_utf8_is_refused_at_once_naming_the_line(data, line):
    with translation.override("en"), pytest.raises(FileUnreadable) as exc:
        read_table(io.BytesIO(data), "ops.csv")  # before any row is read
    assert f"Line {line} " in str(exc.value)


def test_csv_errors_become_file_errors():
    huge = b"a,b\n" + b'1,"' + b"x" * 200_000 + b'"\n'
    assert "cannot be read at line 2" in refused(huge, "t.csv")
    assert "neither" in refused(b"a,b\n1,\x00\n", "t.csv")


def test_leading_blank_lines_keep_the_file_row_numbers():
    assert rows_of(b"\n\ncode,name\n01,A\n", "t.csv") == [[], [], ["code", "name"], ["01", "A"]]


@pytest.mark.parametrize("row", [
    b'<row r="4"><c r="A4"><v>1</v></c><row>',                 # broken XML
    b'<row r="4"><c r="A4" t="n"><v>abc</v></c></row>',       # a number that is not one
])
def test_a_damaged_sheet_is_a_file_error(row):
    damaged = rewrite_sheet(GOOD, lambda x: x.replace(b"</sheetData>", row + b"</sheetData>"))
    assert "cannot be read after row 3" in refused(damaged)


def test_a_workbook_packed_otherwise_than_deflate_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert "neither a readable Excel workbook" in refused(out.getvalue())
