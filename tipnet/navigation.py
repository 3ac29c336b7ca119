"""The areas of the node a user's roles open: one list drives the menu and the home page's cards.

Each area asks the owning app's own rule (its `access` module or role constants), so the menu
cannot offer a page that would answer 404, nor hide one the user may open.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import READER_ROLES as CASE_READER_ROLES
from tipnet.cases.access import visible_cases
from tipnet.mla.access import can_draft, is_central_authority
from tipnet.victims.access import is_analyst, is_caseworker


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    url: str
    description: str | Promise


def _cases(user) -> Area | None:
    # A user without a reader role may still hold a grant to some case of another agency.
    readers = bool(user.agency_id) and user.has_role(*CASE_READER_ROLES)
    if readers or visible_cases(user).exists():
        return Area(
            "cases",
            _("Cases"),
            reverse("cases:list"),
            _("Trafficking cases: persons, routes, stages, documents, and person search."),
        )
    return None


def _victims(user) -> Area | None:
    if is_caseworker(user):
        return Area(
            "victims",
            _("Victims"),
            reverse("victims:home"),
            _("Identification, referrals, assistance, consent and return home."),
        )
    if is_analyst(user):
        return Area(
            "victims",
            _("Victims: statistics"),
            reverse("victims:stats"),
            _("Counts of victims identified and assisted, and of hotline calls."),
        )
    return None


def _hotline(user) -> Area | None:
    if is_caseworker(user):
        return Area(
            "hotline",
            _("Hotline"),
            reverse("victims:hotline"),
            _("Calls to the hotline, their urgency and what was done."),
        )
    return None


def _mla(user) -> Area | None:
    if can_draft(user) or is_central_authority(user):
        return Area(
            "mla",
            _("Mutual legal assistance"),
            reverse("mla:register"),
            _(
                "Draft, send and track requests for legal assistance: legal basis, letters, "
                "registers and deadlines."
            ),
        )
    if user.has_role("analyst"):
        return Area(
            "mla",
            _("Mutual legal assistance"),
            reverse("mla:dashboard"),
            _("Counts and durations of requests for legal assistance."),
        )
    return None


def _directory(user) -> Area:
    return Area(
        "directory",
        _("Directory"),
        reverse("directory:index"),
        _("Agencies, contact points, networks, country guides and events across the network."),
    )


def _exchange(user) -> Area | None:
    if user.has_role("node_admin", "central_authority"):
        return Area(
            "exchange",
            _("Message log"),
            reverse("exchange:log"),
            _("Messages sent to and received from other nodes, and those refused."),
        )
    return None


def _admin(user) -> list[Area]:
    if not user.has_role("node_admin"):
        return []
    return [
        Area("users", _("Users"), reverse("accounts:users"), _("Accounts, roles and agencies.")),
        Area(
            "audit",
            _("Audit log"),
            reverse("audit:events"),
            _("Every recorded action, in a hash chain that can be verified."),
        ),
    ]


def areas(user) -> list[Area]:
    """The areas `user` may open, in menu order; empty for an anonymous user."""
    if not (user.is_authenticated and user.is_active):
        return []
    found = [_cases(user), _victims(user), _hotline(user), _mla(user), _directory(user)]
    found += [_exchange(user), *_admin(user)]
    return [a for a in found if a is not None]
