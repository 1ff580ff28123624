"""The portrait on the profile and the deletion of a record entered by mistake.

The portrait is personal data: the profile embeds it (inline, so that the one logged
view of the record is the only access) for users who may see personal data; others see
a placeholder. Users who may change the record upload or remove it. Deleting asks for
a reason and is refused for a record with a history unless the user is an administrator.
"""

from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tinhgon.core.scoping import CHANGE

from .. import services
from ..photos import CONTENT_TYPE
from .common import cadre_or_404


def photo_data_uri(cadre) -> str | None:
    """The stored portrait as a data: URI (None when there is none or the file is gone)."""
    if not cadre.photo:
        return None
    try:
        with cadre.photo.open("rb") as f:
            data = f.read()
    except OSError:
        return None
    return f"data:{CONTENT_TYPE};base64,{base64.b64encode(data).decode('ascii')}"


class PhotoForm(forms.Form):
    photo = forms.FileField(label=gettext_lazy("Photo"), help_text=gettext_lazy("JPEG, PNG or WebP, at most 5 MiB."),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class DeleteForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("e.g. a duplicate of another record, entered by mistake"),
                             error_messages={"required": gettext_lazy("Give the reason for deleting the record.")})


@login_required
@require_POST
def photo_upload(request, pk: int):
    cadre = cadre_or_404(request.user, pk, CHANGE)
    form = PhotoForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["photo"])
        services.cadre_photo_set(cadre=cadre, fileobj=form.cleaned_data["photo"])
    except ValidationError as exc:
        errors = exc.message_dict.get("photo", exc.messages) if hasattr(exc, "error_dict") else exc.messages
        messages.error(request, _("The photo was not saved: %(errors)s") % {"errors": " ".join(errors)})
    else:
        messages.success(request, _("Photo saved."))
    return redirect("cadres:cadre", pk=cadre.pk)


@login_required
@require_POST
def photo_remove(request, pk: int):
    cadre = cadre_or_404(request.user, pk, CHANGE)
    services.cadre_photo_remove(cadre=cadre)
    messages.success(request, _("Photo removed."))
    return redirect("cadres:cadre", pk=cadre.pk)


@login_required
def cadre_delete(request, pk: int):
    cadre = cadre_or_404(request.user, pk, CHANGE)
    history = services.cadre_history_count(cadre)
    allowed = not history or request.user.may("administer")
    form = DeleteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            name = cadre.full_name
            try:
                services.cadre_delete(cadre=cadre, user=request.user, reason=form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("The record of %(name)s was deleted.") % {"name": name})
                return redirect("cadres:cadre_list")
        status = 400
    return render(request, "cadres/cadre_delete.html", {"cadre": cadre, "form": form, "history": history,
                                                        "allowed": allowed}, status=status)


@login_required
@require_POST
def cadre_link_user(request, pk: int):
    """Link the record to a user account by user name (empty: unlink); administrators only."""
    from django.contrib.auth import get_user_model
    from django.http import Http404

    if not request.user.may("administer"):
        raise Http404
    cadre = cadre_or_404(request.user, pk, CHANGE)
    username = (request.POST.get("username") or "").strip()
    account = None
    if username:
        account = get_user_model().objects.filter(username=username, is_active=True).first()
        if account is None:
            messages.error(request, _("No active user is named %(name)s.") % {"name": username})
            return redirect("cadres:cadre", pk=cadre.pk)
    try:
        services.cadre_link_user(cadre=cadre, user=account, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Linked to the account %(name)s.") % {"name": username} if account
                         else _("The record is linked to no account now."))
    return redirect("cadres:cadre", pk=cadre.pk)
