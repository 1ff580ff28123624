from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "tinhgon.inspection"
    label = "inspection"
    verbose_name = _("Inspection, supervision and discipline")

    def ready(self) -> None:
        from tinhgon.core import successors
        from tinhgon.core.navigation import MenuItem, register

        from . import panels, rulesets  # noqa: F401 - registers the rule sets
        from .successors import InspectionHandler

        register(MenuItem(_("Inspection and supervision"), "inspection:supervision", order=50))
        panels.register()
        successors.register(InspectionHandler())
