from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "tipnet.exchange"
    verbose_name = _("Exchange")

    def ready(self):
        from . import mla_link, victims_link

        mla_link.connect()
        victims_link.connect()
