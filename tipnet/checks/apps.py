from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "tipnet.checks"
    verbose_name = _("Person checks")

    def ready(self) -> None:
        from . import index, link

        link.register()
        index.connect()
