"""Forms of the party pages (shape only: the services validate and write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhgon.cadres.models import Cadre
from tinhgon.core.forms import date_field
from tinhgon.core.scoping import restrict
from tinhgon.inspection.forms import unit_of

from .models import PartyMember


class AdmitForm(forms.Form):
    organization_code = forms.CharField(label=_("Party organization (unit code)"), max_length=40)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900, max_value=2100)
    card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)
    admission_date = date_field(_("Admission date"))
    official_date = date_field(_("Official date"), required=False,
                               help_text=_("Empty while on probation (12 months after admission)."))
    citizen_id = forms.CharField(label=_("Cadre record (citizen ID)"), max_length=12, required=False,
                                 help_text=_("Links the member to the cadre's record."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_organization_code(self):
        return unit_of(self.cleaned_data["organization_code"])

    def clean_citizen_id(self):
        cid = (self.cleaned_data["citizen_id"] or "").strip()
        if not cid:
            return None
        cadre = restrict(Cadre.objects.filter(citizen_id=cid), self.user).first()
        if cadre is None:
            raise forms.ValidationError(_("No cadre in your scope has this citizen ID."))
        return cadre

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["organization"] = d.pop("organization_code")
        d["cadre"] = d.pop("citizen_id")
        d["card_number"] = d["card_number"] or ""
        return d


FIELD_MAP = {"organization": "organization_code", "cadre": "citizen_id"}


class OfficialForm(forms.Form):
    official_date = date_field(_("Official date"))


class TransferForm(forms.Form):
    organization_code = forms.CharField(label=_("To the party organization (unit code)"), max_length=40)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_organization_code(self):
        return unit_of(self.cleaned_data["organization_code"])


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=PartyMember.LEAVE_REASONS)
    on = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
