"""The statistics area in the menu, for analysts, prosecutors and central authorities."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipnet.lib.menu import Area, Waiting

from .access import can_view


def areas(user) -> list[Area]:
    if not can_view(user):
        return []
    return [
        Area(
            "stats",
            _("Statistics"),
            reverse("stats:dashboard"),
            _("The rapporteur's tables for any period, with charts, exports and the report."),
        )
    ]


def waiting(user) -> list[Waiting]:
    return []
