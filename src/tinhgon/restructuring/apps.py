from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RestructuringConfig(AppConfig):
    name = "tinhgon.restructuring"
    label = "restructuring"
    verbose_name = _("Restructuring")

    def ready(self) -> None:
        from tinhgon.core.navigation import MenuItem, register

        from . import rulesets  # noqa: F401  (registers the unit standards)

        register(MenuItem(pgettext_lazy("menu", "Restructuring"), "restructuring:plan_list", order=50))
        register(MenuItem(pgettext_lazy("menu", "Address converter"), "addresses:convert", order=60))

        from . import panels

        panels.register()

        from . import jobs

        jobs.register()
