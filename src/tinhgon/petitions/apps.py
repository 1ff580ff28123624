from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "tinhgon.petitions"
    label = "petitions"
    verbose_name = _("Citizen reception and petitions")

    def ready(self) -> None:
        from tinhgon.core import successors
        from tinhgon.core.navigation import MenuItem, register

        from . import jobs, panels, rulesets  # noqa: F401 - registers the rule sets and jobs
        from .successors import PetitionHandler

        register(MenuItem(_("Petitions"), "petitions:petition_list", order=45))
        panels.register()
        successors.register(PetitionHandler())
