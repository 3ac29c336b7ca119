from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "tipnet.stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from . import regional

        regional.register()
