from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "tinhgon.cadres"
    label = "cadres"
    verbose_name = _("Cadres")

    def ready(self) -> None:
        from tinhgon.core.navigation import MenuItem, register

        from . import rulesets  # noqa: F401  (registers retirement and discipline rule sets)

        register(MenuItem(_("Cadres"), "cadres:cadre_list", order=35))

        from . import panels

        panels.register()

        from tinhgon.core import jobs

        from .import_job import run_import_job

        jobs.register("cadres.import", run_import_job, label=_("Import cadres"))

        from .export_job import KIND, run_export_job

        jobs.register(KIND, run_export_job, label=_("Export cadres"))

        from tinhgon.core import successors

        from .successors import CadreHandler

        successors.register(CadreHandler())
