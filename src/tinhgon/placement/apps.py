from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementConfig(AppConfig):
    name = "tinhgon.placement"
    label = "placement"
    verbose_name = _("Placement after restructuring")

    def ready(self) -> None:
        from tinhgon.core.navigation import MenuItem, register

        from . import jobs, rulesets  # noqa: F401 - registers the rule sets

        jobs.register()
        register(MenuItem(_("Placement"), "placement:round_list", order=37))
