from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tinhgon.core.uploads import validate_upload_size

DIRECTIONS = [("forward", gettext_lazy("to the units of the date")),
              ("reverse", gettext_lazy("back to the old units it came from"))]


class AddressForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Address"), max_length=500, required=False,
                        widget=forms.TextInput(attrs={"placeholder": "59 nguyễn sỹ sách, p15, tân bình, tp.hcm",
                                                      "autofocus": True, "size": 60}))
    as_of = forms.DateField(label=gettext_lazy("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=DIRECTIONS, required=False)

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()


class BulkForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    column = forms.CharField(label=gettext_lazy("Address column"), max_length=200, required=False,
                             help_text=gettext_lazy("The header of the column holding the address, as in the file "
                                                       "(left empty: the column named “Địa chỉ” or “Address”)."))
    commune = forms.CharField(label=gettext_lazy("or commune column"), max_length=200, required=False)
    district = forms.CharField(label=gettext_lazy("district column"), max_length=200, required=False)
    province = forms.CharField(label=gettext_lazy("province column"), max_length=200, required=False)
    as_of = forms.DateField(label=gettext_lazy("On"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reverse = forms.BooleanField(label=gettext_lazy("New addresses back to the old units"), required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_upload_size(f)
        return f

    def clean_as_of(self):
        return self.cleaned_data.get("as_of") or timezone.localdate()

