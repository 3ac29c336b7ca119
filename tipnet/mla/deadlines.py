"""Clocks of open requests: acknowledge, decide, execute (per legal basis) and the deadline the
requesting state asked for. An expired clock raises a reminder; it never changes a state.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from .enums import State
from .models import DeadlinePolicy, MlaRequest

DEFAULTS = {"acknowledge": 7, "decide": 30, "execute": 90}
# Which clock runs in which state, and from which of the request's dates it starts.
CLOCKS: dict[str, tuple[str, str]] = {
    State.SUBMITTED: ("acknowledge", "submitted_at"),
    State.RECEIVED: ("decide", "received_at"),
    State.UNDER_ASSESSMENT: ("decide", "received_at"),
    State.INFO_REQUESTED: ("decide", "received_at"),
    State.IN_CONSULTATION: ("decide", "received_at"),
    State.UNDER_EXECUTION: ("execute", "decided_at"),
    State.PARTIALLY_EXECUTED: ("execute", "decided_at"),
    State.POSTPONED: ("execute", "decided_at"),
}
OPEN_STATES = tuple(CLOCKS)


@dataclass(frozen=True)
class Due:
    request: MlaRequest
    clock: str
    due_on: date

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_on).days


def policy_days(basis: str) -> dict[str, int]:
    """Target days of each clock for `basis` (the defaults unless a policy is configured)."""
    policy = DeadlinePolicy.objects.filter(basis=basis).first()
    if policy is None:
        return dict(DEFAULTS)
    return {
        "acknowledge": policy.acknowledge_days,
        "decide": policy.decide_days,
        "execute": policy.execute_days,
    }


def clocks_of(req: MlaRequest, days: dict[str, int]) -> list[Due]:
    """The running clocks of one request with their due dates."""
    found = []
    clock, start_field = CLOCKS.get(req.state, (None, None))
    start = getattr(req, start_field, None) if start_field else None
    start = start or (req.submitted_at if clock else None)
    if clock and start:
        found.append(Due(req, clock, timezone.localdate(start) + timedelta(days=days[clock])))
    if req.deadline and req.state in OPEN_STATES:
        found.append(Due(req, "deadline", req.deadline))
    return found


def overdue(requests, today: date | None = None) -> list[Due]:
    """Every expired clock of `requests`, most overdue first."""
    today = today or timezone.localdate()
    cache: dict[str, dict[str, int]] = {}
    found = []
    for req in requests.filter(state__in=OPEN_STATES):
        days = cache.setdefault(req.legal_basis, policy_days(req.legal_basis))
        found += [d for d in clocks_of(req, days) if d.due_on < today]
    return sorted(found, key=lambda d: (d.due_on, d.request.pk))
