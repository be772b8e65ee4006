from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "luoshi.tasks"
    label = "tasks"
    verbose_name = _("Tasks and workflow")

    def ready(self) -> None:
        from luoshi import pgarrays

        pgarrays.register()
