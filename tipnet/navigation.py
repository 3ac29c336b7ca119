"""The areas of the node a user's roles open: one list drives the menu and the home page's cards.

Each area asks the owning app's own rule (its `access` module or role constants), so the menu
cannot offer a page that would answer 404, nor hide one the user may open.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import READER_ROLES as CASE_READER_ROLES
from tipnet.cases.access import visible_cases
from tipnet.lib.menu import Area, Waiting
from tipnet.mla.access import can_draft, is_central_authority
from tipnet.victims.access import is_analyst, is_caseworker

# The apps that add their own areas and waiting items (a `menu` module with `areas(user)` and
# optionally `waiting(user)`), in menu order; they come after the directory.
APP_MENUS = (
    "tipnet.cooperation.menu",
    "tipnet.jit.menu",
    "tipnet.checks.menu",
    "tipnet.stats.menu",
)


def _menus() -> list[ModuleType]:
    return [import_module(name) for name in APP_MENUS if find_spec(name) is not None]


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
    for menu in _menus():
        found += menu.areas(user)
    found += [_exchange(user), *_admin(user)]
    return [a for a in found if a is not None]


def waiting(user) -> list[Waiting]:
    """What waits for `user` in the apps that say so (items with a count of zero left out)."""
    if not (user.is_authenticated and user.is_active):
        return []
    found: list[Waiting] = []
    for menu in _menus():
        if hasattr(menu, "waiting"):
            found += menu.waiting(user)
    return [w for w in found if w.count]
