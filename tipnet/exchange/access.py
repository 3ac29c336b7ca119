"""Who may see the exchange records of this node.

Node administrators and central-authority officers see the message log and the outbox (headers,
states and evidence only, never payloads); everyone else gets 404, as for a missing page.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from .models import LogEntry, OutboxMessage

LOG_ROLES = ("node_admin", "central_authority")


# `user` is request.user: the accounts app's User (whose has_role is asked) or AnonymousUser, or
# None. This layer sits below accounts and cannot import its User, hence Any.
def can_see_log(user: Any) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_role(*LOG_ROLES)
    )


def access_message_log(user: Any) -> QuerySet[LogEntry]:
    """The message log records `user` may read, newest first; 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return LogEntry.objects.order_by("-seq")


def access_outbox(user: Any) -> QuerySet[OutboxMessage]:
    """The outbox messages `user` may read (not the sealed bytes); 404 for anyone else."""
    if not can_see_log(user):
        raise Http404
    return OutboxMessage.objects.order_by("-created_at")


@dataclass(frozen=True)
class Delivery:
    """Where one sent message of a conversation stands, and what happens next."""

    type: str
    recipient: str
    state: str
    state_label: str
    queued_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str
    # The not-delivered evidence: the message log record that gave the message up.
    given_up_at: datetime | None
    given_up_seq: int | None
    # When the node will give up if no receipt comes (for a message still on its way).
    gives_up_at: datetime | None

    @property
    def is_problem(self) -> bool:
        return self.state in PROBLEM_STATES

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES


PROBLEM_STATES = (OutboxMessage.State.SEND_FAILED, OutboxMessage.State.NOT_DELIVERED)
PENDING_STATES = (OutboxMessage.State.QUEUED, OutboxMessage.State.SENT)


def conversation_deliveries(conversation_id: str) -> list[Delivery]:
    """The delivery state of every message this node sent in one conversation, oldest first.

    For the page of a record that owns the conversation (an MLA request's uid): the caller has
    already let the user open that record through its own access rule, and only headers, states
    and evidence are returned here, never a payload.
    """
    rows = list(
        OutboxMessage.objects.filter(conversation_id=conversation_id).order_by("created_at")
    )
    given_up = {
        e.message_id: e
        for e in LogEntry.objects.filter(
            kind=LogEntry.Kind.NOT_DELIVERED, message_id__in=[str(r.message_id) for r in rows]
        )
    }
    labels = dict(OutboxMessage.State.choices)
    timeout = timedelta(seconds=settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT)
    found = []
    for row in rows:
        evidence = given_up.get(str(row.message_id))
        found.append(
            Delivery(
                type=row.type,
                recipient=row.recipient,
                state=row.state,
                state_label=str(labels.get(row.state, row.state)),
                queued_at=row.created_at,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at if row.state in _RETRIED else None,
                delivered_at=row.delivered_at,
                last_error=row.last_error,
                given_up_at=evidence.occurred_at if evidence else None,
                given_up_seq=evidence.seq if evidence else None,
                gives_up_at=row.created_at + timeout if row.state in _RETRIED else None,
            )
        )
    return found


_RETRIED = (OutboxMessage.State.QUEUED, OutboxMessage.State.SEND_FAILED)


def problem_count(user: Any, conversation_ids: list[str] | None = None) -> int:
    """How many sent messages failed or were given up: the node's for the message log's readers,
    else only those of `conversation_ids` (records the caller let `user` open); 0 without any."""
    rows = OutboxMessage.objects.filter(state__in=PROBLEM_STATES)
    if can_see_log(user):
        return rows.count()
    if not conversation_ids:
        return 0
    return rows.filter(conversation_id__in=conversation_ids).count()
