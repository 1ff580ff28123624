from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    name = "tinhgon.emulation"
    label = "emulation"
    verbose_name = _("Good models and practices")

    def ready(self) -> None:
        from tinhgon.core.navigation import MenuItem, register

        from . import panels

        register(MenuItem(_("Good models"), "emulation:good_model_list", order=46))
        panels.register()
