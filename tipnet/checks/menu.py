"""The checks app in the menu: asking officers, hit reviewers and node admins each see it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipnet.lib.menu import Area, Waiting

from .access import can_check, is_node_admin, is_officer, visible_hits
from .models import Alert, Result


def areas(user) -> list[Area]:
    if not (can_check(user) or is_officer(user) or is_node_admin(user)):
        return []
    return [
        Area(
            "checks",
            _("Checks across borders"),
            reverse("checks:home"),
            _("Hit/no-hit checks of persons with partner nodes, with no personal data sent."),
        )
    ]


def waiting(user) -> list[Waiting]:
    found = []
    if is_officer(user):
        held = visible_hits(user).filter(incoming__result=Result.HELD).count()
        found.append(
            Waiting("checks-held", _("Hits held for your review"), held, reverse("checks:hits"))
        )
    if is_node_admin(user):
        alerts = Alert.objects.filter(is_open=True).count()
        found.append(
            Waiting(
                "checks-alerts",
                _("Alerts on other nodes' checks"),
                alerts,
                reverse("checks:alerts"),
                urgent=True,
            )
        )
    return found
