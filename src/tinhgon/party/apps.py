from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "tinhgon.party"
    label = "party"
    verbose_name = _("Party organizations and members")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tinhgon.core import successors
        from tinhgon.core.navigation import MenuItem, register

        from . import panels, reference
        from .successors import PartyMemberHandler

        post_migrate.connect(reference.on_post_migrate, dispatch_uid="tinhgon.party.reference")
        register(MenuItem(_("Party members"), "party:organization_list", order=52))
        panels.register()
        successors.register(PartyMemberHandler())
