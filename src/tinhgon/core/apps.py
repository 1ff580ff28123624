from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tinhgon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import changelog, rulesets

        post_delete.connect(changelog.on_post_delete, dispatch_uid="tinhgon.changelog.delete")
        m2m_changed.connect(changelog.on_m2m_changed, dispatch_uid="tinhgon.changelog.m2m")
        post_migrate.connect(rulesets.on_post_migrate, dispatch_uid="tinhgon.rulesets.sync")

        from . import panels

        panels.register()
