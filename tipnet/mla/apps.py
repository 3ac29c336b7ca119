from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MlaConfig(AppConfig):
    name = "tipnet.mla"
    verbose_name = _("Mutual legal assistance")

    def ready(self) -> None:
        from . import link

        link.register()
