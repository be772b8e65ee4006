from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "luoshi.jobs"
    verbose_name = _("background jobs")
