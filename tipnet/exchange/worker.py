"""The outbox worker: claims due messages, delivers them, records receipts, retries, gives up.

Several workers may share one outbox. A claim is a short transaction that takes due rows with
`SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serialises writers anyway) and leases them
for longer than one HTTP attempt can take, so no two workers send the same message at once. A
worker killed mid-send leaves a lease that expires; the next worker sends the same bytes again and
the receiver, idempotent on message_id, answers with the receipt it already gave.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tipnet.audit.actions import record

from . import envelope, log
from .envelope import EnvelopeError
from .models import OutboxMessage
from .registry import RegistryError, current
from .signals import message_delivered, message_not_delivered
from .transport import HttpTransport, TransportError

logger = logging.getLogger("tipnet.exchange")
State = OutboxMessage.State
# Refusals that no retry can change: the recipient verified the message and said no.
FINAL_REFUSALS = {400, 403, 409, 413}


def _lease() -> timedelta:
    return timedelta(seconds=settings.TIPNET_EXCHANGE_HTTP_TIMEOUT * 2 + 1)


def claim(limit: int = 20) -> list[OutboxMessage]:
    """Lease up to `limit` due messages to this worker and return them."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            OutboxMessage.objects.filter(state__in=[State.QUEUED, State.SEND_FAILED, State.SENT])
            .filter(next_attempt_at__lte=now)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
        )
        ids = list(due.values_list("id", flat=True)[:limit])
        OutboxMessage.objects.filter(id__in=ids).update(
            state=State.SENT, lease_until=now + _lease(), attempts=F("attempts") + 1
        )
    return list(OutboxMessage.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


def _give_up(outbox: OutboxMessage, reason: str) -> None:
    with transaction.atomic():
        outbox.state, outbox.last_error, outbox.lease_until = (
            State.NOT_DELIVERED,
            reason[:500],
            None,
        )
        outbox.save(update_fields=["state", "last_error", "lease_until"])
        log.append("not_delivered", outbox.message_id, outbox.type, outbox.recipient, reason=reason)
        record(
            "exchange:message:not_delivered",
            obj=outbox,
            agency=settings.TIPNET_NODE_ID,
            to=outbox.recipient,
            reason=reason[:200],
        )
        transaction.on_commit(
            lambda: message_not_delivered.send(OutboxMessage, outbox=outbox, reason=reason)
        )
    logger.warning(
        "message %s to %s not delivered: %s", outbox.message_id, outbox.recipient, reason
    )


def _retry_later(outbox: OutboxMessage, error: str) -> None:
    age = (timezone.now() - outbox.created_at).total_seconds()
    if age >= settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT:
        _give_up(outbox, f"no receipt after {int(age)} s; last error: {error}")
        return
    delay = min(
        settings.TIPNET_EXCHANGE_RETRY_BASE * 2 ** max(outbox.attempts - 1, 0),
        settings.TIPNET_EXCHANGE_RETRY_MAX,
    )
    with transaction.atomic():
        outbox.state, outbox.last_error, outbox.lease_until = State.SEND_FAILED, error[:500], None
        outbox.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        outbox.save(update_fields=["state", "last_error", "lease_until", "next_attempt_at"])
        log.append(
            "send_failed",
            outbox.message_id,
            outbox.type,
            outbox.recipient,
            attempt=outbox.attempts,
            error=error[:200],
        )


def _delivered(outbox: OutboxMessage, receipt: dict, body: dict) -> None:
    with transaction.atomic():
        outbox.state, outbox.receipt, outbox.lease_until = State.DELIVERED, receipt, None
        outbox.delivered_at, outbox.last_error = timezone.now(), ""
        outbox.save(update_fields=["state", "receipt", "lease_until", "delivered_at", "last_error"])
        log.append(
            "delivered",
            outbox.message_id,
            outbox.type,
            outbox.recipient,
            receipt=receipt["signature"],
            received_at=body.get("received_at", ""),
        )
        transaction.on_commit(
            lambda: message_delivered.send(OutboxMessage, outbox=outbox, receipt=receipt)
        )


def _error_code(answer: bytes) -> str:
    try:
        error = json.loads(answer)["error"]
        return f"{error['code']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return "unreadable answer"


def deliver(outbox: OutboxMessage, transport: HttpTransport) -> str:
    """Send one leased message and record what happened; return its new state."""
    try:
        node = current().node(outbox.recipient)
        if node is None:
            raise RegistryError(f"{outbox.recipient} left the network")
        status, answer = transport.post(node.base_url, bytes(outbox.wire))
    except (RegistryError, TransportError) as exc:
        _retry_later(outbox, str(exc))
        return outbox.state
    if status == 200:
        header = json.loads(bytes(outbox.wire))["header"]
        try:
            receipt = json.loads(answer)
            body = envelope.verify_receipt(receipt, header, node.signing_key)
        except (ValueError, EnvelopeError) as exc:
            _retry_later(outbox, f"bad receipt: {exc}")
            return outbox.state
        _delivered(outbox, receipt, body)
    elif status in FINAL_REFUSALS:
        _give_up(outbox, f"refused by {outbox.recipient} ({status} {_error_code(answer)})")
    else:
        _retry_later(outbox, f"HTTP {status} {_error_code(answer)}")
    return outbox.state


def expire_overdue() -> int:
    """Give up on waiting messages older than the delivery timeout (none is in flight)."""
    limit = timezone.now() - timedelta(seconds=settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT)
    now = timezone.now()
    overdue = OutboxMessage.objects.filter(
        state__in=[State.QUEUED, State.SEND_FAILED], created_at__lt=limit
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    count = 0
    for outbox in overdue:
        _give_up(
            outbox,
            f"no receipt within {int(settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT)} s; "
            f"last error: {outbox.last_error or 'none'}",
        )
        count += 1
    return count


def drain(limit: int = 20) -> dict[str, int]:
    """One pass: give up on overdue messages, then deliver what is due; return counts by state."""
    counts: dict[str, int] = {}
    expired = expire_overdue()
    if expired:
        counts[State.NOT_DELIVERED] = expired
    transport = HttpTransport(settings.TIPNET_EXCHANGE_HTTP_TIMEOUT)
    while batch := claim(limit):
        for outbox in batch:
            state = deliver(outbox, transport)
            counts[state] = counts.get(state, 0) + 1
    return counts
