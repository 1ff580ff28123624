"""Forms of the restructuring pages: the plan header, one operation (fields by kind),
the operations file, the address converter."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tinhgon.apparatus.models import Level, UnitKind
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.models import RuleSet
from tinhgon.core.uploads import validate_upload_size

from .models import Operation
from .rulesets import UNIT_STANDARD

MAX_SPLIT_TARGETS = 8
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    effective_date = forms.DateField(label=gettext_lazy("Effective date"), widget=DATE)
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=300, required=False,
                                  help_text=gettext_lazy("The resolution or decision, e.g. 202/2025/QH15."))
    standard_rule_set = forms.ChoiceField(label=gettext_lazy("Unit standard"), required=False)
    scope_code = forms.CharField(label=gettext_lazy("Scope (unit code)"), max_length=40, required=False,
                                 help_text=gettext_lazy("Empty = national (administrators only)."))
    rationale = forms.CharField(label=gettext_lazy("Rationale"), widget=forms.Textarea(attrs={"rows": 3}),
                                required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sets = RuleSet.objects.filter(kind=UNIT_STANDARD).order_by("valid_from")
        self.fields["standard_rule_set"].choices = [
            ("", _("The one in force on the effective date")), *[(r.code, r.name) for r in sets]]

    def clean(self):
        data = super().clean()
        code = (data.get("scope_code") or "").strip()
        data["scope_path"] = ""
        if code and data.get("effective_date"):
            unit = unit_for_code(code, data["effective_date"])
            if unit is None:
                self.add_error("scope_code", _("No unit has the code %(code)s.") % {"code": code})
            else:
                data["scope_path"] = unit.path
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("name", "effective_date", "legal_basis", "rationale", "standard_rule_set",
                                  "scope_path")}


def _kind_choices():
    return [("", "—"), *UnitKind.objects.order_by("level__rank", "name").values_list("code", "name")]


def _level_choices():
    return [("", "—"), *Level.objects.order_by("rank").values_list("code", "name")]


class OperationForm(forms.Form):
    """One operation. Which fields count depends on ``kind`` (see :data:`FIELDS_BY_KIND`)."""

    kind = forms.ChoiceField(label=pgettext_lazy("operation form", "Operation"), choices=Operation.KINDS)
    code = forms.CharField(label=gettext_lazy("Unit code"), max_length=40, required=False)
    sources = forms.CharField(label=gettext_lazy("Units merged (codes)"), required=False,
                              help_text=gettext_lazy("Codes separated by spaces or commas."))
    target_code = forms.CharField(label=gettext_lazy("Code of the unit formed"), max_length=40, required=False,
                                  help_text=gettext_lazy("One of the merged codes keeps its line; a new code starts one."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300, required=False)
    unit_kind = forms.ChoiceField(label=gettext_lazy("Kind of unit"), required=False)
    parent_code = forms.CharField(label=gettext_lazy("Parent unit code"), max_length=40, required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False)
    children_to = forms.ChoiceField(label=gettext_lazy("Children go to the level"), required=False)
    item = forms.CharField(label=gettext_lazy("Function or power code"), max_length=80, required=False)
    from_code = forms.CharField(label=gettext_lazy("From unit (code)"), max_length=40, required=False)
    to_code = forms.CharField(label=gettext_lazy("To unit (code)"), max_length=40, required=False)
    payroll_quota = forms.IntegerField(
        label=gettext_lazy("Planned payroll quota"), required=False, min_value=0,
        help_text=gettext_lazy("Quota of the new unit in the effective year; checked against its predecessors'."))
    FIELDS_BY_KIND = {
        Operation.CREATE: ("target_code", "name", "unit_kind", "parent_code", "level", "payroll_quota"),
        Operation.RENAME: ("code", "name", "unit_kind"),
        Operation.MOVE: ("code", "parent_code"),
        Operation.MERGE: ("sources", "target_code", "name", "unit_kind", "parent_code", "payroll_quota"),
        Operation.SPLIT: ("code",),
        Operation.DISSOLVE: ("code",),
        Operation.DISSOLVE_LEVEL: ("level", "children_to"),
        Operation.TRANSFER_FUNCTION: ("item", "from_code", "to_code"),
        Operation.TRANSFER_POWER: ("item", "from_code", "to_code"),
    }
    REQUIRED = {
        Operation.CREATE: ("target_code", "name", "unit_kind"),
        Operation.RENAME: ("code",),
        Operation.MOVE: ("code", "parent_code"),
        Operation.MERGE: ("sources", "target_code"),
        Operation.SPLIT: ("code",),
        Operation.DISSOLVE: ("code",),
        Operation.DISSOLVE_LEVEL: ("level", "children_to"),
        Operation.TRANSFER_FUNCTION: ("item", "from_code", "to_code"),
        Operation.TRANSFER_POWER: ("item", "from_code", "to_code"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_kind"].choices = _kind_choices()
        self.fields["level"].choices = self.fields["children_to"].choices = _level_choices()
        self.split_rows: list[dict] = []

    @property
    def current_kind(self) -> str:
        kind = (self.data.get("kind") if self.is_bound else self.initial.get("kind")) or Operation.MERGE
        return kind if kind in self.FIELDS_BY_KIND else Operation.MERGE

    def visible_fields_for_kind(self):
        names = self.FIELDS_BY_KIND[self.current_kind]
        return [self[n] for n in names]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        for name in self.REQUIRED[kind]:
            if not (data.get(name) or "").strip():
                self.add_error(name, _("This field is required for this operation."))
        if kind == Operation.SPLIT:
            self._clean_split()
        if kind == Operation.MERGE and data.get("sources"):
            codes = [c for c in data["sources"].replace(",", " ").replace(";", " ").split() if c]
            if not codes:
                self.add_error("sources", _("Give at least one code."))
            data["source_list"] = codes
        return data

    def _clean_split(self) -> None:
        rows, errors = [], []
        for i in range(MAX_SPLIT_TARGETS):
            code = (self.data.get(f"t{i}_code") or "").strip()
            name = (self.data.get(f"t{i}_name") or "").strip()
            kind = (self.data.get(f"t{i}_kind") or "").strip()
            share = (self.data.get(f"t{i}_share") or "").strip()
            row = {"i": i, "code": code, "name": name, "kind": kind, "share": share, "error": ""}
            if not (code or name or share):
                continue
            if not code:
                row["error"] = _("Give the code of the target.")
            try:
                value = float(share.replace(",", "."))
                if not 0 < value <= 1:
                    raise ValueError
                row["value"] = value
            except ValueError:
                row["error"] = _("The share is a number between 0 (excluded) and 1, e.g. 0.6.")
            rows.append(row)
            if row["error"]:
                errors.append(row["error"])
        self.split_rows = rows
        if len(rows) < 2:
            errors.append(_("A split needs at least two target rows."))
        elif not errors and abs(sum(r["value"] for r in rows) - 1) > 1e-6:
            errors.append(_("The shares sum to %(total)s; they must sum to 1.") % {
                "total": round(sum(r["value"] for r in rows), 6)})
        for e in dict.fromkeys(errors):
            self.add_error(None, e)

    def operation(self) -> tuple[str, dict]:
        d = self.cleaned_data
        kind = d["kind"]
        unit = {k: v for k, v in (("code", d.get("target_code", "").strip()), ("name", d.get("name", "").strip()),
                                  ("kind", d.get("unit_kind")), ("parent_code", d.get("parent_code", "").strip()),
                                  ("level", d.get("level"))) if v}
        if d.get("payroll_quota") is not None:
            unit["payroll_quota"] = d["payroll_quota"]
        if kind == Operation.CREATE:
            data = {"unit": unit}
        elif kind == Operation.RENAME:
            data = {"code": d["code"].strip(), **{k: unit[k] for k in ("name", "kind") if k in unit}}
        elif kind == Operation.MOVE:
            data = {"code": d["code"].strip(), "parent_code": d["parent_code"].strip()}
        elif kind == Operation.MERGE:
            data = {"sources": d["source_list"], "target": {k: v for k, v in unit.items() if k != "level"}}
        elif kind == Operation.SPLIT:
            data = {"source": d["code"].strip(), "targets": [
                {k: v for k, v in (("code", r["code"]), ("name", r["name"]), ("kind", r["kind"])) if v}
                | {"share": r["value"]} for r in self.split_rows]}
        elif kind == Operation.DISSOLVE:
            data = {"code": d["code"].strip()}
        elif kind == Operation.DISSOLVE_LEVEL:
            data = {"level": d["level"], "children_to": d["children_to"]}
        else:
            data = {kind.removeprefix("transfer_"): d["item"].strip(), "from": d["from_code"].strip(),
                    "to": d["to_code"].strip()}
        return kind, data


class OperationsFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload_size(f)
        return f


class ResolveForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "phường phúc xá, ba đình, hà nội",
                                                      "autofocus": True, "size": 50}))
    as_of = forms.DateField(label=gettext_lazy("On"), required=False, widget=DATE)

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()
