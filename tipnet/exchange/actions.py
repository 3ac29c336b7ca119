"""The only code that writes exchange records. Every do_* appends to the message log and audits."""

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tipnet.audit.actions import Actor, record, record_many
from tipnet.lib.errors import error_body

from . import envelope, log
from .envelope import Attachment, EnvelopeError, Message
from .handlers import HandlerError, RetryLater, dispatch, stored_payload
from .keys import NodeKeys, load_keys
from .models import InboxAttachment, InboxMessage, OutboxMessage, OutboxWire
from .registry import Node, RegistryError, current
from .signals import message_delivered, message_not_delivered

logger = logging.getLogger("tipnet.exchange")


class ExchangeError(Exception):
    """A message cannot be queued (unknown or revoked recipient, no registry, too large)."""


def max_bytes() -> int:
    return settings.TIPNET_EXCHANGE_MAX_MB * 1024 * 1024


def _recipient_node(recipient: str) -> Node:
    try:
        node = current().node(recipient)
    except RegistryError as exc:
        raise ExchangeError(str(exc)) from exc
    if node is None:
        raise ExchangeError(f"{recipient} is not a member of the network")
    problem = node.problem(timezone.now())
    if problem:
        raise ExchangeError(f"{recipient} may not receive messages ({problem})")
    return node


@dataclass
class Outgoing:
    """One message to queue: its type, recipient node, JSON payload and attachments."""

    type: str
    recipient: str
    payload: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)
    conversation_id: str = ""
    in_reply_to: str = ""
    handling: dict[str, Any] = field(default_factory=dict)


def do_queue_message(
    actor: Actor,
    message_type: str,
    recipient: str,
    payload: dict[str, Any],
    attachments: list[Attachment] | None = None,
    conversation_id: str = "",
    in_reply_to: str = "",
    handling: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Seal a message to `recipient` and put it in the outbox for the worker to deliver.

    Raises ExchangeError when the recipient is not a valid member or the message is too large.
    """
    outgoing = Outgoing(
        message_type,
        recipient,
        payload,
        attachments or [],
        conversation_id,
        in_reply_to,
        handling or {},
    )
    return do_queue_messages(actor, [outgoing])[0]


def queue(
    actor: Actor,
    message_type: str,
    recipient: str,
    payload: dict[str, Any],
    attachments: list[Attachment] | None = None,
    **header: Any,
) -> OutboxMessage:
    """Queue the message that reports a change, inside the transaction of that change.

    The transactional outbox: the change and its message are committed together or not at all,
    so a node that dies between the two cannot leave a change the other node never hears of.
    Raises ExchangeError when called outside a transaction (a bug: the message would be
    committed on its own) or when the message cannot be queued; the caller's transaction then
    rolls back. `header` takes conversation_id, in_reply_to and handling.
    """
    if not transaction.get_connection().in_atomic_block:
        raise ExchangeError("a message is queued inside the transaction of the change it reports")
    return do_queue_message(actor, message_type, recipient, payload, attachments, **header)


def do_queue_messages(actor: Actor, outgoing: list[Outgoing]) -> list[OutboxMessage]:
    """Seal several messages and queue them in one transaction: all of them or, on error, none.

    For an action that sends many messages at once (`tipnet exchange ping --count`, a bulk
    forward): the outbox rows, sealed bytes, message-log records and audit events of all of
    them are written with one insert per table and one lock of each chain's head, where a
    transaction per message would take each lock once per message. Raises ExchangeError, before
    anything is stored, when a recipient is not a valid member or a message is too large.
    """
    if not outgoing:
        return []
    nodes = [_recipient_node(item.recipient) for item in outgoing]  # every recipient first
    signing = load_keys().signing
    sealed = []
    for item, node in zip(outgoing, nodes, strict=True):
        message = Message(
            type=item.type,
            sender=settings.TIPNET_NODE_ID,
            recipient=item.recipient,
            payload=item.payload,
            attachments=item.attachments,
            conversation_id=item.conversation_id,
            in_reply_to=item.in_reply_to,
            handling=item.handling,
        )
        wire, digest = envelope.seal_with_digest(message, signing, node.encryption_key)
        if len(wire) > max_bytes():
            raise ExchangeError(f"the message is larger than {settings.TIPNET_EXCHANGE_MAX_MB} MB")
        sealed.append((message, wire, digest))
    now = timezone.now()
    rows = [
        OutboxMessage(
            message_id=message.message_id,
            conversation_id=message.conversation_id or message.message_id,
            in_reply_to=message.in_reply_to,
            type=message.type,
            recipient=message.recipient,
            state=OutboxMessage.State.QUEUED,
            header_sha256=digest,
            attachment_names=[a.filename for a in message.attachments],
            created_at=now,
            next_attempt_at=now,
        )
        for message, _wire, digest in sealed
    ]
    with transaction.atomic():
        # Both databases return the new primary keys, in order, from one insert.
        OutboxMessage.objects.bulk_create(rows)
        OutboxWire.objects.bulk_create(
            [
                OutboxWire(outbox=row, wire=wire)
                for row, (_m, wire, _d) in zip(rows, sealed, strict=True)
            ]
        )
        log.append_many(
            [
                ("queued", r.message_id, r.type, r.recipient, {"header": r.header_sha256})
                for r in rows
            ]
        )
        record_many(
            [
                {
                    "tag": "exchange:message:queue",
                    "actor": actor,
                    "obj": r,
                    "type": r.type,
                    "to": r.recipient,
                }
                for r in rows
            ]
        )
    return rows


# HTTP status of each refusal; the body is the API's one JSON error shape.
REFUSAL_STATUS = {
    "malformed": 400,
    "tampered": 400,
    "stale": 400,
    "wrong_recipient": 400,
    "unknown_sender": 403,
    "sender_revoked": 403,
    "sender_expired": 403,
    "sender_not_yet_valid": 403,
    "bad_signature": 403,
    "replay_conflict": 409,
    "too_large": 413,
    "not_ready": 503,
    "registry_unavailable": 503,
}


def _verified_sender(header: dict[str, Any]) -> Node:
    try:
        registry = current()
    except RegistryError as exc:
        raise EnvelopeError(
            "registry_unavailable", f"This node has no valid registry: {exc}"
        ) from exc
    sender = registry.node(str(header["sender"]))
    if sender is None:
        raise EnvelopeError("unknown_sender", f"{header['sender']} is not a member of the network.")
    problem = sender.problem(timezone.now())
    if problem:
        raise EnvelopeError(f"sender_{problem}", f"The sender's registration is {problem}.")
    return sender


@dataclass
class _Item:
    """One message of a delivery on its way through the checks, and the answer it will get."""

    raw: bytes | memoryview  # one message's wire frame (a view into its delivery's body)
    header: dict[str, Any] | None = None
    digest: str = ""  # the header's SHA-256, once the signature over it has verified
    parts: dict[str, Any] | None = None
    message: Message | None = None
    inbox: InboxMessage | None = None
    answer: dict[str, Any] | None = None  # the signed receipt
    refusal: EnvelopeError | None = None
    twin: "_Item | None" = None  # an earlier item of the same delivery with this message_id

    def refuse(self, exc: EnvelopeError) -> None:
        self.refusal, self.parts, self.message, self.inbox = exc, None, None, None

    # The fields above are filled step by step (_check, _open, _store); each accessor below is
    # read only after its step and fails loudly if the step was skipped.
    @property
    def checked_header(self) -> dict[str, Any]:
        assert self.header is not None, "read by _check"
        return self.header

    @property
    def checked_parts(self) -> dict[str, Any]:
        assert self.parts is not None, "read by _check"
        return self.parts

    @property
    def opened(self) -> Message:
        assert self.message is not None, "decrypted by _open"
        return self.message

    @property
    def stored(self) -> InboxMessage:
        assert self.inbox is not None, "stored by _store"
        return self.inbox

    @property
    def receipt(self) -> dict[str, Any]:
        assert self.answer is not None, "signed by _open"
        return self.answer

    @property
    def refused(self) -> EnvelopeError:
        assert self.refusal is not None, "set by refuse"
        return self.refusal


# Header fields stored as text, with the longest the inbox keeps (as its columns allow).
HEADER_TEXT = (("type", 64), ("conversation_id", 64), ("in_reply_to", 64), ("sender", 32))


def _check(item: _Item) -> None:
    """Shape, registry membership, signature and recipient: what every message must pass."""
    if len(item.raw) > max_bytes():
        raise EnvelopeError(
            "too_large", f"The message exceeds {settings.TIPNET_EXCHANGE_MAX_MB} MB."
        )
    parts = envelope.parse(item.raw)
    item.header = header = parts["header"]
    try:
        uuid.UUID(str(header["message_id"]))
    except ValueError as exc:
        raise EnvelopeError("malformed", "message_id is not a UUID.") from exc
    for name, longest in HEADER_TEXT:
        if not isinstance(header[name], str) or len(header[name]) > longest:
            raise EnvelopeError(
                "malformed", f"{name} must be text of at most {longest} characters."
            )
    sender = _verified_sender(header)
    item.digest = envelope.verify_signature(parts, sender.signing_key)
    if header["recipient"] != settings.TIPNET_NODE_ID:
        raise EnvelopeError(
            "wrong_recipient", f"This node is {settings.TIPNET_NODE_ID}, not {header['recipient']}."
        )
    item.parts = parts


def _open(item: _Item, keys: NodeKeys) -> None:
    """Freshness, decryption against the signed hashes, and the receipt for a new message."""
    envelope.check_fresh(
        item.checked_header, settings.TIPNET_EXCHANGE_MAX_AGE, settings.TIPNET_EXCHANGE_CLOCK_SKEW
    )
    item.message = envelope.decrypt(item.checked_parts, keys.decryption_keys())
    item.answer = envelope.make_receipt(
        item.checked_header, settings.TIPNET_NODE_ID, keys.signing, item.digest
    )


def _key(message_id: str | uuid.UUID) -> str:
    # One spelling per UUID, as the database compares them (a sender may write capitals).
    return str(uuid.UUID(str(message_id)))


def _sort_out_repeats(items: list[_Item]) -> list[_Item]:
    """Answer messages already stored, pair repeats within the delivery; return the new ones."""
    fresh = [item for item in items if item.parts is not None]
    stored: dict[str, Any] = {
        _key(row["message_id"]): row
        for row in InboxMessage.objects.filter(
            message_id__in=[item.checked_header["message_id"] for item in fresh]
        ).values("message_id", "header_sha256", "receipt")
    }
    new, first = [], dict[str, dict[str, Any]]()
    for item in fresh:
        message_id, digest = _key(item.checked_header["message_id"]), item.digest
        earlier = stored.get(message_id) or first.get(message_id)
        if earlier is None:
            first[message_id] = {"header_sha256": digest, "item": item}
            new.append(item)
        elif earlier["header_sha256"] != digest:
            item.refuse(
                EnvelopeError(
                    "replay_conflict", "Another message with this message_id was received."
                )
            )
        elif "item" in earlier:
            item.twin = earlier["item"]
        else:
            item.answer = earlier["receipt"]
    return new


def _apply(item: _Item) -> None:
    inbox, message = item.stored, item.opened
    try:
        with transaction.atomic():
            handled = dispatch(message)
        inbox.state = InboxMessage.State.HANDLED if handled else InboxMessage.State.UNHANDLED
    except RetryLater as exc:
        raise EnvelopeError("not_ready", f"The message cannot be applied yet: {exc}") from exc
    except HandlerError as exc:
        inbox.state, inbox.error = InboxMessage.State.FAILED, str(exc)[:500]
    except Exception as exc:
        logger.exception("handler for %s failed on %s", message.type, message.message_id)
        inbox.state, inbox.error = (
            InboxMessage.State.FAILED,
            f"internal error: {type(exc).__name__}",
        )


def _apply_together(new: list[_Item]) -> bool:
    """Hand every new message to its handler, in order, under one savepoint for all of them.

    The common case, where every handler takes its message, then costs one savepoint per
    delivery instead of one per message (two statements each). If any handler raises, everything
    they wrote is rolled back and False is returned: the caller then applies the messages one by
    one, each under its own savepoint (`_apply`), so a refused message keeps none of its writes
    and the others keep theirs.
    """
    try:
        with transaction.atomic():
            for item in new:
                handled = dispatch(item.opened)
                item.stored.state = (
                    InboxMessage.State.HANDLED if handled else InboxMessage.State.UNHANDLED
                )
    except Exception:  # any refusal or error: judged message by message by _apply
        return False
    return True


def _store(new: list[_Item]) -> None:
    """Store the new messages with their attachments and hand each, in order, to its handler.

    A message its handler cannot take yet (`not_ready`) is refused and not kept, exactly as if it
    had come alone; the rest of the delivery stands.
    """
    now = timezone.now()
    for item in new:
        message = item.opened
        item.inbox = InboxMessage(
            message_id=message.message_id,
            conversation_id=message.conversation_id,
            in_reply_to=message.in_reply_to,
            type=message.type,
            sender=message.sender,
            header=item.checked_header,
            header_sha256=item.digest,
            payload=stored_payload(message),
            receipt=item.answer,
            received_at=now,
            state=InboxMessage.State.PENDING,
        )
    InboxMessage.objects.bulk_create([item.stored for item in new])
    InboxAttachment.objects.bulk_create(
        InboxAttachment(
            message=item.stored,
            position=i,
            filename=a.filename[:255],
            content_type=a.content_type[:100],
            # decrypt() checked the content against this hash of the signed header.
            sha256=item.checked_header["attachments"][i]["sha256"],
            content=a.content,
        )
        for item in new
        for i, a in enumerate(item.opened.attachments)
    )
    not_ready = []
    if not _apply_together(new):
        for item in new:
            try:
                _apply(item)
            except EnvelopeError as exc:
                not_ready.append(item.stored.pk)
                item.refuse(exc)
    if not_ready:
        InboxMessage.objects.filter(pk__in=not_ready).delete()
    outcomes: dict[tuple[str, str], list[int]] = {}
    for item in new:
        if item.inbox is not None:
            outcomes.setdefault((item.inbox.state, item.inbox.error), []).append(item.inbox.pk)
    for (state, error), pks in outcomes.items():
        InboxMessage.objects.filter(pk__in=pks).update(state=state, error=error)


def _refusal_record(item: _Item) -> tuple[str, str, str, str, dict[str, Any]]:
    header = item.header if isinstance(item.header, dict) else {}
    exc = item.refused
    logger.warning("refused a message: %s (%s)", exc.code, exc)
    return (
        "rejected",
        str(header.get("message_id", ""))[:64],
        str(header.get("type", ""))[:64],
        str(header.get("sender", ""))[:32],
        {
            "reason": exc.code,
            "message": str(exc),
            "body_sha256": envelope.sha256(item.raw),
            "size": len(item.raw),
        },
    )


def _record(items: list[_Item]) -> None:
    """The message-log records and audit events of a delivery, each chain locked once."""
    entries: list[tuple[str, str | uuid.UUID, str, str, dict[str, Any]]] = []
    events: list[dict[str, Any]] = []
    for item in items:
        if item.refusal is not None:
            entries.append(_refusal_record(item))
            events.append(
                {
                    "tag": "exchange:message:reject",
                    "agency": settings.TIPNET_NODE_ID,
                    "reason": item.refusal.code,
                }
            )
        elif item.inbox is not None:
            message = item.opened
            entries.append(
                (
                    "received",
                    message.message_id,
                    message.type,
                    message.sender,
                    {
                        "header": item.inbox.header_sha256,
                        "receipt": item.receipt["signature"],
                        # Plain text, not the TextChoices member: the canonical JSON of the
                        # record then takes the C encoder, as it does for the other fields.
                        "state": str(item.inbox.state),
                    },
                )
            )
            events.append(
                {
                    "tag": "exchange:message:receive",
                    "obj": item.inbox,
                    "agency": settings.TIPNET_NODE_ID,
                    "type": message.type,
                    "sender": message.sender,
                }
            )
        elif item.twin is None or item.twin.refusal is None:
            header = item.checked_header
            entries.append(
                ("duplicate", header["message_id"], header["type"], header["sender"], {})
            )
    log.append_many(entries)
    if events:
        record_many(events)


def _receive(items: list[_Item]) -> None:
    for item in items:
        try:
            _check(item)
        except EnvelopeError as exc:
            item.refuse(exc)
    new = _sort_out_repeats(items)
    if new:
        keys = load_keys()
        for item in new:
            try:
                _open(item, keys)
            except EnvelopeError as exc:
                item.refuse(exc)
        new = [item for item in new if item.refusal is None]
    with transaction.atomic():
        if new:
            _store(new)
        _record(items)


def do_receive_messages(
    raws: Sequence[bytes | memoryview],
) -> list[tuple[int, dict[str, Any]]]:
    """Verify, store once and apply a delivery of messages from other nodes, in order.

    Return (status, answer) per message: the signed receipt (200), also for a repeated delivery
    of a stored message, or the JSON error shape naming the reason for a refusal, which is kept
    in the message log. The new messages of a delivery are stored, applied, logged and audited
    in one transaction (one lock of each chain's head for all of them), so a node takes a batch
    at far less cost per message than one message per request.
    """
    items = [_Item(raw) for raw in raws]
    try:
        _receive(items)
    except Exception as exc:
        # Nothing of the delivery was kept. Taken one by one, each message is answered as
        # stored, as a repeat or as refused on its own, and one that cannot be stored fails
        # alone (the sender retries it) instead of holding back the others.
        concurrent = isinstance(exc, IntegrityError)  # another request stored one just now
        if len(raws) > 1:
            if not concurrent:
                logger.exception("a delivery of %d messages failed; one by one now", len(raws))
            return [_alone(raw) for raw in raws]
        if concurrent:
            message_id = items[0].checked_header["message_id"]
            return [(200, InboxMessage.objects.get(message_id=message_id).receipt)]
        raise
    answers: list[tuple[int, dict[str, Any]]] = []
    for item in items:
        if item.twin is not None and item.twin.refusal is not None:
            # The first copy was refused for its own bytes (say, a tampered part): this copy
            # is judged on its own.
            answers.append(_alone(item.raw))
            continue
        if item.twin is not None:
            item.answer = item.twin.answer
        if item.refusal is not None:
            refusal = item.refusal
            answers.append(
                (REFUSAL_STATUS.get(refusal.code, 400), error_body(refusal.code, str(refusal)))
            )
        else:
            answers.append((200, item.receipt))
    return answers


def _alone(raw: bytes | memoryview) -> tuple[int, dict[str, Any]]:
    try:
        return do_receive_messages([raw])[0]
    except Exception:
        logger.exception("a message of a delivery could not be stored")
        return 500, error_body(
            "internal_error", "The message could not be stored; send it again later."
        )


def do_receive_message(raw: bytes | memoryview) -> tuple[int, dict[str, Any]]:
    """Verify, store once and apply one message from another node; return (status, answer)."""
    return do_receive_messages([raw])[0]


def do_refuse_unread(
    size: int, *, code: str = "too_large", reason: str = ""
) -> tuple[int, dict[str, Any]]:
    """Refuse a message or a delivery without reading it, and log the refusal.

    For one that exceeds the limits (`too_large`) or a delivery that holds no message
    (`malformed`).
    """
    exc = EnvelopeError(
        code, reason or f"The message exceeds {settings.TIPNET_EXCHANGE_MAX_MB} MB."
    )
    log.append("rejected", reason=exc.code, message=str(exc), size=size)
    record("exchange:message:reject", agency=settings.TIPNET_NODE_ID, reason=exc.code, size=size)
    logger.warning("refused %d bytes unread: %s", size, exc)
    return REFUSAL_STATUS[exc.code], error_body(exc.code, str(exc))


# ---------------------------------------------------------------- the outbox worker's writes


def do_lease_messages(
    due: QuerySet[OutboxMessage], limit: int, lease: Callable[[int], timedelta]
) -> list[int]:
    """Lease up to `limit` rows of the due outbox query `due` to this worker; return their ids.

    `SELECT ... FOR UPDATE SKIP LOCKED` lets several workers share the outbox; `lease(count)` is
    how long the batch is theirs. One audit event records the lease of the whole batch.
    """
    with transaction.atomic():
        ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids).update(
            state=OutboxMessage.State.SENT,
            lease_until=timezone.now() + lease(len(ids)),
            attempts=F("attempts") + 1,
        )
        record("exchange:outbox:lease", agency=settings.TIPNET_NODE_ID, count=len(ids))
    return ids


def do_give_up(outbox: OutboxMessage, reason: str) -> None:
    """Give up delivering `outbox`: not-delivered evidence in the log and the audit, an alert."""
    with transaction.atomic():
        outbox.state, outbox.last_error, outbox.lease_until = (
            OutboxMessage.State.NOT_DELIVERED,
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


def do_retry_later(outbox: OutboxMessage, error: str) -> None:
    """Schedule another attempt with backoff, or give up once the delivery timeout passed."""
    age = (timezone.now() - outbox.created_at).total_seconds()
    if age >= settings.TIPNET_EXCHANGE_DELIVERY_TIMEOUT:
        do_give_up(outbox, f"no receipt after {int(age)} s; last error: {error}")
        return
    delay = min(
        settings.TIPNET_EXCHANGE_RETRY_BASE * 2 ** max(outbox.attempts - 1, 0),
        settings.TIPNET_EXCHANGE_RETRY_MAX,
    )
    with transaction.atomic():
        outbox.state, outbox.last_error, outbox.lease_until = (
            OutboxMessage.State.SEND_FAILED,
            error[:500],
            None,
        )
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
        record(
            "exchange:message:send_failed",
            obj=outbox,
            agency=settings.TIPNET_NODE_ID,
            to=outbox.recipient,
            attempt=outbox.attempts,
        )


def do_record_deliveries(done: list[tuple[OutboxMessage, dict[str, Any], dict[str, Any]]]) -> None:
    """Record the signed receipts of a batch: states, message-log records and audit events in one
    transaction (one lock of each chain's head for the whole batch)."""
    if not done:
        return
    now = timezone.now()
    with transaction.atomic():
        for outbox, receipt, _body in done:
            outbox.state, outbox.receipt, outbox.lease_until = (
                OutboxMessage.State.DELIVERED,
                receipt,
                None,
            )
            outbox.delivered_at, outbox.last_error = now, ""
        # What all of them share in one plain update; only the receipts differ from row to row,
        # and bulk_update builds a CASE branch per row and field, so it gets that one field.
        OutboxMessage.objects.filter(pk__in=[outbox.pk for outbox, _, _ in done]).update(
            state=OutboxMessage.State.DELIVERED, lease_until=None, delivered_at=now, last_error=""
        )
        OutboxMessage.objects.bulk_update([outbox for outbox, _, _ in done], ["receipt"])
        log.append_many(
            [
                (
                    "delivered",
                    outbox.message_id,
                    outbox.type,
                    outbox.recipient,
                    {"receipt": receipt["signature"], "received_at": body.get("received_at", "")},
                )
                for outbox, receipt, body in done
            ]
        )
        record_many(
            [
                {
                    "tag": "exchange:message:deliver",
                    "obj": outbox,
                    "agency": settings.TIPNET_NODE_ID,
                    "to": outbox.recipient,
                }
                for outbox, _receipt, _body in done
            ]
        )
        for outbox, receipt, _body in done:
            transaction.on_commit(
                partial(message_delivered.send, OutboxMessage, outbox=outbox, receipt=receipt)
            )
