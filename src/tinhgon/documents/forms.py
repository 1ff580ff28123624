"""Forms of the document pages (shape only: the services validate and write)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhgon.apparatus.selectors import unit_for_code
from tinhgon.core.forms import date_field
from tinhgon.core.uploads import validate_upload_size

from .models import Document, DocumentType

# Extension → the leading bytes such a file starts with (a renamed executable is refused).
ATTACHMENT_KINDS = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",), ".xlsx": (b"PK\x03\x04",), ".odt": (b"PK\x03\x04",), ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",), ".xls": (b"\xd0\xcf\x11\xe0",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG",),
}


def validate_attachment(upload) -> None:
    """A scanned or electronic document: PDF, Word, Excel, OpenDocument, JPEG or PNG, within the upload limit."""
    validate_upload_size(upload)
    ext = Path(upload.name or "").suffix.lower()
    heads = ATTACHMENT_KINDS.get(ext)
    if heads is None:
        raise ValidationError(_("Attach a PDF, Word, Excel, OpenDocument, JPEG or PNG file."), code="file_type")
    pos = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(8)
    upload.seek(pos)
    if not any(head.startswith(h) for h in heads):
        raise ValidationError(_("The file's content is not a %(ext)s file.") % {"ext": ext.lstrip(".").upper()},
                              code="file_content")


def unit_from_code(code: str):
    code = (code or "").strip()
    unit = unit_for_code(code, timezone.localdate()) or unit_for_code(code) if code else None
    if unit is None:
        raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code}, code="unknown_unit")
    return unit


def _types_field(system_hint: str = ""):
    f = forms.ModelChoiceField(label=_("Type"), queryset=DocumentType.objects.all())
    f.label_from_instance = lambda t: f"{t.name} ({t.abbreviation or '—'}) · {t.get_system_display()}"
    return f


class RegisterForm(forms.Form):
    doc_type = _types_field()
    unit_code = forms.CharField(label=_("Issuing body (code)"), max_length=40,
                                help_text=_("The party committee or agency issuing the document."))
    issued_on = date_field(_("Date"))
    number = forms.IntegerField(label=pgettext_lazy("document", "Number"), required=False, min_value=1, max_value=999_999,
                                help_text=_("Empty: the proposed number."))
    number_reason = forms.CharField(label=_("Reason for the number"), max_length=500, required=False,
                                    help_text=_("Required when the number repeats or skips one."))
    issuer_symbol = forms.CharField(label=_("Issuer symbol"), max_length=30, required=False,
                                    help_text=_("Empty: the configured one (TU, HU, ĐU, UBND…)."))
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=500)
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_attachment],
                                 help_text=_("PDF, Word, Excel, OpenDocument, JPEG or PNG."))
    replaces = forms.CharField(label=_("Replaces (number and symbol)"), max_length=200, required=False,
                               help_text=_("Earlier documents it replaces, separated by commas."))
    amends = forms.CharField(label=_("Amends (number and symbol)"), max_length=200, required=False)

    def clean_unit_code(self):
        return unit_from_code(self.cleaned_data["unit_code"])


class ReceiveForm(forms.Form):
    doc_type = _types_field()
    unit_code = forms.CharField(label=_("Receiving body (code)"), max_length=40)
    symbol = forms.CharField(label=_("Number and symbol"), max_length=80, help_text=_("As written, e.g. 127-KL/TW."))
    issuer_name = forms.CharField(label=_("Issuer"), max_length=200, help_text=_("e.g. Ban Chấp hành Trung ương"))
    issued_on = date_field(_("Date"))
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=500)
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment"), required=False, validators=[validate_attachment])

    def clean_unit_code(self):
        return unit_from_code(self.cleaned_data["unit_code"])


class EditForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=500)
    signer = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label=_("Replace the attachment"), required=False, validators=[validate_attachment])


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Validity"), choices=Document.STATUSES)
    on = date_field(_("Since"), required=False)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(choices=[("plan", "plan"), ("program", "program"), ("task", "task"),
                                      ("assignment", "assignment"), ("discipline", "discipline")],
                             widget=forms.HiddenInput)
    record = forms.IntegerField(label=_("Record"), min_value=1, max_value=2**63 - 1)


class RelateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=[("replaces", _("Replaces")), ("amends", _("Amends"))])
    target = forms.CharField(label=_("Earlier document (number and symbol)"), max_length=80)


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["code", "system", "name", "name_en", "abbreviation", "symbol_pattern", "sequence_group",
                  "valid_from", "valid_to", "legal_basis", "order"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CountsForm(forms.Form):
    unit = forms.CharField(label=_("Body or territory (code)"), max_length=40, required=False)
    start = date_field(_("From"), required=False)
    end = date_field(_("Until"), required=False)
