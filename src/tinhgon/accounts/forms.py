from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
