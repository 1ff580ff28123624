from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApparatusConfig(AppConfig):
    name = "tinhgon.apparatus"
    label = "apparatus"
    verbose_name = _("Apparatus")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tinhgon.core.navigation import MenuItem, register

        from . import reference, rulesets  # noqa: F401  (registers the shipped rule sets)

        post_migrate.connect(reference.on_post_migrate, dispatch_uid="tinhgon.apparatus.reference")

        from tinhgon.core import successors

        from .successors import ApparatusHandler

        successors.register(ApparatusHandler())

        register(MenuItem(_("Apparatus"), "apparatus:tree", order=10))

        from . import panels

        panels.register()

        from tinhgon.core import jobs

        from .importers import run_units_import_job

        jobs.register("apparatus.import_units", run_units_import_job, label=_("Import units"))
        register(MenuItem(pgettext_lazy("menu", "Search units"), "apparatus:unit_list", order=20))
        register(MenuItem(pgettext_lazy("menu", "Payroll roadmap"), "apparatus:roadmap", order=30))
        register(MenuItem(pgettext_lazy("menu", "Functions and powers"), "apparatus:coverage", order=40))
