"""Operations files: parsing by kind, splits over several rows, all or nothing with row numbers."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from tinhgon.restructuring.importers import (
    OperationRowsInvalid,
    operations_import_file,
    parse_operations,
    template_xlsx,
)
from tinhgon.restructuring.models import Operation
from tinhgon.restructuring.services import plan_create

pytestmark = pytest.mark.django_db
HEADER = "kind,source_codes,target_code,target_name,target_kind,parent_code,share,level,children_to,function,power,from,to"


def csv_file(*rows: str) -> io.BytesIO:
    return io.BytesIO(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))


@pytest.fixture
def plan(tree):
    return plan_create(name="Thử nhập", effective_date=dt.date(2025, 7, 1))


def test_parse_every_kind():
    table = [HEADER.split(","),
             ["merge", "00001 00004", "00001", "Phường Ba Đình", "phuong"] + [""] * 8,
             ["split", "08974", "08975", "Xã A", "xa", "", "0.6"] + [""] * 6,
             ["chia tách", "08974", "08976", "Xã B", "xa", "", "0,4"] + [""] * 6,
             ["dissolve_level", "", "", "", "", "", "", "district", "province", "", "", "", ""],
             ["transfer_function", "", "", "", "", "", "", "", "", "land", "", "08974", "250"]]
    ops, errors = parse_operations(table)
    assert errors == []
    assert [o.kind for o in ops] == ["merge", "split", "dissolve_level", "transfer_function"]
    assert ops[0].data == {"sources": ["00001", "00004"], "target": {"code": "00001", "name": "Phường Ba Đình",
                                                                     "kind": "phuong"}}
    assert [t["share"] for t in ops[1].data["targets"]] == [0.6, 0.4]
    assert ops[3].data == {"function": "land", "from": "08974", "to": "250"}


def test_good_file_appends_operations(plan):
    f = csv_file("merge,00001;00004,00001,Phường Ba Đình,phuong,,,,,,,,",
                 "split,08974,08975,Xã A,xa,,0.5,,,,,,", "split,08974,08976,Xã B,xa,,0.5,,,,,,")
    assert operations_import_file(plan=plan, fileobj=f, filename="ops.csv") == 2
    assert list(plan.operations.values_list("kind", flat=True)) == ["merge", "split"]


def test_bad_rows_refuse_the_whole_file_with_row_numbers(plan):
    f = csv_file("merge,00001 00004,00001,Phường Ba Đình,phuong,,,,,,,,",
                 "explode,00001,,,,,,,,,,,",
                 "split,08974,08975,Xã A,xa,,0.5,,,,,,",
                 "split,08974,08976,Xã B,xa,,0.3,,,,,,",
                 "dissolve,99999,,,,,,,,,,,")
    with pytest.raises(OperationRowsInvalid) as exc:
        operations_import_file(plan=plan, fileobj=f, filename="ops.csv")
    rows = {(e.row, e.field) for e in exc.value.errors_list}
    assert (3, "kind") in rows and (4, "share") in rows
    assert not Operation.objects.exists()


def test_unknown_source_codes_are_reported_by_row(plan):
    f = csv_file("dissolve,99999,,,,,,,,,,,")
    with pytest.raises(OperationRowsInvalid) as exc:
        operations_import_file(plan=plan, fileobj=f, filename="ops.csv")
    assert [(e.row, e.field) for e in exc.value.errors_list] == [(2, "source_codes")]


def test_xlsx_and_template(plan):
    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in wb.worksheets[0][1]][:3] == ["kind", "source_codes", "target_code"]
    book = Workbook()
    ws = book.active
    ws.append(HEADER.split(","))
    ws.append(["dissolve_level", None, None, None, None, None, None, "district", "province"])
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    assert operations_import_file(plan=plan, fileobj=buf, filename="ops.xlsx") == 1


def test_missing_kind_column_and_unknown_column(plan):
    with pytest.raises(OperationRowsInvalid) as exc:
        operations_import_file(plan=plan, fileobj=io.BytesIO(b"what,source_codes\nx,1\n"), filename="a.csv")
    fields = {e.field for e in exc.value.errors_list}
    assert {"what", "kind"} <= fields
