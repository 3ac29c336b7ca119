from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JitConfig(AppConfig):
    name = "tipnet.jit"
    verbose_name = _("Joint investigations")

    def ready(self) -> None:
        from . import link

        link.register()
