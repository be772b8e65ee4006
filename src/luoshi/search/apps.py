from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "luoshi.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from luoshi.search import signals  # noqa: F401  (keeps the index current)
