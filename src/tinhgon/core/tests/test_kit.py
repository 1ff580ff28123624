"""The kit pieces every app builds its pages from: tables and exports, form helpers."""

import datetime as dt
import io

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from openpyxl import load_workbook

from tinhgon.core.forms import add_service_errors, date_field
from tinhgon.core.tables import Column, Table, export_response, fmt, fmt_number, paginate


class PeopleTable(Table):
    title = "People"
    columns = [
        Column("Name", lambda o, t: o["name"], lambda o, t: f"/people/{o['id']}/"),
        Column("Born", lambda o, t: o["born"]),
        Column("Salary", lambda o, t: o["salary"], num=True),
    ]


ROWS = [{"id": 1, "name": "=cmd|' /C calc'!A0", "born": dt.date(1990, 5, 17), "salary": 15356250},
        {"id": 2, "name": "Lan", "born": None, "salary": -3}]


def test_html_rows_format_the_vietnamese_way():
    rows = PeopleTable().html_rows(ROWS)
    assert rows[0][0] == {"text": "=cmd|' /C calc'!A0", "url": "/people/1/", "num": False}
    assert rows[0][1]["text"] == "17/05/1990" and rows[0][2]["text"] == "15.356.250"
    assert fmt_number(12.5, 1) == "12,5" and fmt(True) in ("Yes", "Có") and fmt(None) == ""


@pytest.mark.django_db
def test_export_keeps_numbers_and_dates_and_neutralizes_formulas(admin_user):
    request = RequestFactory().get("/people/", {"q": "lan", "export": "xlsx"})
    request.user = admin_user
    r = export_response(PeopleTable(), ROWS, "people.xlsx", request=request)
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    assert ws.cell(2, 1).value == "'=cmd|' /C calc'!A0" and ws.cell(2, 1).data_type == "s"
    assert ws.cell(2, 2).value.date() == dt.date(1990, 5, 17) and ws.cell(3, 3).value == -3
    info = {row[0].value: row[1].value for row in wb.worksheets[-1].iter_rows()}
    assert info.get("Filter q") == "lan" or any("lan" == v for v in info.values())


def test_paginate_last_and_out_of_range():
    rf = RequestFactory()
    items = list(range(120))
    assert paginate(rf.get("/", {"page": "last"}), items).number == 3
    assert paginate(rf.get("/", {"page": "99999999999999999999"}), items).number == 3
    assert paginate(rf.get("/", {"page": "x"}), items).number == 1


class _Form(forms.Form):
    name = forms.CharField()
    day = date_field("Day")


def test_service_errors_land_on_their_fields():
    form = _Form({"name": "a", "day": "17/05/2026"})
    assert form.is_valid() and form.cleaned_data["day"] == dt.date(2026, 5, 17)
    add_service_errors(form, ValidationError({"name": ["taken"], "elsewhere": ["odd"]}))
    assert form.errors["name"] == ["taken"] and form.non_field_errors() == ["odd"]
    form2 = _Form({"name": "a", "day": "2026-05-17"})
    form2.is_valid()
    add_service_errors(form2, ValidationError("plain"))
    assert form2.non_field_errors() == ["plain"]


# The import skeleton ---------------------------------------------------------------------------


def test_header_mapping_reports_unknown_repeated_and_missing_columns():
    from tinhgon.core import tabular

    cols = tabular.Columns(names=["code", "name"], column_for=lambda h: {"ma": "code", "code": "code",
                                                                        "ten": "name"}.get(tabular.header_key(h)),
                           required=["code", "name"])
    index, header_row, rows, errors = tabular.map_header([[], ["Mã", "Mã", "Ghi chú"], ["01", "x"]], cols)
    assert header_row == 2
    assert {(e.row, e.field) for e in errors} == {(2, "code"), (2, "Ghi chú"), (2, "name")}
    index, header_row, rows, errors = tabular.map_header([["Mã", "Tên"], ["01", "A"], ["", ""], ["02", "B"],
                                                          ["03", "C"]], cols)
    assert not errors
    errs: list = []
    got = list(tabular.data_rows(rows, index, header_row, max_rows=2, errors=errs))
    assert got == [(2, {"code": "01", "name": "A"}), (4, {"code": "02", "name": "B"})]
    assert errs[0].row == 5 and errs[0].field == "file"
    _i, _r, _it, empty = tabular.map_header([], cols)
    assert empty[0].field == "file"


def test_the_error_workbook_takes_errors_and_dicts():
    from tinhgon.core import tabular

    data = tabular.errors_workbook([tabular.RowError(3, "code", "=bad"), {"row": None, "column": "file",
                                                                          "message": "empty"}], "f.csv")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[2]] == [3, "code", "'=bad"] and ws.cell(3, 2).value == "file"


# Generic pages ---------------------------------------------------------------------------------


def _request(method="get", data=None, user=None):
    from django.contrib.messages.storage.fallback import FallbackStorage

    rf = RequestFactory()
    r = rf.post("/x/", data or {}) if method == "post" else rf.get("/x/")
    r.session = {}
    r._messages = FallbackStorage(r)
    r.user = user
    return r


@pytest.mark.django_db
def test_service_form_and_confirm_delete(admin_user):
    from tinhgon.core.views_generic import confirm_delete, service_form

    def refuse(d):
        raise ValidationError({"name": ["Taken."]})

    r = service_form(_request("post", {"name": "x", "day": "2026-01-02"}, admin_user), _Form({"name": "x",
                     "day": "2026-01-02"}), refuse, done=str, then=str, title="T", cancel="/back/")
    assert r.status_code == 400 and b"Taken." in r.content
    r = service_form(_request("post", {}, admin_user), _Form({"name": "x", "day": "2026-01-02"}),
                     lambda d: d["name"], done=lambda v: f"ok {v}", then=lambda v: f"/done/{v}/", title="T",
                     cancel="/back/")
    assert r.status_code == 302 and r["Location"] == "/done/x/"
    assert confirm_delete(_request("get", user=admin_user), lambda: None, done="d", then="/t/", title="Sure?",
                          cancel="/c/").status_code == 200
    refused = confirm_delete(_request("post", user=admin_user), lambda: refuse(None), done="d", then="/t/",
                             title="Sure?", cancel="/c/")
    assert refused.status_code == 400 and b"Taken." in refused.content
    assert confirm_delete(_request("post", user=admin_user), lambda: None, done="d", then="/t/", title="Sure?",
                          cancel="/c/").status_code == 302


# The service-backed API viewset ----------------------------------------------------------------


@pytest.mark.django_db
def test_service_viewset_writes_through_services_and_scopes(tree, api_client):
    from rest_framework.authtoken.models import Token

    from tinhgon.accounts.tests.factories import make_user
    from tinhgon.apparatus.models import Position
    from tinhgon.apparatus.services import position_create

    clerk = make_user("hn-clerk", role="clerk", scopes=[tree["01"]])
    api_client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=clerk).key)
    r = api_client.post("/api/positions/", {"unit": tree["00001"].pk, "title": "Chủ tịch", "count": 1}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.patch(f"/api/positions/{pk}/", {"count": 0}, format="json")
    assert r.status_code == 400 and "count" in r.json()  # the service's field message, nothing changed
    assert Position.objects.get(pk=pk).count == 1
    foreign = position_create(unit=tree["26734"], title="Chủ tịch")
    assert api_client.patch(f"/api/positions/{foreign.pk}/", {"count": 2}, format="json").status_code == 404
    assert api_client.delete(f"/api/positions/{foreign.pk}/").status_code == 404
    assert api_client.delete(f"/api/positions/{pk}/").status_code == 204
    assert not Position.objects.filter(pk=pk).exists()
