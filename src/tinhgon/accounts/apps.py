from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tinhgon.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from tinhgon.core import successors
        from tinhgon.core.navigation import MenuItem, register

        from .successors import UserScopeHandler

        successors.register(UserScopeHandler())

        register(MenuItem(_("Users"), "accounts:user_list", order=900, admin_only=True))
        register(MenuItem(_("My account"), "accounts:me", order=1000))
