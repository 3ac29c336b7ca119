"""The areas of the node a user's roles open: one list drives the menu and the home page's cards.

Each area asks the owning app's own rule (its `access` module or role constants), so the menu
cannot offer a page that would answer 404, nor hide one the user may open.
"""

from datetime import timedelta
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import READER_ROLES as CASE_READER_ROLES
from tipnet.cases.access import visible_cases
from tipnet.exchange.access import can_see_log, problem_count
from tipnet.lib.menu import Area, Waiting
from tipnet.middleware import MENU_STAMP
from tipnet.mla.access import can_draft, is_central_authority, visible_requests
from tipnet.mla.deadlines import OPEN_STATES, Due, clocks_of, policy_days
from tipnet.mla.enums import Direction, State
from tipnet.victims.access import (
    access_hotline,
    access_incoming_hand_overs,
    access_incoming_referrals,
    access_victims,
    is_analyst,
    is_caseworker,
)
from tipnet.victims.models import FollowUp, ReferralStatus, Urgency

# The apps that add their own areas and waiting items (a `menu` module with `areas(user)` and
# optionally `waiting(user)`), in menu order; they come after the directory.
APP_MENUS = (
    "tipnet.cases.menu",
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


def mla_clocks(user) -> list[Due]:
    """The running clocks of the requests `user` may open (read once per request and user)."""
    cached = getattr(user, "_tipnet_mla_clocks", None)
    if cached is None:
        cache: dict[str, dict[str, int]] = {}
        cached = []
        for req in visible_requests(user).filter(state__in=OPEN_STATES):
            if req.legal_basis not in cache:
                cache[req.legal_basis] = policy_days(req.legal_basis)
            days = cache[req.legal_basis]
            cached += clocks_of(req, days)
        user._tipnet_mla_clocks = cached
    return cached


def _mla_waiting(user) -> list[Waiting]:
    ca, drafter = is_central_authority(user), can_draft(user)
    if not (ca or drafter):
        return []
    register = reverse("mla:register")
    out = Q(direction=Direction.OUTGOING)
    counts = visible_requests(user).aggregate(
        incoming=Count("pk", filter=Q(direction=Direction.INCOMING, state=State.SUBMITTED)),
        asked=Count("pk", filter=out & Q(state=State.INFO_REQUESTED)),
        returned=Count("pk", filter=out & Q(state=State.RETURNED)),
    )
    today = timezone.localdate()
    late = sum(1 for due in mla_clocks(user) if due.due_on < today)
    found = [
        Waiting(
            "mla:questions",
            _("Questions from requested states"),
            counts["asked"],
            f"{register}?direction=outgoing&state=info_requested",
            True,
        ),
        Waiting(
            "mla:returned",
            _("Requests returned as deficient"),
            counts["returned"],
            f"{register}?direction=outgoing&state=returned",
        ),
        Waiting(
            "mla:overdue", _("Overdue clocks of requests"), late, reverse("mla:dashboard"), True
        ),
    ]
    if ca:
        incoming = Waiting(
            "mla:incoming",
            _("Incoming requests to acknowledge"),
            counts["incoming"],
            f"{register}?direction=incoming&state=submitted",
            True,
        )
        found.insert(0, incoming)
    return found


def _victims_waiting(user) -> list[Waiting]:
    if not is_caseworker(user):
        return []
    home = reverse("victims:home")
    soon = timezone.localdate() + timedelta(days=7)
    week_ago = timezone.now() - timedelta(days=7)
    hand_overs = access_incoming_hand_overs(user).filter(acknowledged_at=None).count()
    referrals = access_incoming_referrals(user).filter(status=ReferralStatus.PENDING).count()
    victims = access_victims(user)
    follow_ups = FollowUp.objects.filter(victim__in=victims, done_at=None, due_on__lte=soon).count()
    calls = access_hotline(user).filter(urgency=Urgency.EMERGENCY, received_at__gte=week_ago)
    return [
        Waiting(
            "victims:hand_overs",
            _("Hand-overs to acknowledge"),
            hand_overs,
            reverse("victims:hand_overs"),
            True,
        ),
        Waiting("victims:referrals", _("Referrals waiting for your decision"), referrals, home),
        Waiting("victims:follow_ups", _("Follow-ups due within a week"), follow_ups, home),
        Waiting(
            "hotline:emergency",
            _("Emergency hotline calls this week"),
            calls.count(),
            reverse("victims:hotline"),
            True,
        ),
    ]


def _exchange_waiting(user) -> list[Waiting]:
    if can_see_log(user):
        count, url = problem_count(user), reverse("exchange:log")
    elif can_draft(user):
        uids = visible_requests(user).exclude(state=State.DRAFT).values_list("uid", flat=True)
        count, url = problem_count(user, [str(u) for u in uids]), reverse("mla:register")
    else:
        return []
    return [Waiting("exchange:failed", _("Deliveries that failed"), count, url, True)]


def waiting(user) -> list[Waiting]:
    """What waits for `user` (items with a count of zero left out): this node's own apps'
    items, then those of the apps that bring a `menu` module."""
    if not (user.is_authenticated and user.is_active):
        return []
    found = [*_mla_waiting(user), *_victims_waiting(user), *_exchange_waiting(user)]
    for menu in _menus():
        if hasattr(menu, "waiting"):
            found += menu.waiting(user)
    return [w for w in found if w.count]


def area_counts(found_areas: list[Area], found: list[Waiting]) -> dict[str, int]:
    """How many things wait in each area: an item counts in the area whose address is the
    longest prefix of its own."""
    counts: dict[str, int] = {}
    for item in found:
        path = item.url.split("?")[0]
        owners = [a for a in found_areas if path.startswith(a.url)]
        if owners:
            key = max(owners, key=lambda a: len(a.url)).key
            counts[key] = counts.get(key, 0) + item.count
    return counts


# The menu's counts, per session, for half a minute in each worker: every page shows them,
# and gathering them asks each app (a dozen queries for some roles). The home page gathers
# them afresh and refreshes the cache; a write by the user (tipnet.middleware) changes the key.
MENU_SECONDS = 30
_menu_cache = LocMemCache(
    "tipnet-menu", {"TIMEOUT": MENU_SECONDS, "OPTIONS": {"MAX_ENTRIES": 10_000}}
)


def _menu_key(request) -> str | None:
    session = getattr(request, "session", None)
    if session is None or not session.session_key:
        return None
    return f"{session.session_key}:{session.get(MENU_STAMP, 0)}"


def cached_counts(request) -> dict[str, int] | None:
    """The menu's counts for this session if they were gathered in the last half minute."""
    key = _menu_key(request)
    return None if key is None else _menu_cache.get(key)


def remember_counts(request, counts: dict[str, int]) -> None:
    key = _menu_key(request)
    if key is not None:
        _menu_cache.set(key, counts)
