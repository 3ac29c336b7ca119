"""The home page as a workbench: what waits for the user, the clocks that run, their open work,
what moved lately, and for a node administrator the state of the federation.

Every read goes through the owning app's access helpers, so the home page shows nothing its
links would answer with 404. It stays cheap: a bounded number of queries whatever the data
(tests/test_navigation.py counts them).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import visible_cases
from tipnet.cases.models import Stage
from tipnet.exchange.access import access_message_log, access_outbox
from tipnet.exchange.keys import ENCRYPTION_FILE, PREVIOUS_ENCRYPTION_FILE, SIGNING_FILE, key_dir
from tipnet.exchange.models import LogEntry, OutboxMessage
from tipnet.exchange.registry import RegistryError, current, in_network
from tipnet.lib.menu import Waiting
from tipnet.mla.access import can_draft, is_central_authority, visible_requests
from tipnet.mla.templatetags.mla_labels import CLOCK_LABELS
from tipnet.navigation import mla_clocks, waiting
from tipnet.victims.access import access_victims, is_caseworker
from tipnet.victims.models import FollowUp

CASE_ROLES = ("investigator", "prosecutor", "central_authority")
# How far ahead a clock or a follow-up counts as "due".
DUE_DAYS = 14
ROWS = 8


@dataclass(frozen=True)
class Clock:
    """A step due or overdue: what, on which record, by when."""

    label: Any
    what: str
    url: str
    due_on: date

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class Recent:
    when: datetime
    kind: Any
    what: str
    url: str
    state: Any


@dataclass(frozen=True)
class Peer:
    node_id: str
    country: str
    agency: str
    problem: str
    valid_until: datetime | None
    reachable: bool | None
    last_delivered: datetime | None
    last_received: datetime | None
    queued: int
    failed: int


@dataclass
class Federation:
    in_network: bool
    problem: str = ""
    network: str = ""
    serial: int = 0
    valid_until: datetime | None = None
    peers: list[Peer] = field(default_factory=list)
    queued: int = 0
    failed: int = 0
    keys: list[tuple[Any, int | None]] = field(default_factory=list)

    @property
    def days_left(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.now()).days


@dataclass
class Workbench:
    waiting: list[Waiting]
    clocks: list[Clock]
    cases: list
    cases_are_mine: bool
    recent: list[Recent]
    federation: Federation | None


def _mla_clocks(user) -> list[Clock]:
    horizon = timezone.localdate() + timedelta(days=DUE_DAYS)
    found = []
    for due in mla_clocks(user):
        if due.due_on <= horizon:
            url = reverse("mla:detail", args=[due.request.pk])
            label = CLOCK_LABELS.get(due.clock, due.clock)
            found.append(Clock(label, due.request.reference, url, due.due_on))
    return found


def _follow_ups(user) -> list[Clock]:
    if not is_caseworker(user):
        return []
    horizon = timezone.localdate() + timedelta(days=DUE_DAYS)
    rows = FollowUp.objects.filter(victim__in=access_victims(user), done_at=None)
    rows = rows.filter(due_on__lte=horizon).select_related("victim")[:50]
    label = _("follow-up")
    return [
        Clock(
            label,
            f"{f.victim.code} · {f.purpose}",
            reverse("victims:victim", args=[f.victim.code]),
            f.due_on,
        )
        for f in rows
    ]


def _cases(user, visible) -> tuple[list, bool]:
    if visible is None:
        return [], False
    open_cases = visible.exclude(stage=Stage.CLOSED).order_by("-updated_at")
    mine = list(open_cases.filter(created_by=user)[:ROWS])
    if mine:
        return mine, True
    return list(open_cases.filter(agency_id=user.agency_id)[:ROWS]), False


def _recent(user, visible) -> list[Recent]:
    found = []
    if visible is not None:
        for case in visible.order_by("-updated_at")[:5]:
            url = reverse("cases:detail", args=[case.pk])
            found.append(
                Recent(case.updated_at, _("Case"), case.reference, url, case.get_stage_display())
            )
    if can_draft(user) or is_central_authority(user):
        for req in visible_requests(user).order_by("-state_changed_at")[:5]:
            url = reverse("mla:detail", args=[req.pk])
            found.append(
                Recent(
                    req.state_changed_at,
                    _("MLA request"),
                    req.reference,
                    url,
                    req.get_state_display(),
                )
            )
    if is_caseworker(user):
        for victim in access_victims(user).order_by("-registered_at")[:5]:
            url = reverse("victims:victim", args=[victim.code])
            found.append(
                Recent(
                    victim.registered_at, _("Victim"), victim.code, url, victim.get_status_display()
                )
            )
    return sorted(found, key=lambda r: r.when, reverse=True)[:ROWS]


def _key_ages() -> list[tuple[Any, int | None]]:
    names = (
        (_("signing key"), SIGNING_FILE),
        (_("encryption key"), ENCRYPTION_FILE),
        (_("previous encryption key"), PREVIOUS_ENCRYPTION_FILE),
    )
    now = timezone.now().timestamp()
    found: list[tuple[Any, int | None]] = []
    for label, name in names:
        path = Path(key_dir()) / name
        try:
            found.append((label, int((now - path.stat().st_mtime) // 86400)))
        except OSError:
            if name != PREVIOUS_ENCRYPTION_FILE:
                found.append((label, None))
    return found


def _traffic(user) -> tuple[dict[str, dict[str, Any]], dict[str, datetime]]:
    """Per peer: counts and times of this node's outbox by state; when it last heard from it."""
    sent: dict[str, dict[str, Any]] = {}
    rows = access_outbox(user).order_by().values("recipient", "state")
    for row in rows.annotate(n=Count("id"), last=Max("created_at"), done=Max("delivered_at")):
        sent.setdefault(row["recipient"], {})[row["state"]] = row
    heard = access_message_log(user).filter(kind=LogEntry.Kind.RECEIVED).order_by()
    received = {
        r["peer"]: r["last"] for r in heard.values("peer").annotate(last=Max("occurred_at"))
    }
    return sent, received


def _peer(node, sent: dict[str, Any], last_received: datetime | None) -> Peer:
    S = OutboxMessage.State
    delivered = sent.get(S.DELIVERED, {}).get("done")
    failed_rows = [sent[s] for s in (S.SEND_FAILED, S.NOT_DELIVERED) if s in sent]
    last_failure = max((r["last"] for r in failed_rows), default=None)
    reachable = None
    if delivered or last_failure:
        reachable = bool(delivered and (last_failure is None or delivered >= last_failure))
    return Peer(
        node_id=node.id,
        country=node.country,
        agency=node.agency,
        problem=node.problem(timezone.now()),
        valid_until=node.valid_until,
        reachable=reachable,
        last_delivered=delivered,
        last_received=last_received,
        queued=sum(sent.get(s, {}).get("n", 0) for s in (S.QUEUED, S.SENT)),
        failed=sum(r["n"] for r in failed_rows),
    )


def federation(user) -> Federation | None:
    """The node's place in the network, for its administrators (None for everyone else)."""
    if not user.has_role("node_admin"):
        return None
    found = Federation(in_network=in_network(), keys=_key_ages())
    sent, received = _traffic(user)
    if found.in_network:
        try:
            registry = current()
        except RegistryError as exc:
            found.problem = str(exc)
        else:
            found.network, found.serial = registry.network, registry.serial
            found.valid_until = registry.valid_until
            found.peers = [
                _peer(node, sent.get(node.id, {}), received.get(node.id))
                for node in registry.nodes.values()
                if node.id != settings.TIPNET_NODE_ID
            ]
    S = OutboxMessage.State
    for states in sent.values():
        found.queued += sum(states.get(s, {}).get("n", 0) for s in (S.QUEUED, S.SENT))
        found.failed += sum(states.get(s, {}).get("n", 0) for s in (S.SEND_FAILED, S.NOT_DELIVERED))
    return found


def workbench(user, found_waiting: list[Waiting] | None = None) -> Workbench:
    """Everything the home page shows `user`."""
    clocks = sorted([*_mla_clocks(user), *_follow_ups(user)], key=lambda c: c.due_on)
    # The cases' visibility is worked out once (it reads the user's grants).
    visible = visible_cases(user) if user.agency_id and user.has_role(*CASE_ROLES) else None
    cases, mine = _cases(user, visible)
    return Workbench(
        waiting=waiting(user) if found_waiting is None else found_waiting,
        clocks=clocks[:15],
        cases=cases,
        cases_are_mine=mine,
        recent=_recent(user, visible),
        federation=federation(user),
    )
