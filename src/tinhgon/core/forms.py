"""Form helpers every app's pages use: date fields with the browser's date picker, and a
service's ValidationError put next to the fields it names.

Forms only shape input; every write goes through a service, whose errors come back with
:func:`add_service_errors`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, help_text=""):
    """A date field that takes ISO dates and dd/mm/yyyy as typed by hand."""
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text,
                           input_formats=["%Y-%m-%d", "%d/%m/%Y"])


def date_widget(form: forms.Form, name: str) -> None:
    """Render a FilterSet's date field as a native date picker (ISO value)."""
    if name in form.fields:
        form.fields[name].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Put a service's ValidationError on the form: per field where the field exists."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = field_map.get(name, name)
            if target not in form.fields:
                target = None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
