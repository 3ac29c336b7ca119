"""The end of sharing: what an ended or expired agreement leaves readable, and for how long.

When an agreement ends (a party ends it) or expires (its period, as extended, has passed), its
workspace becomes read-only on every node: nothing is shared or changed any more, though a node
may still withdraw its own items. The agreement's text says within how many days each party
returns or deletes what the others shared (`retention_days`, DEFAULT_DAYS when an older text is
silent; EU model JIT agreement, clause on the use of information after the team ends). After
that day the other parties' items are unreadable here: every read leaves them out at once, and
`do_expire_items` (run by `tipnet jit expire`) turns them into tombstones that keep the reason.
"""

from datetime import date, timedelta

from django.utils import timezone

from .enums import State

# When the agreement's text names no period to return or delete the others' items.
DEFAULT_DAYS = 30


def last_day(agreement) -> date:
    """The last day of the agreement's period, as extended."""
    return agreement.extended_until or agreement.period_end


def closed_on(agreement, today: date | None = None) -> date | None:
    """The day sharing stopped (ended, or the day after the period), or None while it runs."""
    today = today or timezone.localdate()
    if agreement.state == State.ENDED:
        ended = agreement.ended_at or agreement.updated_at
        return timezone.localdate(ended)
    if today > last_day(agreement):
        return last_day(agreement) + timedelta(days=1)
    return None


def days_allowed(agreement) -> int:
    """The days the text allows to return or delete the other parties' items after the end."""
    days = agreement.retention_days
    return DEFAULT_DAYS if days is None else days


def purge_on(agreement, today: date | None = None) -> date | None:
    """The day the other parties' items become unreadable here, or None while sharing runs."""
    closed = closed_on(agreement, today)
    return None if closed is None else closed + timedelta(days=days_allowed(agreement))


def is_read_only(agreement, today: date | None = None) -> bool:
    """True once the agreement ended or expired: its workspace changes no more."""
    return closed_on(agreement, today) is not None


def is_past_retention(agreement, today: date | None = None) -> bool:
    """True once the period to return or delete the other parties' items has passed."""
    due = purge_on(agreement, today)
    return due is not None and (today or timezone.localdate()) >= due
