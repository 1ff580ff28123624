from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "tinhgon.assessment"
    label = "assessment"
    verbose_name = _("Assessment by results")

    def ready(self) -> None:
        from tinhgon.core.navigation import MenuItem, register

        from . import jobs, panels, rulesets  # noqa: F401 - registers the rule sets, the job and the panels

        register(MenuItem(_("Assessment"), "assessment:cycle_list", order=55))
        panels.register()
