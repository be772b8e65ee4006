from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "luoshi.desk"
    label = "desk"
    verbose_name = _("Review desk and routing")
