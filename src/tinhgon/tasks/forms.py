"""Forms of the task pages (shape only: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhgon.apparatus.models import Power, Term
from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.cadres.models import Cadre
from tinhgon.core.forms import date_field
from tinhgon.core.uploads import validate_upload_size

from .models import PRODUCT_TYPES, Task


def _unit(code: str, field: str):
    code = (code or "").strip()
    if not code:
        return None
    unit = unit_for_code(code, timezone.localdate()) or unit_for_code(code)
    if unit is None:
        raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code}, code="unknown_unit")
    return unit


class ProgramForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=40,
                                help_text=_("The unit whose program it is (e.g. 01 for Hà Nội)."))
    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1945, max_value=9999)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    source_symbol = forms.CharField(label=_("Source document number"), max_length=60, required=False,
                                    help_text=_("e.g. 09-NQ/TU"))
    source_issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    source_date = date_field(_("Source document date"), required=False)
    source_title = forms.CharField(label=_("Source document title"), max_length=300, required=False)
    sections = forms.CharField(label=_("Sections"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One section per line."))
    wide_fields = ("sections", "title", "source_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.select_related("body").order_by("body_code", "valid_from")
        self.fields["term"].label_from_instance = lambda t: f"{t.body.name} {t.label}"

    def clean_unit_code(self):
        return _unit(self.cleaned_data["unit_code"], "unit_code")

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["unit"] = d.pop("unit_code")
        d["sections"] = [s for s in (d.pop("sections") or "").splitlines() if s.strip()]
        return d


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, help_text=_("Clear work: what is to be done."))
    content = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    section = forms.ModelChoiceField(label=_("Section"), queryset=None, required=False)
    parent = forms.ModelChoiceField(label=_("Parent task"), queryset=None, required=False)
    lead_unit_code = forms.CharField(label=_("Lead unit (code)"), max_length=40, required=False,
                                     help_text=_("Default: the program's unit."))
    coordinating_codes = forms.CharField(label=_("Coordinating units (codes)"), required=False,
                                         help_text=_("Codes separated by commas."))
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None, required=False,
                                      help_text=_("Clear person; default: the head of the lead unit."))
    leader = forms.ModelChoiceField(label=_("Leader in charge"), queryset=None, required=False,
                                    help_text=_("Default: the head of the lead unit."))
    start = date_field(_("Start"), required=False)
    deadline = date_field(_("Deadline"), required=False)
    product_type = forms.ChoiceField(label=_("Product type"), choices=[("", "—"), *PRODUCT_TYPES], required=False)
    product_description = forms.CharField(label=_("Product description"), required=False, max_length=2000)
    authority_code = forms.CharField(label=_("Accepting authority (unit code)"), max_length=40, required=False)
    authority_power = forms.ModelChoiceField(label=_("Power it exercises"), queryset=Power.objects.all(),
                                             required=False, to_field_name="code")
    wide_fields = ("title", "content", "product_description")

    def __init__(self, *args, program, task: Task | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["section"].queryset = program.sections.all()
        parents = program.tasks.exclude(status__in=(Task.ACCEPTED, Task.CANCELLED))
        if task is not None:
            parents = parents.exclude(pk=task.pk)
        self.fields["parent"].queryset = parents.order_by("id")
        cadres = Cadre.objects.filter(unit_path__startswith=program.unit.path).order_by("full_name", "id")
        self.fields["assignee"].queryset = cadres
        self.fields["leader"].queryset = cadres
        self.fields["assignee"].label_from_instance = self.fields["leader"].label_from_instance = (
            lambda c: f"{c.full_name} — {c.unit.name if c.unit_id else ''}")
        self.fields["assignee"].queryset = cadres.select_related("unit")
        self.fields["leader"].queryset = cadres.select_related("unit")
        if task is not None and task.status != Task.DRAFT:
            self.fields["deadline"].disabled = True
            self.fields["deadline"].help_text = _("An issued task's deadline changes only through an extension.")

    def clean_lead_unit_code(self):
        return _unit(self.cleaned_data["lead_unit_code"], "lead_unit_code")

    def clean_authority_code(self):
        return _unit(self.cleaned_data["authority_code"], "authority_code")

    def clean_coordinating_codes(self):
        units = []
        for code in (self.cleaned_data["coordinating_codes"] or "").replace(";", ",").split(","):
            if code.strip():
                units.append(_unit(code, "coordinating_codes"))
        return units

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["lead_unit"] = d.pop("lead_unit_code") or self.program.unit
        d["authority_unit"] = d.pop("authority_code")
        d["coordinating_units"] = d.pop("coordinating_codes")
        return d

    @staticmethod
    def initial_of(task: Task) -> dict:
        return {
            "title": task.title, "content": task.content, "section": task.section_id, "parent": task.parent_id,
            "lead_unit_code": task.lead_unit.code,
            "coordinating_codes": ", ".join(task.coordinating_units.values_list("code", flat=True)),
            "assignee": task.assignee_id, "leader": task.leader_id, "start": task.start, "deadline": task.deadline,
            "product_type": task.product_type, "product_description": task.product_description,
            "authority_code": task.authority_unit.code if task.authority_unit_id else "",
            "authority_power": task.authority_power.code if task.authority_power_id else None,
        }


FIELD_MAP = {"lead_unit": "lead_unit_code", "authority_unit": "authority_code", "coordinating_units":
             "coordinating_codes", "missing_clears": None}


class ReportForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_upload_size])


class SubmitForm(forms.Form):
    product_note = forms.CharField(label=_("Product"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Its number and title, or a description."))
    product_file = forms.FileField(label=_("Product file"), required=False, validators=[validate_upload_size])
    wide_fields = ("product_note",)


class AcceptForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Task.GRADES, initial=Task.MET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(ReasonForm):
    to = date_field(_("New deadline"))


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), choices=[("1", _("Approve")), ("0", _("Refuse"))],
                                     coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
