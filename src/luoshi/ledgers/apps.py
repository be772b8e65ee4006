from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "luoshi.ledgers"
    verbose_name = _("ledgers")
