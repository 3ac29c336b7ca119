from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "tipnet.victims"
    verbose_name = _("Victims")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the field-key check)
