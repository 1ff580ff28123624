"""Forms of the cadre pages. They only shape input: every write goes through
:mod:`tinhgon.cadres.services`, whose ValidationErrors are shown next to the
fields (``add_service_errors``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.apparatus.models import Unit
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.forms import DateInput, add_service_errors, date_field
from tinhgon.core.scoping import CHANGE, VIEW, in_scope, restrict

from .models import (
    EDUCATION_LEVELS,
    POLITICAL_THEORY,
    SEXES,
    STATE_MANAGEMENT,
    Assignment,
    Discipline,
    PoolReview,
    Training,
)

__all__ = [
    "AssignmentEndForm", "AssignmentForm", "CadreForm", "CommendationForm", "DisciplineForm",
    "PoolEntryForm", "PoolReviewForm", "RetiringForm", "SavedSearchForm", "TrainingForm", "add_service_errors",
]

def scoped_unit(user, code: str, on: dt.date | None = None, action: str = VIEW) -> Unit | None:
    """The version of unit ``code`` valid on ``on`` (else its latest) that ``user`` may reach."""
    code = (code or "").strip()
    if not code:
        return None
    unit = unit_for_code(code, on, queryset=restrict(Unit.objects.all(), user, action))
    return unit if unit is not None and in_scope(user, unit.path) else None


# Search ---------------------------------------------------------------------------------------

class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=120)


class RetiringForm(forms.Form):
    months = forms.IntegerField(label=_("Within the next (months)"), min_value=1, max_value=120, initial=12,
                                required=False)
    within = forms.CharField(label=_("Inside unit (code)"), required=False, max_length=40,
                             widget=forms.TextInput(attrs={"placeholder": _("e.g. 01"), "size": 8}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.unit: Unit | None = None

    def clean_months(self):
        return self.cleaned_data.get("months") or 12

    def clean_within(self):
        code = (self.cleaned_data.get("within") or "").strip()
        if code:
            self.unit = scoped_unit(self.user, code, dt.date.today())
            if self.unit is None:
                raise forms.ValidationError(_("No unit with code %(code)s inside your scopes.") % {"code": code})
        return code


# The person ----------------------------------------------------------------------------------

PERSONAL_FIELDS = ("citizen_id", "birth_date")


class CadreForm(forms.Form):
    """Create or edit a person record. Without the right to see personal data, the citizen ID
    and birth date are not offered on an edit (they would be shown unmasked)."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEXES)
    birth_date = date_field(_("Birth date"), required=False,
                            help_text=_("Leave empty when only the birth year is known."))
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900, max_value=2100,
                                    help_text=_("Taken from the birth date when one is given."))
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=12, min_length=12,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                                 help_text=_("12 digits (căn cước công dân)."))
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=50, required=False, initial="Kinh")
    religion = forms.CharField(label=_("Religion"), max_length=50, required=False)
    hometown_code = forms.CharField(
        label=_("Hometown unit (code)"), max_length=40, required=False,
        help_text=_("Code of the commune, district or province, an old one included: the profile shows what "
                    "it is now."))
    hometown_text = forms.CharField(label=_("Hometown (as written)"), max_length=200, required=False)
    education_level = forms.TypedChoiceField(label=_("Education"), choices=EDUCATION_LEVELS, coerce=int, initial=4)
    education_field = forms.CharField(label=_("Field of study"), max_length=150, required=False)
    political_theory = forms.TypedChoiceField(label=_("Political theory"), choices=POLITICAL_THEORY, coerce=int,
                                              initial=0)
    state_management = forms.TypedChoiceField(label=_("State management"), choices=STATE_MANAGEMENT, coerce=int,
                                              initial=0)
    foreign_language = forms.CharField(label=_("Foreign language"), max_length=100, required=False)
    it_certificate = forms.CharField(label=_("IT certificate"), max_length=100, required=False)
    party_admission_date = date_field(_("Party admission"), required=False)
    party_official_date = date_field(_("Party official membership"), required=False)
    civil_service_rank = forms.CharField(label=_("Civil-service rank (ngạch)"), max_length=60, required=False)
    salary_step = forms.IntegerField(label=_("Salary step"), required=False, min_value=1, max_value=16)
    policy_salary = forms.IntegerField(
        label=_("Monthly salary for policies (VND)"), required=False, min_value=0, max_value=10_000_000_000,
        help_text=_("Grade/step or position salary plus the allowances Decree 178/2024 counts; empty when unknown "
                    "(the policy estimates then say it is missing)."))
    insured_months = forms.IntegerField(label=_("Compulsory social insurance (months)"), required=False,
                                        min_value=0, max_value=720)
    retirement_adjust_months = forms.IntegerField(
        label=_("Retirement adjustment (months)"), initial=0, min_value=-60, max_value=60, required=False,
        help_text=_("Negative for a reduced age (arduous work, remote areas), positive for an extended one."))
    retirement_adjust_basis = forms.CharField(label=_("Legal basis of the adjustment"), max_length=300,
                                              required=False)
    wide_fields = ("retirement_adjust_basis",)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Required on every edit, as in the API: without it a stale page would silently overwrite.
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages={
        key: _("This form does not say which version of the record it was opened on. Reload the record and "
               "apply your changes again.") for key in ("required", "invalid", "min_value")})

    def __init__(self, *args, personal: bool = True, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not personal and not creating:
            for name in PERSONAL_FIELDS:
                del self.fields[name]
        if creating:
            del self.fields["lock_version"]

    def clean_hometown_code(self):
        code = (self.cleaned_data.get("hometown_code") or "").strip()
        if not code:
            return None
        unit = unit_for_code(code)  # an old code keeps its last version
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return unit

    def clean_citizen_id(self):
        value = (self.cleaned_data.get("citizen_id") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("A citizen ID has exactly 12 digits."))
        return value

    def clean(self):
        d = super().clean()
        if "birth_date" in self.fields and not d.get("birth_date") and not d.get("birth_year") \
                and not self.has_error("birth_date"):
            self.add_error("birth_year", _("Give the birth date or at least the birth year."))
        return d

    def service_fields(self) -> dict:
        d = {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}
        if "hometown_code" in d:
            unit = d.pop("hometown_code")
            d["hometown_id"] = unit.pk if unit else None
        for key, value in d.items():
            if isinstance(value, str):
                d[key] = value.strip()
        d["retirement_adjust_months"] = d.get("retirement_adjust_months") or 0
        if d.get("birth_date"):
            d["birth_year"] = d["birth_date"].year
        elif d.get("birth_year") is None:
            d.pop("birth_year", None)
        return d


class FirstPositionForm(forms.Form):
    """The position a new record starts in (needed to place it inside the user's scopes)."""

    unit_code = forms.CharField(label=_("Unit (code)"), max_length=40, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    valid_from = date_field(_("Since"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="first", **kwargs)
        self.user = user
        self.unit: Unit | None = None
        self.required = not getattr(user, "is_unrestricted", False)
        if self.required:
            for f in self.fields.values():
                f.required = True

    def clean(self):
        d = super().clean()
        code = (d.get("unit_code") or "").strip()
        if any(d.get(k) for k in ("unit_code", "title", "valid_from")):
            for k in ("unit_code", "title", "valid_from"):
                if not d.get(k) and not self.has_error(k):
                    self.add_error(k, _("This field is required."))
        if code and d.get("valid_from"):
            self.unit = scoped_unit(self.user, code, d["valid_from"], CHANGE)
            if self.unit is None:
                self.add_error("unit_code", _("No unit with code %(code)s inside your scopes.") % {"code": code})
        return d

    @property
    def given(self) -> bool:
        return bool(self.unit and self.cleaned_data.get("title"))


# Sections of the profile ---------------------------------------------------------------------

class AssignmentForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit (code)"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of assignment"), choices=Assignment.KINDS[:7], initial="appointment")
    valid_from = date_field(pgettext_lazy("date", "From"))
    valid_to = date_field(_("Until (first day no longer held)"), required=False)
    is_primary = forms.BooleanField(label=_("Primary position"), required=False, initial=True)
    pending = forms.BooleanField(label=_("Pending placement"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = date_field(_("Decision date"), required=False)
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    planned_return = date_field(_("Planned return (rotation)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="assignment", **kwargs)
        self.user = user

    def clean(self):
        d = super().clean()
        code = (d.get("unit_code") or "").strip()
        if code:
            d["unit"] = scoped_unit(self.user, code, d.get("valid_from"), CHANGE)
            if d["unit"] is None:
                self.add_error("unit_code", _("No unit with code %(code)s inside your scopes.") % {"code": code})
        return d

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {"unit": d["unit"], "title": d["title"].strip(), "kind": d["kind"], "valid_from": d["valid_from"],
                "valid_to": d.get("valid_to"), "is_primary": d.get("is_primary", False),
                "status": Assignment.PENDING if d.get("pending") else Assignment.ACTIVE,
                "decision_number": d.get("decision_number", "").strip(), "decision_date": d.get("decision_date"),
                "decision_issuer": d.get("decision_issuer", "").strip(), "planned_return": d.get("planned_return")}


class AssignmentEndForm(forms.Form):
    on = date_field(_("End date"), help_text=_("The first day on which the position is no longer held."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "end")
        super().__init__(*args, **kwargs)


class PoolEntryForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit (code)"), max_length=40)
    title = forms.CharField(label=_("Title planned for"), max_length=200)
    term = forms.CharField(label=_("Term"), max_length=20, widget=forms.TextInput(attrs={"placeholder": "2026-2031"}))
    added_on = date_field(_("Added on"))
    decision = forms.CharField(label=_("Decision"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="pool", **kwargs)
        self.user = user

    def clean(self):
        d = super().clean()
        code = (d.get("unit_code") or "").strip()
        if code:
            d["unit"] = scoped_unit(self.user, code, d.get("added_on"), CHANGE)
            if d["unit"] is None:
                self.add_error("unit_code", _("No unit with code %(code)s inside your scopes.") % {"code": code})
        return d

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {"unit": d["unit"], "title": d["title"], "term": d["term"].strip(), "added_on": d["added_on"],
                "decision": d.get("decision", "").strip(), "note": d.get("note", "").strip()}


class PoolReviewForm(forms.Form):
    date = date_field(_("Date"))
    result = forms.ChoiceField(label=_("Result"), choices=PoolReview._meta.get_field("result").choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "review")
        super().__init__(*args, **kwargs)


class TrainingForm(forms.Form):
    program = forms.CharField(label=_("Program"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of training"), choices=Training.KINDS, initial="professional")
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    start = date_field(pgettext_lazy("training", "Start"))
    end = date_field(pgettext_lazy("training", "End"), required=False)
    result = forms.CharField(label=_("Result"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="training", **kwargs)


class CommendationForm(forms.Form):
    title = forms.CharField(label=_("Commendation"), max_length=200)
    level = forms.CharField(label=_("Level"), max_length=100, required=False)
    decision = forms.CharField(label=_("Decision"), max_length=120, required=False)
    date = date_field(_("Date"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="commendation", **kwargs)


class DisciplineForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Discipline.MEASURES)
    body = forms.ChoiceField(label=pgettext_lazy("discipline", "By"), choices=Discipline.BODIES, initial="party")
    act_date = date_field(_("Date of the violation"), required=False)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decision_date = date_field(_("Decision date"))
    effective_date = date_field(_("Effective date"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, prefix="discipline", **kwargs)


__all__ += ["DateInput", "FirstPositionForm", "scoped_unit"]
