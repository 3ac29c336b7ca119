"""The jit app in the menu: the investigations area, and the proposals waiting for a signature."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipnet.lib.menu import Area, Waiting

from .access import can_propose, can_sign, visible_agreements
from .enums import State


def areas(user) -> list[Area]:
    if not can_propose(user):
        return []
    return [
        Area(
            "jit",
            _("Joint investigations"),
            reverse("jit:list"),
            _("Investigations with other countries: agreement, workspace, the whole chain."),
        )
    ]


def waiting(user) -> list[Waiting]:
    if not can_sign(user):
        return []
    unsigned = visible_agreements(user).filter(state__in=[State.PROPOSED, State.AMENDED])
    count = sum(
        1
        for a in unsigned
        if not a.signatures.filter(node=settings.TIPNET_NODE_ID, version=a.version).exists()
    )
    if not count:
        return []
    return [Waiting("jit-sign", _("Agreements to sign"), count, reverse("jit:list"))]
