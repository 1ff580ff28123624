from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tinhgon.tasks"
    label = "tasks"
    verbose_name = _("Work programs and tasks")

    def ready(self) -> None:
        from tinhgon.core import successors
        from tinhgon.core.navigation import MenuItem, register

        from . import panels
        from .successors import TaskHandler

        register(MenuItem(_("Tasks"), "tasks:my_work", order=40))
        panels.register()
        successors.register(TaskHandler())
