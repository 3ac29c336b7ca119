from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "tipnet.cooperation"
    verbose_name = _("Police cooperation")

    def ready(self) -> None:
        from tipnet.lib import onward

        from . import access, inbound

        inbound.register()
        onward.register(access.onward_refusal)
