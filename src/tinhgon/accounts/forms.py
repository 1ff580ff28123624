from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import User
from .roles import ROLE_CHOICES


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-in attempts. Please wait %(minutes)s minutes and try again."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "login_locked", False):
                from django.conf import settings

                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"minutes": max(1, settings.TINHGON_LOGIN_WINDOW_SECONDS // 60)},
                ) from None
            raise


class UserForm(forms.Form):
    """Create or edit a user. Scopes come as unit codes: typed, or picked (one hidden input each)."""

    username = forms.CharField(
        label=_("User name"), max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. Used to sign in; cannot be changed later."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    position_title = forms.CharField(label=_("Position"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    scope_codes = forms.CharField(
        label=_("Add scopes by unit code"), required=False,
        help_text=_("Codes separated by commas or spaces, e.g. 01, 79. The user reaches each unit and everything below it."),
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        self.instance = user
        if user is not None:
            kwargs.setdefault("initial", {
                "username": user.username, "full_name": user.full_name, "email": user.email,
                "position_title": user.position_title, "role": user.role,
            })
        super().__init__(*args, **kwargs)
        if user is not None:
            del self.fields["username"]
        self.scope_units: list = []
        self.picked_units: list = []  # re-shown as chips when the form comes back with errors
        if user is not None and not self.is_bound:
            self.picked_units = [s.unit for s in user.scopes.select_related("unit", "unit__level").order_by("unit__path")]

    def raw_codes(self) -> list[str]:
        if not self.is_bound:
            return []
        return services.split_codes(self.data.getlist("scope_codes") if hasattr(self.data, "getlist")
                                    else [self.data.get("scope_codes", "")])

    def clean_scope_codes(self) -> str:
        codes = self.raw_codes()
        self.picked_units, unknown = services.scope_units_lookup(codes=codes)
        if unknown:
            try:
                services.scope_units_for_codes(codes=unknown)
            except ValidationError as exc:  # the service's message names every unknown code
                raise ValidationError(exc.message_dict["scope_codes"], code="unknown_unit") from None
        self.scope_units = self.picked_units
        return ", ".join(codes)

    def typed_codes(self) -> str:
        """What to put back in the text box: the codes that did not become a chip."""
        chips = {u.code for u in self.picked_units}
        return ", ".join(c for c in self.raw_codes() if c not in chips)


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's password change form; the write itself goes through the service."""

    def save(self, commit: bool = True):
        return services.user_password_change(user=self.user, password=self.cleaned_data["new_password1"])
