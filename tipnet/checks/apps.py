from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "tipnet.checks"
    verbose_name = _("Person checks")

    def ready(self) -> None:
        from tipnet.cases.network import register_external

        from . import index, link, network

        link.register()
        index.connect()
        register_external(network.hit_nodes)
