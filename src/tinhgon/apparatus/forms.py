"""Forms of the apparatus pages. They only shape input: every write goes through
:mod:`tinhgon.apparatus.services`, whose ValidationErrors are shown next to the
fields (see :func:`add_service_errors`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhgon.core.forms import date_field

from .models import Function, FunctionHolding, PayrollQuota, Power, UnitKind


def kind_field(required=True):
    return forms.ModelChoiceField(
        label=_("Kind"), queryset=UnitKind.objects.select_related("level").order_by("level__rank", "name"),
        to_field_name="code", required=required,
    )


class UnitCreateForm(forms.Form):
    parent_code = forms.CharField(label=_("Parent unit code"), max_length=40, required=False,
                                  help_text=_("Empty for a top-level unit."))
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=200, required=False)
    kind = kind_field()
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid until (first day no longer valid)"), required=False,
                          help_text=_("Leave empty when the unit has no planned end."))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    area_km2 = forms.FloatField(label=_("Area (km²)"), required=False)
    population = forms.IntegerField(label=_("Population"), required=False)
    source = forms.CharField(label=_("Source"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["kind"] = d["kind"].code
        for key in ("parent_code", "code", "name", "short_name", "source", "note"):
            d[key] = (d.get(key) or "").strip()
        return d


class UnitChangeForm(forms.Form):
    on = date_field(_("Change date"), help_text=_("The day the new version starts."))
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=200, required=False)
    kind = kind_field()
    parent_code = forms.CharField(label=_("Parent unit code"), max_length=40, required=False,
                                  help_text=_("Change it to move the unit (and all units below it)."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnitEndForm(forms.Form):
    on = date_field(_("End date"), help_text=_("The first day on which the unit no longer exists."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    count = forms.IntegerField(label=_("Seats"), initial=1)
    is_leadership = forms.BooleanField(label=_("Leadership position"), required=False)
    order = forms.IntegerField(label=_("Order"), initial=100, min_value=0)


class PayrollQuotaForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    category = forms.ChoiceField(label=_("Category"), choices=PayrollQuota.CATEGORIES)
    quota = forms.IntegerField(label=_("Quota"))
    decision = forms.CharField(label=_("Decision"), max_length=200, required=False)


class FunctionHoldingForm(forms.Form):
    function = forms.ModelChoiceField(label=_("Function"), queryset=Function.objects.all(), to_field_name="code")
    role = forms.ChoiceField(label=_("Role"), choices=FunctionHolding.ROLES)
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid until (first day no longer valid)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PowerHoldingForm(forms.Form):
    power = forms.ModelChoiceField(label=_("Power"), queryset=Power.objects.all(), to_field_name="code")
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid until (first day no longer valid)"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class FunctionForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    required_in_kinds = forms.ModelMultipleChoiceField(
        label=_("Required in unit kinds"), queryset=UnitKind.objects.all(), to_field_name="code", required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class PowerForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("English name"), max_length=300, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    function = forms.ModelChoiceField(label=_("Function"), queryset=Function.objects.all(), to_field_name="code",
                                      required=False)
    required_in_kinds = forms.ModelMultipleChoiceField(
        label=_("Required in unit kinds"), queryset=UnitKind.objects.all(), to_field_name="code", required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
