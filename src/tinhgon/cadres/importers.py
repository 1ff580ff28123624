"""Import cadre records from a CSV or XLSX file: streamed, all or nothing, row-level errors.

One row per person; the columns, their Vietnamese and English headers and the
accepted values are documented in docs/CADRES_IMPORT.md (and :data:`COLUMNS`).
The file is read row by row (csv reader over the byte stream, openpyxl in
read-only mode), validated and written in batches of :data:`BATCH` rows inside
one transaction, so memory stays flat however long the file is.

* A row whose citizen ID is not stored yet becomes a new record (with its current
  position as its first assignment), checked by the very functions the services
  use (:func:`tinhgon.cadres.services.cadre_validate`,
  :func:`tinhgon.cadres.services.assignment_problems`) and written through the bulk
  path (``bulk_create``: change log included).
* A row whose citizen ID is stored and whose values are the same is skipped, so
  importing the same file twice changes nothing.  A row that differs is an error,
  unless ``update=True``: then it changes the record through the services.
* Any error anywhere (a bad cell, a duplicate citizen ID inside the file, a check
  refused) and nothing is written; every error is reported with its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tinhgon.apparatus.models import Unit
from tinhgon.core import tabular
from tinhgon.core.audit import audit_event
from tinhgon.core.scoping import in_scope, restrict
from tinhgon.core.tabular import RowError
from tinhgon.core.text import fold

from . import services
from .models import EDUCATION_LEVELS, POLITICAL_THEORY, STATE_MANAGEMENT, Assignment, Cadre

BATCH = 1000
MAX_ERRORS = 1000


@dataclass(frozen=True)
class Column:
    name: str
    header_vi: str          # the header the template and the export write
    aliases: tuple[str, ...] = ()


# Person, then the current position (unit code + title + from date becomes an assignment).
COLUMNS: tuple[Column, ...] = (
    Column("full_name", "Họ và tên", ("ho ten", "ho va ten khai sinh", "name", "full name")),
    Column("sex", "Giới tính", ("gender", "phai")),
    Column("birth_date", "Ngày sinh", ("ngay thang nam sinh", "nam sinh", "date of birth", "birth year")),
    Column("citizen_id", "Số CCCD", ("cccd", "so can cuoc", "so can cuoc cong dan", "so dinh danh",
                                     "so dinh danh ca nhan", "can cuoc cong dan", "citizen id number")),
    Column("ethnicity", "Dân tộc", ()),
    Column("religion", "Tôn giáo", ()),
    Column("hometown_text", "Quê quán", ("hometown",)),
    Column("hometown_code", "Mã đơn vị quê quán", ("ma que quan", "hometown code", "hometown unit code")),
    Column("education_level", "Trình độ chuyên môn", ("trinh do", "education", "trinh do dao tao")),
    Column("education_field", "Chuyên ngành", ("nganh", "field of study")),
    Column("political_theory", "Lý luận chính trị", ("llct", "trinh do ly luan chinh tri")),
    Column("state_management", "Quản lý nhà nước", ("qlnn", "trinh do quan ly nha nuoc")),
    Column("foreign_language", "Ngoại ngữ", ()),
    Column("it_certificate", "Tin học", ("it",)),
    Column("party_admission_date", "Ngày vào Đảng", ("ngay vao dang cong san viet nam", "party admission")),
    Column("party_official_date", "Ngày chính thức", ("ngay vao dang chinh thuc", "party official",
                                                       "party official membership")),
    Column("civil_service_rank", "Ngạch", ("ngach cong chuc", "rank", "civil service rank ngach")),
    Column("salary_step", "Bậc lương", ("bac",)),
    Column("policy_salary", "Lương tính chế độ", ("muc luong", "luong", "tien luong", "policy salary", "salary")),
    Column("insured_months", "Số tháng đóng BHXH", ("thang bhxh", "so thang bhxh", "bhxh", "insured months")),
    Column("note", "Ghi chú", ()),
    Column("unit_code", "Mã đơn vị", ("ma don vi cong tac", "unit")),
    Column("title", "Chức vụ", ("chuc danh", "position")),
    Column("valid_from", "Từ ngày", ("ngay bo nhiem", "from", "from date", "start")),
    Column("decision_number", "Số quyết định", ("so qd", "decision")),
    Column("decision_date", "Ngày quyết định", ("ngay qd",)),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED = ("full_name", "sex", "birth_date", "citizen_id")
POSITION = ("unit_code", "title", "valid_from", "decision_number", "decision_date")
PERSON = tuple(n for n in COLUMN_NAMES if n not in POSITION)

# Values written by the export and the template; the import accepts these, the numbers,
# and the English labels of the model choices.
SEX_VI = {"M": "Nam", "F": "Nữ"}
LEVELS_VI = {
    "education_level": {0: "Dưới THPT", 1: "THPT", 2: "Trung cấp", 3: "Cao đẳng", 4: "Đại học",
                        5: "Thạc sĩ", 6: "Tiến sĩ"},
    "political_theory": {0: "Không", 1: "Sơ cấp", 2: "Trung cấp", 3: "Cao cấp", 4: "Cử nhân"},
    "state_management": {0: "Không", 1: "Chuyên viên", 2: "Chuyên viên chính", 3: "Chuyên viên cao cấp"},
}
_LEVEL_CHOICES = {"education_level": EDUCATION_LEVELS, "political_theory": POLITICAL_THEORY,
                  "state_management": STATE_MANAGEMENT}
_LEVEL_SYNONYMS = {
    "education_level": {"cu nhan": 4, "ky su": 4, "bac si": 4, "ths": 5, "ts": 6, "tskh": 6, "12/12": 1,
                        "trung hoc pho thong": 1, "university": 4, "master": 5, "doctor": 6, "phd": 6},
    "political_theory": {"": 0, "chua qua dao tao": 0, "chua co": 0, "none": 0, "cao cap ly luan chinh tri": 3},
    "state_management": {"": 0, "chua co": 0, "none": 0, "cvc": 2, "cvcc": 3, "cv": 1},
}
_SEX = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F"}


class CadreRowsInvalid(ValidationError):
    """Every problem found in an import file; nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors_list = list(errors)
        super().__init__([str(e) for e in self.errors_list])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rows: int = 0


# Headers ------------------------------------------------------------------------------------


_key = tabular.header_key


_HEADER_INDEX: dict[str, str] = {}
for _c in COLUMNS:
    for _label in (_c.name, _c.name.replace("_", " "), _c.header_vi, *_c.aliases):
        _HEADER_INDEX[_key(_label)] = _c.name


def column_for(header) -> str | None:
    """The column a header names (English code, English words or Vietnamese, accents optional)."""
    key = _key(header)
    return _HEADER_INDEX.get(key) or _HEADER_INDEX.get(re.sub(r"\s*\(.*\)$", "", key))


_COLUMNS = tabular.Columns(names=[c.name for c in COLUMNS], column_for=column_for, required=REQUIRED,
                           known=", ".join(c.header_vi for c in COLUMNS))


# Reading the file streamed ------------------------------------------------------------------


def read_table(fileobj, filename: str = "") -> Iterator[Sequence]:
    """The file's rows (header first) as sequences of cell values, read lazily."""
    return tabular.read_table_or_refuse(
        fileobj, filename, lambda message: CadreRowsInvalid([RowError(None, "file", message)]))


# Cells --------------------------------------------------------------------------------------


def _text(value) -> str:
    return tabular.cell_text(value, dates_iso=True)


_date = tabular.cell_date


def _birth(value) -> tuple[dt.date | None, int]:
    """A birth date, or only a year (``1961``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1800 <= value <= 2200:
        return None, int(value)
    text = _text(value)
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    d = _date(value)
    return d, d.year


def _citizen_id(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel stored the ID as a number and dropped its leading zeros.
        text = str(int(value))
        return text.zfill(12) if len(text) <= 12 else text
    return re.sub(r"[\s.'’-]", "", _text(value))


def _sex(value) -> str:
    sex = _SEX.get(fold(_text(value)))
    if sex is None:
        raise ValueError(_("Invalid sex %(value)r: write Nam or Nữ (M or F).") % {"value": _text(value)})
    return sex


def _level_index(column: str) -> dict[str, int]:
    out: dict[str, int] = {}
    with translation.override(None):  # the English msgids, whatever the active language
        labels = [(value, str(label)) for value, label in _LEVEL_CHOICES[column]]
    for value, text in labels:
        out[fold(text)] = value
        out[fold(re.sub(r"\s*\(.*\)$", "", text))] = value
        inner = re.search(r"\((.*)\)", text)
        if inner:
            out[fold(inner.group(1))] = value
    for value, label in LEVELS_VI[column].items():
        out[fold(label)] = value
    out.update(_LEVEL_SYNONYMS.get(column, {}))
    return out


_LEVELS: dict[str, dict[str, int]] = {}


def _level(column: str):
    def convert(value) -> int:
        index = _LEVELS.get(column)
        if index is None:
            index = _LEVELS[column] = _level_index(column)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            number = int(value)
        else:
            text = fold(_text(value))
            if text.isdigit():
                number = int(text)
            elif text in index:
                return index[text]
            else:
                raise ValueError(_("Unknown value %(value)r. Accepted: %(values)s.") % {
                    "value": _text(value), "values": ", ".join(LEVELS_VI[column].values())})
        if number not in LEVELS_VI[column]:
            raise ValueError(_("Unknown level %(value)s.") % {"value": number})
        return number

    return convert


def _int(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(_text(value))
    except ValueError:
        raise ValueError(_("Invalid whole number %(value)r.") % {"value": _text(value)}) from None


def _money(value) -> int:
    """A sum as people write it: 15.356.250, 15,356,250, 15 356 250 đ."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    text = _text(value).lower().replace("vnd", "").replace("đ", "").replace("₫", "")
    digits = text.replace(".", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not digits.isdigit():
        raise ValueError(_("Invalid amount %(value)r.") % {"value": _text(value)})
    return int(digits)


_CONVERT = {
    "sex": _sex, "citizen_id": _citizen_id, "party_admission_date": _date, "party_official_date": _date,
    "salary_step": _int, "policy_salary": _money, "insured_months": _int, "valid_from": _date, "decision_date": _date,
    "education_level": _level("education_level"), "political_theory": _level("political_theory"),
    "state_management": _level("state_management"),
}


@dataclass
class _Row:
    n: int
    person: dict = field(default_factory=dict)
    position: dict | None = None
    bad: bool = False
    hometown_code: str | None = None


def _parse(n: int, values: dict) -> tuple[_Row, list[RowError]]:
    row, errors = _Row(n), []
    for column, value in values.items():
        if column == "birth_date":
            if not _text(value):
                errors.append(RowError(n, column, _("The birth date (or at least the year) is required.")))
                continue
            try:
                row.person["birth_date"], row.person["birth_year"] = _birth(value)
            except ValueError as exc:
                errors.append(RowError(n, column, str(exc)))
            continue
        if not _text(value):
            if column in REQUIRED:
                errors.append(RowError(n, column, _("This column is required.")))
            elif column in POSITION:
                pass
            elif column in _LEVEL_CHOICES:
                pass  # unknown: the record's default (new) or its current value (update)
            elif column in ("party_admission_date", "party_official_date", "salary_step", "policy_salary",
                            "insured_months"):
                row.person[column] = None
            else:
                row.person[column] = ""
            continue
        convert = _CONVERT.get(column)
        try:
            parsed = convert(value) if convert else _text(value)
        except ValueError as exc:
            errors.append(RowError(n, column, str(exc)))
            continue
        if column in POSITION:
            if row.position is None:
                row.position = {}
            row.position[column] = parsed
        else:
            row.person[column] = parsed
    if row.position:
        for column in ("unit_code", "title", "valid_from"):
            if column not in row.position:
                errors.append(RowError(n, column, _(
                    "A current position needs the unit code, the title and the from date.")))
    row.bad = bool(errors)
    return row, errors


# Importing ----------------------------------------------------------------------------------


class _Importer:
    """Reads, checks and writes one file.  With ``stage`` (a background job), nothing is
    written while reading: each checked batch is handed to ``stage`` as payloads, and
    :func:`publish_staged` writes them all in one final transaction."""

    def __init__(self, *, user, update: bool, filename: str, today: dt.date | None = None, stage=None,
                 on_batch=None):
        self.user, self.update, self.filename = user, update, filename
        self.stage, self.on_batch = stage, on_batch
        self.today = today or dt.date.today()
        self.errors: list[RowError] = []
        self.result = ImportResult()
        self.seen: dict[str, int] = {}          # citizen ID -> first row
        self.units: dict[str, list[Unit]] = {}  # code -> versions
        self.scoped = user is not None and not getattr(user, "is_unrestricted", False)

    # errors
    def error(self, n, column, message) -> None:
        self.errors.append(RowError(n, column, str(message)))

    def errors_from(self, n, exc: ValidationError, default_column: str) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = name if name in COLUMN_NAMES else (
                    "birth_date" if name == "birth_year" else default_column)
                for m in messages:
                    self.error(n, column, m)
        else:
            for m in exc.messages:
                self.error(n, default_column, m)

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    # the table
    def run(self, table: Iterable[Sequence]) -> None:
        index, header_row, it, errors = tabular.map_header(table, _COLUMNS)
        self.errors.extend(errors)
        if self.errors:
            return
        batch: list[_Row] = []
        for n, values in tabular.data_rows(it, index, header_row):
            self.result.rows += 1
            row, errors = _parse(n, values)
            self.errors.extend(errors)
            batch.append(row)
            if len(batch) >= BATCH:
                self.batch(batch)
                batch = []
                if self.on_batch is not None:
                    self.on_batch(self.result.rows)
            if self.full:
                self.error(n, "file", _("Too many errors: stopped reading at row %(n)s.") % {"n": n})
                return
        if batch:
            self.batch(batch)
        if self.on_batch is not None:
            self.on_batch(self.result.rows)
        if not self.result.rows and not self.errors:
            self.error(None, "file", _("The file holds a header but no rows."))

    # one batch
    def batch(self, rows: list[_Row]) -> None:
        ids = {r.person["citizen_id"] for r in rows if r.person.get("citizen_id")}
        existing = {c.citizen_id: c for c in Cadre.objects.filter(citizen_id__in=ids).select_related("unit",
                                                                                                     "hometown")}
        held = self._assignments([c.pk for c in existing.values()])
        self._load_units({r.position["unit_code"] for r in rows if r.position and r.position.get("unit_code")})
        self._hometowns(rows)
        new_cadres: list[Cadre] = []
        new_assignments: list[Assignment | None] = []
        for row in rows:
            cid = row.person.get("citizen_id")
            if cid:
                first = self.seen.get(cid)
                if first is not None:
                    self.error(row.n, "citizen_id", _("The citizen ID is also on row %(row)s.") % {"row": first})
                    continue
                self.seen[cid] = row.n
            if row.bad:
                continue
            current = existing.get(cid)
            if current is None:
                made = self._new(row)
                if made is not None:
                    new_cadres.append(made[0])
                    new_assignments.append(made[1])
            else:
                self._existing(row, current, held.get(current.pk, []))
        if self.errors or not new_cadres:
            return
        if self.stage is not None:
            from tinhgon.core.jobs import instance_payload

            self.stage([{"op": "new", "cadre": instance_payload(c),
                         "assignment": instance_payload(a) if a is not None else None}
                        for c, a in zip(new_cadres, new_assignments, strict=True)])
            self.result.created += len(new_cadres)
            return
        Cadre.objects.bulk_create(new_cadres)
        assignments = []
        for cadre, a in zip(new_cadres, new_assignments, strict=True):
            if a is not None:
                a.cadre_id = cadre.pk
                assignments.append(a)
        if assignments:
            Assignment.objects.bulk_create(assignments)
        self.result.created += len(new_cadres)

    def _assignments(self, cadre_ids: list[int]) -> dict[int, list[Assignment]]:
        out: dict[int, list[Assignment]] = {}
        if cadre_ids:
            for a in Assignment.objects.filter(cadre_id__in=cadre_ids).select_related("unit"):
                out.setdefault(a.cadre_id, []).append(a)
        return out

    def _load_units(self, codes: set[str]) -> None:
        missing = codes - set(self.units)
        if not missing:
            return
        for code in missing:
            self.units[code] = []
        for u in Unit.objects.filter(code__in=missing).order_by("valid_from"):
            self.units[u.code].append(u)

    def _hometowns(self, rows: list[_Row]) -> None:
        """The hometown unit codes of the batch to ids (the latest version of a code: an old
        commune keeps its code and shows what it is now through the lineage)."""
        codes = {r.person["hometown_code"] for r in rows if r.person.get("hometown_code")}
        self._load_units(codes)
        for row in rows:
            if "hometown_code" not in row.person:
                continue
            code = row.hometown_code = row.person.pop("hometown_code")
            if not code:
                row.person["hometown_id"] = None
            elif self.units.get(code):
                row.person["hometown_id"] = self.units[code][-1].pk
            else:
                self.error(row.n, "hometown_code", _("Unknown unit code %(code)s.") % {"code": code})
                row.bad = True

    def _unit(self, row: _Row) -> Unit | None:
        code, on = row.position["unit_code"], row.position["valid_from"]
        versions = self.units.get(code) or []
        if not versions:
            self.error(row.n, "unit_code", _("Unknown unit code %(code)s.") % {"code": code})
            return None
        unit = next((u for u in versions if u.is_valid_on(on)), None)
        if unit is None:
            unit = versions[-1] if on >= versions[-1].valid_from else versions[0]
        if self.scoped and not in_scope(self.user, unit.path):
            self.error(row.n, "unit_code", _("Unit %(code)s lies outside your scope.") % {"code": code})
            return None
        return unit

    def _assignment(self, row: _Row, unit: Unit) -> Assignment:
        p = row.position
        return Assignment(unit=unit, title=" ".join(p["title"].split()), valid_from=p["valid_from"],
                          kind="appointment", is_primary=True, status=Assignment.ACTIVE,
                          decision_number=p.get("decision_number", ""), decision_date=p.get("decision_date"))

    def _new(self, row: _Row) -> tuple[Cadre, Assignment | None] | None:
        cadre = Cadre(**row.person)
        ok = True
        try:
            services.cadre_validate(cadre, today=self.today, check_unique=False)
        except ValidationError as exc:
            self.errors_from(row.n, exc, "citizen_id")
            ok = False
        assignment = None
        if row.position:
            unit = self._unit(row)
            if unit is None:
                return None
            assignment = self._assignment(row, unit)
            problems = services.assignment_problems(assignment, cadre=cadre, unit=unit)
            if problems:
                self.errors_from(row.n, ValidationError(problems), "valid_from")
                return None
            cadre.unit_id, cadre.unit_path, cadre.current_title = unit.pk, unit.path, assignment.title
        elif self.scoped:
            self.error(row.n, "unit_code", _(
                "Give the current position (unit code, title, from date): the record must fall inside your scope."))
            return None
        return (cadre, assignment) if ok else None

    def _differences(self, row: _Row, cadre: Cadre, held: list[Assignment]) -> tuple[dict, bool]:
        changed = {}
        for name, value in row.person.items():
            current = getattr(cadre, name)
            if name == "full_name":
                value = " ".join(value.split())
            if name == "hometown_id" and (row.hometown_code or "") == cadre.hometown_code:
                continue  # the same code: an older version of it stays as recorded
            if name == "birth_date" and value is None and cadre.birth_date is not None \
                    and cadre.birth_year == row.person.get("birth_year"):
                continue  # the file gives only the year of a known date
            if current != value:
                changed[name] = value
        position_changed = False
        if row.position:
            p = row.position
            title = " ".join(p["title"].split())
            position_changed = not any(
                a.unit.code == p["unit_code"] and a.title == title and a.valid_from == p["valid_from"]
                for a in held)
        return changed, position_changed

    def _existing(self, row: _Row, cadre: Cadre, held: list[Assignment]) -> None:
        changed, position_changed = self._differences(row, cadre, held)
        if not changed and not position_changed:
            self.result.skipped += 1
            return
        columns = sorted({("birth_date" if c == "birth_year" else c) for c in changed}
                         | ({"unit_code", "title", "valid_from"} if position_changed else set()))
        if not self.update:
            self.error(row.n, "citizen_id", _(
                "A record with this citizen ID exists and differs in: %(columns)s. "
                "Import with the update option to change it.") % {"columns": ", ".join(columns)})
            return
        if self.user is not None and not restrict(Cadre.objects.filter(pk=cadre.pk), self.user, "change").exists():
            self.error(row.n, "citizen_id", _("The record with this citizen ID lies outside your scope."))
            return
        if self.stage is not None:
            if changed:
                probe = Cadre.objects.get(pk=cadre.pk)
                for name, value in changed.items():
                    setattr(probe, name, value)
                if "birth_date" in changed and probe.birth_date:
                    probe.birth_year = probe.birth_date.year
                try:
                    services.cadre_validate(probe, today=self.today)
                except ValidationError as exc:
                    self.errors_from(row.n, exc, "citizen_id")
                    return
            unit = self._unit(row) if position_changed else None
            if position_changed and unit is None:
                return
            p = row.position or {}
            self.stage([{"op": "update", "n": row.n, "cadre_id": cadre.pk, "lock_version": cadre.lock_version,
                         "changed": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in changed.items()},
                         "move": {"unit_id": unit.pk, "title": p["title"], "valid_from": p["valid_from"].isoformat(),
                                  "decision_number": p.get("decision_number", ""),
                                  "decision_date": p["decision_date"].isoformat() if p.get("decision_date") else None}
                         if position_changed else None}])
            self.result.updated += 1
            return
        try:
            with transaction.atomic():
                if changed:
                    cadre = services.cadre_update(cadre=cadre, **changed)
                if position_changed:
                    self._move(row, cadre)
        except ValidationError as exc:
            self.errors_from(row.n, exc, "citizen_id")
            return
        self.result.updated += 1

    def _move(self, row: _Row, cadre: Cadre) -> None:
        """A new current position: the open primary one ends where the new one starts."""
        unit = self._unit(row)
        if unit is None:
            raise ValidationError({"unit_code": []})  # already reported
        start = row.position["valid_from"]
        for a in cadre.assignments.filter(is_primary=True, valid_to__isnull=True, valid_from__lt=start):
            services.assignment_end(assignment=a, on=start)
        p = row.position
        services.assignment_create(cadre=cadre, unit=unit, title=p["title"], valid_from=start,
                                   decision_number=p.get("decision_number", ""),
                                   decision_date=p.get("decision_date"))


def cadres_import_file(*, fileobj, filename: str = "", user=None, update: bool = False,
                       today: dt.date | None = None, progress=None) -> ImportResult:
    """Import a CSV/XLSX file of cadre records; all or nothing.

    Raises :class:`CadreRowsInvalid` carrying every error by row.  With ``user``
    (the API and the web page), every position must lie in the user's scopes and
    only records inside them may be updated.  ``progress(rows)`` is called after each
    batch (a terminal's progress bar).  This writes while it reads, in one transaction:
    the background job (:mod:`tinhgon.cadres.import_job`) checks first and writes at the end.
    """
    importer = _Importer(user=user, update=update, filename=filename, today=today, on_batch=progress)
    with transaction.atomic():
        try:
            importer.run(read_table(fileobj, filename))
        except csv.Error as exc:
            importer.error(None, "file", _("The CSV file cannot be read: %(error)s") % {"error": exc})
        if importer.errors:
            transaction.set_rollback(True)
            errors = [e for e in importer.errors if e.message]
            raise CadreRowsInvalid(sorted(errors, key=lambda e: (e.row is not None, e.row or 0)))
        r = importer.result
        if not (r.created or r.updated):
            return r  # nothing changed: no event either
        audit_event(
            user=user if getattr(user, "pk", None) else None, kind="cadres.imported",
            message=_("Cadres imported from %(file)s: %(created)s new, %(updated)s changed, %(skipped)s unchanged.")
            % {"file": filename, "created": r.created, "updated": r.updated, "skipped": r.skipped},
            data={"file": filename, "created": r.created, "updated": r.updated, "skipped": r.skipped})
    return importer.result


# Files for download -------------------------------------------------------------------------

TEMPLATE_ROWS = [
    ("Nguyễn Thị Lan", "Nữ", "17/05/1990", "001190012345", "Kinh", "", "Hà Nội", "Thạc sĩ", "Luật",
     "Cao cấp", "Chuyên viên chính", "Tiếng Anh B2", "", "03/02/2015", "03/02/2016", "Chuyên viên chính", 3,
     "Dòng ví dụ: xóa trước khi nhập", "00001", "Phó Chủ tịch UBND phường", "01/07/2025", "12/QĐ-UBND",
     "25/06/2025"),
]


def template_xlsx() -> bytes:
    """An XLSX with the header (Vietnamese) and an example row."""
    from tinhgon.core.exports import workbook_bytes

    return workbook_bytes(
        "can-bo", [c.header_vi for c in COLUMNS], TEMPLATE_ROWS,
        info=[
            (_("Required columns"), ", ".join(c.header_vi for c in COLUMNS if c.name in REQUIRED)),
            (_("Dates"), "YYYY-MM-DD or dd/mm/yyyy; birth date may be a year only"),
            (_("Citizen ID"), _("12 digits; format the column as text so Excel keeps the leading zeros")),
            (_("Current position"), _("Mã đơn vị + Chức vụ + Từ ngày become an assignment")),
            (_("Documentation"), "docs/CADRES_IMPORT.md"),
        ],
    )


def errors_xlsx(errors: Iterable[RowError], filename: str = "") -> bytes:
    """The error report of a cadre file (the kit's workbook)."""
    return tabular.errors_workbook(errors, filename)


def errors_json(errors: Iterable[RowError]) -> list[dict]:
    return [e.as_dict() for e in errors]


__all__ = ["COLUMNS", "CadreRowsInvalid", "ImportResult", "REQUIRED", "cadres_import_file", "column_for",
           "errors_json", "errors_xlsx", "read_table", "template_xlsx"]
