from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AddressesConfig(AppConfig):
    name = "tinhgon.addresses"
    label = "addresses"
    verbose_name = _("Addresses")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from tinhgon.apparatus.models import Unit
        from tinhgon.restructuring.models import Succession

        from . import index, jobs

        jobs.register()
        for model in (Unit, Succession):
            post_save.connect(index.invalidate, sender=model, dispatch_uid=f"addresses-index-{model.__name__}")
            post_delete.connect(index.invalidate, sender=model, dispatch_uid=f"addresses-index-del-{model.__name__}")
