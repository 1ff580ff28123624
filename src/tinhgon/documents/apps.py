from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tinhgon.documents"
    label = "documents"
    verbose_name = _("Documents registry")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tinhgon.core.navigation import MenuItem, register

        from . import panels, reference

        post_migrate.connect(reference.on_post_migrate, dispatch_uid="tinhgon.documents.reference")
        register(MenuItem(_("Documents"), "documents:document_list", order=45))
        panels.register()
