"""The police messages in the menu and on the home page, with the unread and overdue counts."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.menu import Area, Waiting

from .access import is_officer, visible_threads
from .models import Direction
from .queries import unread_count


def areas(user) -> list[Area]:
    if not is_officer(user):
        return []
    return [
        Area(
            "cooperation",
            _("Police messages"),
            reverse("cooperation:box"),
            _("Information requests and spontaneous information with police of other nodes."),
        )
    ]


def waiting(user) -> list[Waiting]:
    if not is_officer(user):
        return []
    incoming = visible_threads(user).filter(direction=Direction.INCOMING, is_closed=False)
    unread = unread_count(user, incoming[:500])
    overdue = incoming.filter(deadline__lt=timezone.now()).exclude(
        messages__direction=Direction.OUTGOING, messages__kind="reply"
    )
    url = reverse("cooperation:box")
    found = []
    if unread:
        found.append(Waiting("coop-unread", _("Unread police messages"), unread, url))
    if overdue.exists():
        found.append(
            Waiting(
                "coop-overdue", _("Police requests past their deadline"), overdue.count(), url, True
            )
        )
    return found
