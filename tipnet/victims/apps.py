from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "tipnet.victims"
    verbose_name = _("Victims")

    def ready(self) -> None:
        # Importing checks registers the field-key check.
        from . import checks, link  # noqa: F401

        link.register()
