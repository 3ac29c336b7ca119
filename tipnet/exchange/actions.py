"""The only code that writes exchange records. Every do_* appends to the message log and audits."""

import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tipnet.audit.actions import record
from tipnet.lib.errors import error_body

from . import envelope, log
from .envelope import Attachment, EnvelopeError, Message
from .handlers import HandlerError, RetryLater, handler_for
from .keys import load_keys
from .models import InboxAttachment, InboxMessage, OutboxMessage
from .registry import RegistryError, current

logger = logging.getLogger("tipnet.exchange")


class ExchangeError(Exception):
    """A message cannot be queued (unknown or revoked recipient, no registry, too large)."""


def max_bytes() -> int:
    return settings.TIPNET_EXCHANGE_MAX_MB * 1024 * 1024


def _recipient_node(recipient: str):
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


def do_queue_message(
    actor,
    message_type: str,
    recipient: str,
    payload: dict,
    attachments: list[Attachment] | None = None,
    conversation_id: str = "",
    in_reply_to: str = "",
    handling: dict | None = None,
) -> OutboxMessage:
    """Seal a message to `recipient` and put it in the outbox for the worker to deliver.

    Raises ExchangeError when the recipient is not a valid member or the message is too large.
    """
    node = _recipient_node(recipient)
    message = Message(
        type=message_type,
        sender=settings.TIPNET_NODE_ID,
        recipient=recipient,
        payload=payload,
        attachments=attachments or [],
        conversation_id=conversation_id,
        in_reply_to=in_reply_to,
        handling=handling or {},
    )
    wire = envelope.seal(message, load_keys().signing, node.encryption_key)
    if len(wire) > max_bytes():
        raise ExchangeError(f"the message is larger than {settings.TIPNET_EXCHANGE_MAX_MB} MB")
    header = json.loads(wire)["header"]
    now = timezone.now()
    with transaction.atomic():
        outbox = OutboxMessage.objects.create(
            message_id=message.message_id,
            conversation_id=header["conversation_id"],
            in_reply_to=in_reply_to,
            type=message_type,
            recipient=recipient,
            state=OutboxMessage.State.QUEUED,
            wire=wire,
            header_sha256=envelope.header_hash(header),
            attachment_names=[a.filename for a in message.attachments],
            created_at=now,
            next_attempt_at=now,
        )
        log.append(
            "queued", message.message_id, message_type, recipient, header=outbox.header_sha256
        )
        record("exchange:message:queue", actor=actor, obj=outbox, type=message_type, to=recipient)
    return outbox


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


def _verified_sender(header: dict):
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


def _store(message: Message, parts: dict, receipt: dict) -> InboxMessage:
    header = parts["header"]
    inbox = InboxMessage.objects.create(
        message_id=message.message_id,
        conversation_id=message.conversation_id,
        in_reply_to=message.in_reply_to,
        type=message.type,
        sender=message.sender,
        header=header,
        header_sha256=envelope.header_hash(header),
        payload=message.payload,
        receipt=receipt,
        received_at=timezone.now(),
        state=InboxMessage.State.PENDING,
    )
    InboxAttachment.objects.bulk_create(
        InboxAttachment(
            message=inbox,
            position=i,
            filename=a.filename[:255],
            content_type=a.content_type[:100],
            sha256=envelope.sha256(a.content),
            content=a.content,
        )
        for i, a in enumerate(message.attachments)
    )
    return inbox


def _apply(inbox: InboxMessage, message: Message) -> None:
    handler = handler_for(message.type)
    if handler is None:
        inbox.state = InboxMessage.State.UNHANDLED
        return
    try:
        with transaction.atomic():
            handler(message)
        inbox.state = InboxMessage.State.HANDLED
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


def _previous(header: dict) -> dict | None:
    existing = InboxMessage.objects.filter(message_id=header["message_id"]).first()
    if existing is None:
        return None
    if existing.header_sha256 != envelope.header_hash(header):
        raise EnvelopeError("replay_conflict", "Another message with this message_id was received.")
    log.append("duplicate", header["message_id"], header["type"], header["sender"])
    return existing.receipt


def _accept(parts: dict) -> dict:
    header = parts["header"]
    sender = _verified_sender(header)
    envelope.verify_signature(parts, sender.signing_key)
    if header["recipient"] != settings.TIPNET_NODE_ID:
        raise EnvelopeError(
            "wrong_recipient", f"This node is {settings.TIPNET_NODE_ID}, not {header['recipient']}."
        )
    previous = _previous(header)
    if previous is not None:
        return previous
    envelope.check_fresh(
        header, settings.TIPNET_EXCHANGE_MAX_AGE, settings.TIPNET_EXCHANGE_CLOCK_SKEW
    )
    keys = load_keys()
    message = envelope.decrypt(parts, keys.encryption)
    receipt = envelope.make_receipt(header, settings.TIPNET_NODE_ID, keys.signing)
    with transaction.atomic():
        inbox = _store(message, parts, receipt)
        _apply(inbox, message)
        inbox.save(update_fields=["state", "error"])
        log.append(
            "received",
            message.message_id,
            message.type,
            message.sender,
            header=inbox.header_sha256,
            receipt=receipt["signature"],
            state=inbox.state,
        )
        record(
            "exchange:message:receive",
            obj=inbox,
            agency=settings.TIPNET_NODE_ID,
            type=message.type,
            sender=message.sender,
        )
    return receipt


def _refuse(exc: EnvelopeError, raw: bytes, header: dict | None) -> None:
    header = header if isinstance(header, dict) else {}
    log.append(
        "rejected",
        str(header.get("message_id", ""))[:64],
        str(header.get("type", ""))[:64],
        str(header.get("sender", ""))[:32],
        reason=exc.code,
        message=str(exc),
        body_sha256=envelope.sha256(raw),
        size=len(raw),
    )
    logger.warning("refused a message: %s (%s)", exc.code, exc)


def do_receive_message(raw: bytes) -> tuple[int, dict]:
    """Verify, store once and apply a message from another node; return (status, answer).

    The answer is the signed receipt (200), also for a repeated delivery of a stored message, or
    the JSON error shape naming the reason for a refusal, which is kept in the message log.
    """
    header = None
    try:
        if len(raw) > max_bytes():
            raise EnvelopeError(
                "too_large", f"The message exceeds {settings.TIPNET_EXCHANGE_MAX_MB} MB."
            )
        parts = envelope.parse(raw)
        header = parts["header"]
        try:
            return 200, _accept(parts)
        except IntegrityError:
            # The same message arrived twice at once; the first stored it, this one answers alike.
            return 200, InboxMessage.objects.get(message_id=header["message_id"]).receipt
    except EnvelopeError as exc:
        _refuse(exc, raw, header)
        record("exchange:message:reject", agency=settings.TIPNET_NODE_ID, reason=exc.code)
        return REFUSAL_STATUS.get(exc.code, 400), error_body(exc.code, str(exc))


def do_refuse_too_large(size: int) -> tuple[int, dict]:
    """Refuse a message larger than TIPNET_EXCHANGE_MAX_MB unread, and log the refusal."""
    exc = EnvelopeError("too_large", f"The message exceeds {settings.TIPNET_EXCHANGE_MAX_MB} MB.")
    log.append("rejected", reason=exc.code, message=str(exc), size=size)
    record("exchange:message:reject", agency=settings.TIPNET_NODE_ID, reason=exc.code, size=size)
    logger.warning("refused a message of %d bytes: too large", size)
    return REFUSAL_STATUS[exc.code], error_body(exc.code, str(exc))
