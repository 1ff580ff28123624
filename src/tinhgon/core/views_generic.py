"""Generic pages every app's create / edit / delete-confirmation views are made of.

Each view checks the role and the scope itself, then hands a form and one service call
to these helpers: the service's ValidationError lands next to the fields (answered 400,
nothing changed), success redirects with a message (POST → redirect → GET).

    def position_edit(request, pk):
        position = ...  # restricted for "change": 404 outside the scope
        form = PositionForm(request.POST or None, initial=...)
        return service_form(request, form, lambda d: services.position_update(position=position, **d),
                            done=lambda p: _("Position %(title)s changed.") % {"title": p.title},
                            then=lambda p: reverse("apparatus:position", args=[p.pk]),
                            title=_("Change position"), cancel=reverse(...))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, pgettext_lazy

from .forms import add_service_errors

SAVE = pgettext_lazy("button", "Save")


def run_service(form: forms.Form, call: Callable[[], Any], field_map: dict | None = None):
    """Call a service; on a ValidationError put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc, field_map)
        return None


def form_page(request, form: forms.Form, *, title, cancel: str, submit=SAVE, intro="", danger: bool = False,
              template: str = "core/form.html", **context):
    """The page of one form: 400 when a bound form has errors (bad input changes nothing)."""
    return render(request, template, {
        "form": form, "title": title, "submit": submit, "intro": intro, "danger": danger, "cancel": cancel,
        **context,
    }, status=400 if form.is_bound and form.errors else 200)


def service_form(request, form: forms.Form, call: Callable[[dict], Any], *, done: Callable[[Any], str],
                 then: Callable[[Any], str], title, cancel: str, field_map: dict | None = None, **page):
    """GET shows ``form``; a valid POST calls ``call(cleaned_data)`` and goes to ``then(result)``."""
    if request.method == "POST" and form.is_valid():
        result = run_service(form, lambda: call(form.cleaned_data), field_map)
        if result is not None:
            messages.success(request, done(result))
            return redirect(then(result))
    return form_page(request, form, title=title, cancel=cancel, **page)


def confirm_delete(request, delete: Callable[[], Any], *, done: str, then: str, title, cancel: str, intro="",
                   **page):
    """A confirmation page whose POST calls ``delete``: a refusal shows on the page and changes
    nothing; success goes to ``then`` saying ``done``."""
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and run_service(form, lambda: delete() or True):
        messages.success(request, done)
        return redirect(then)
    return form_page(request, form, title=title, danger=True, submit=gettext_lazy("Delete"), cancel=cancel,
                     intro=intro, **page)
