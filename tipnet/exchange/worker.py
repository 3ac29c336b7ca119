"""The outbox worker: claims due messages, delivers them, records receipts, retries, gives up.

Several workers may share one outbox. A claim is a short transaction that takes a batch of due
rows with `SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serialises writers anyway) and
leases them for longer than sending the whole batch can take, so no two workers send the same
message at once. The batch is sent by a few threads over kept-alive connections (no database work
in them), and the receipts of the batch are recorded in one transaction. A worker killed mid-send
leaves a lease that expires; the next worker sends the same bytes again and the receiver,
idempotent on message_id, answers with the receipt it already gave. Every write (a lease, a
receipt, a retry, giving up) is a `do_*` action of actions.py.
"""

import json
import logging
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from . import envelope
from .actions import (
    do_give_up,
    do_lease_messages,
    do_record_deliveries,
    do_retry_later,
    max_bytes,
)
from .envelope import EnvelopeError
from .models import OutboxMessage, OutboxWire
from .registry import Node, RegistryError, current
from .transport import BATCH_PATH, DELIVERY_TYPE, HttpTransport, TransportError, pack_delivery

logger = logging.getLogger("tipnet.exchange")
State = OutboxMessage.State
# Refusals that no retry can change: the recipient verified the message and said no.
FINAL_REFUSALS = {400, 403, 409, 413}


def _lease(count: int) -> timedelta:
    # Each thread sends its share of the batch one after another, each send taking at most the
    # HTTP timeout; one message alone keeps the lease of twice the timeout plus a second.
    rounds = math.ceil(count / max(settings.TIPNET_EXCHANGE_SEND_THREADS, 1))
    return timedelta(seconds=settings.TIPNET_EXCHANGE_HTTP_TIMEOUT * (rounds + 1) + 1)


def claim(limit: int | None = None, peek: bool = True) -> list[OutboxMessage]:
    """Lease up to `limit` (default TIPNET_EXCHANGE_BATCH) due messages to this worker.

    `peek=False` skips the plain read that first asks whether anything is due, for a worker that
    has just claimed a full batch and so expects more.
    """
    limit = limit or settings.TIPNET_EXCHANGE_BATCH
    now = timezone.now()
    due = (
        OutboxMessage.objects.filter(state__in=[State.QUEUED, State.SEND_FAILED, State.SENT])
        .filter(next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at", "id")
    )
    # A plain read first: an idle worker polling an empty outbox takes no write lock (on SQLite
    # every transaction here takes the database's one write lock, in the way of everyone else).
    if peek and not due.exists():
        return []
    ids = do_lease_messages(due, limit, _lease)
    if not ids:
        return []
    claimed = list(OutboxMessage.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))
    sealed = _wires(ids)
    for outbox in claimed:
        outbox.sealed = OutboxWire(outbox=outbox, wire=sealed[outbox.pk])  # cached, not saved
    return claimed


def _wires(ids: list[int]) -> dict[int, bytes]:
    """The sealed bytes of the outbox rows `ids`, by row id.

    On PostgreSQL they are read in binary: the ORM asks for text, in which bytea travels as hex
    twice its size, for the server to encode and the client to decode (a 137 KB message: 0.8 ms
    against 0.2 ms).
    """
    if connection.vendor != "postgresql":
        rows = OutboxWire.objects.filter(outbox_id__in=ids).values_list("outbox_id", "wire")
        return {pk: bytes(wire) for pk, wire in rows}
    table = connection.ops.quote_name(OutboxWire._meta.db_table)
    with connection.cursor() as cursor:
        psycopg_cursor = cursor.cursor  # Django's cursor wraps psycopg's, which can read binary
        psycopg_cursor.execute(
            f"SELECT outbox_id, wire FROM {table} WHERE outbox_id = ANY(%s)",  # noqa: S608
            [list(ids)],
            binary=True,
        )
        return {pk: bytes(wire) for pk, wire in psycopg_cursor.fetchall()}


def _decode(answer: bytes) -> Any:  # the decoded JSON, or None
    try:
        return json.loads(answer)
    except ValueError:
        return None


def _error_code(answer: Any) -> str:
    try:
        error = answer["error"]
        return f"{error['code']}: {error['message']}"
    except (KeyError, TypeError):
        return "unreadable answer"


@dataclass
class Outcome:
    """What one send attempt gave: a verified receipt, a final refusal, or an error to retry."""

    outbox: OutboxMessage
    receipt: dict[str, Any] | None = None
    body: dict[str, Any] | None = None
    refusal: str = ""
    error: str = ""


def _judge(outbox: OutboxMessage, node: Node, status: object, answer: Any) -> Outcome:
    """Decide on the recipient's answer (status, decoded JSON) to one message."""
    if status in FINAL_REFUSALS:
        return Outcome(
            outbox, refusal=f"refused by {outbox.recipient} ({status} {_error_code(answer)})"
        )
    if status != 200:
        return Outcome(outbox, error=f"HTTP {status} {_error_code(answer)}")
    try:
        body = envelope.check_receipt(
            answer, outbox.header_sha256, outbox.recipient, node.signing_key
        )
    except EnvelopeError as exc:
        return Outcome(outbox, error=f"bad receipt: {exc}")
    return Outcome(outbox, receipt=answer, body=body)


def _node(recipient: str) -> Node:
    node = current().node(recipient)
    if node is None:
        raise RegistryError(f"{recipient} left the network")
    return node


def send(outbox: OutboxMessage, transport: HttpTransport) -> Outcome:
    """POST one leased message and check the answer; touches no database, so threads may run it."""
    try:
        node = _node(outbox.recipient)
        status, answer = transport.post(node.base_url, outbox.wire)
    except (RegistryError, TransportError) as exc:
        return Outcome(outbox, error=str(exc))
    return _judge(outbox, node, status, _decode(answer))


def send_many(messages: list[OutboxMessage], transport: HttpTransport) -> list[Outcome]:
    """POST leased messages for one recipient as one delivery, in order; check every answer.

    The recipient takes them in this order in one transaction and answers each as it would alone
    (receipt or refusal). If the delivery as a whole fails, every message of it is retried.
    """
    if len(messages) == 1:
        return [send(messages[0], transport)]
    try:
        node = _node(messages[0].recipient)
        body = pack_delivery([outbox.wire for outbox in messages])
        status, raw = transport.post(node.base_url, body, BATCH_PATH, DELIVERY_TYPE)
    except (RegistryError, TransportError) as exc:
        return [Outcome(outbox, error=str(exc)) for outbox in messages]
    answer = _decode(raw)
    results = answer.get("results") if isinstance(answer, dict) and status == 200 else None
    if not isinstance(results, list) or len(results) != len(messages):
        error = f"HTTP {status} {_error_code(answer)}" if status != 200 else "unreadable answer"
        return [Outcome(outbox, error=f"delivery failed: {error}") for outbox in messages]
    return [
        _judge(outbox, node, result.get("status"), result.get("answer"))
        if isinstance(result, dict)
        else Outcome(outbox, error="unreadable answer")
        for outbox, result in zip(messages, results, strict=True)
    ]


def deliveries(messages: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    """Cut one recipient's messages, in order, into deliveries the recipient accepts.

    Each holds at most TIPNET_EXCHANGE_DELIVERY_MAX messages and TIPNET_EXCHANGE_MAX_MB of wire
    bytes; a message is never larger than that, since it was refused at queueing.
    """
    limit, most = max_bytes(), max(settings.TIPNET_EXCHANGE_DELIVERY_MAX, 1)
    cut: list[list[OutboxMessage]] = []
    size = 0
    for outbox in messages:
        extra = len(outbox.wire) + 4  # its length before it
        if not cut or size + extra > limit or len(cut[-1]) >= most:
            cut.append([])
            size = 0
        cut[-1].append(outbox)
        size += extra
    return cut


def record_outcomes(outcomes: list[Outcome]) -> dict[str, int]:
    """Record a sent batch (receipts together, failures one by one); return counts by state."""
    do_record_deliveries(
        [(o.outbox, o.receipt, o.body or {}) for o in outcomes if o.receipt is not None]
    )
    for outcome in outcomes:
        if outcome.refusal:
            do_give_up(outcome.outbox, outcome.refusal)
        elif outcome.receipt is None:
            do_retry_later(outcome.outbox, outcome.error)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.outbox.state] = counts.get(outcome.outbox.state, 0) + 1
    return counts


def expire_overdue() -> int:
    """Give up on waiting messages older than the delivery timeout (none is in flight)."""
    limit = timezone.now() - timedelta(seconds=settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT)
    now = timezone.now()
    overdue = OutboxMessage.objects.filter(
        state__in=[State.QUEUED, State.SEND_FAILED], created_at__lt=limit
    ).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    count = 0
    for outbox in overdue:
        do_give_up(
            outbox,
            f"no receipt within {int(settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT)} s; "
            f"last error: {outbox.last_error or 'none'}",
        )
        count += 1
    return count


# How often a running worker looks for messages past the delivery timeout (a day by default):
# on every pass it was a query per poll, the most frequent query of an idle worker.
EXPIRY_EVERY = 10.0


class Sender:
    """The threads and kept-alive connections of one worker, reused from pass to pass."""

    def __init__(self) -> None:
        self.transport = HttpTransport(settings.TIPNET_EXCHANGE_HTTP_TIMEOUT)
        self.threads = max(settings.TIPNET_EXCHANGE_SEND_THREADS, 1)
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix="exchange-send")
        self.expired_at: float | None = None  # time.monotonic() of the last look for overdue

    def expiry_due(self) -> bool:
        """Whether this pass looks for overdue messages: the first pass, then every
        EXPIRY_EVERY seconds."""
        now = time.monotonic()
        if self.expired_at is not None and now - self.expired_at < EXPIRY_EVERY:
            return False
        self.expired_at = now
        return True

    def send(self, batch: list[OutboxMessage]) -> list[Outcome]:
        """Send a batch: one stream of deliveries per recipient, recipients side by side.

        Each recipient's messages keep their queueing order, within a delivery and from one
        delivery to the next: a receiver refuses (`not_ready`) a step that overtakes the one
        before it.
        """
        streams: dict[str, list[OutboxMessage]] = {}
        for outbox in batch:
            streams.setdefault(outbox.recipient, []).append(outbox)
        if len(streams) == 1 or self.threads == 1:
            return [o for messages in streams.values() for o in self._stream(messages)]
        return [o for part in self.pool.map(self._stream, streams.values()) for o in part]

    def _stream(self, messages: list[OutboxMessage]) -> list[Outcome]:
        return [o for cut in deliveries(messages) for o in send_many(cut, self.transport)]

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def drain(limit: int | None = None, sender: Sender | None = None) -> dict[str, int]:
    """One pass: give up on overdue messages, then deliver what is due; return counts by state.

    A worker that keeps its `sender` from pass to pass looks for overdue messages on its first
    pass and then every EXPIRY_EVERY seconds; a pass without one always does.
    """
    counts: dict[str, int] = {}
    own = sender is None
    sender = sender or Sender()
    try:
        if sender.expiry_due():
            expired = expire_overdue()
            if expired:
                counts[State.NOT_DELIVERED] = expired
        full = limit or settings.TIPNET_EXCHANGE_BATCH
        batch = claim(limit)
        while batch:
            for state, n in record_outcomes(sender.send(batch)).items():
                counts[state] = counts.get(state, 0) + n
            batch = claim(limit, peek=len(batch) < full)
    finally:
        if own:
            sender.close()
    return counts
