"""What arrives: a thread's opening, a reply, a consent request or answer from another node.

Each function checks the payload (link.validate), stores it once (a message uid already stored
changes nothing) and audits the arrival with the sending node. A message of a thread this node
does not hold yet raises NotYet, which the handler turns into RetryLater.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tipnet.accounts.models import Agency
from tipnet.audit.actions import record
from tipnet.cases.validation import sniff_content_type
from tipnet.exchange import handlers
from tipnet.exchange.actions import queue
from tipnet.exchange.envelope import Message as Envelope
from tipnet.exchange.registry import RegistryError, current

from . import codes, link
from .models import Attachment, Consent, Direction, Item, Kind, Message, MessageKind, Thread


class NotYet(Exception):
    """The message belongs to a thread whose opening has not arrived yet."""


class Unroutable(Exception):
    """The opening names an agency that does not receive police messages on this node."""


def _registry_agency() -> str:
    try:
        node = current().nodes.get(settings.TIPNET_NODE_ID)
    except RegistryError:
        return ""
    return node.agency if node else ""


def _receiving_agency(addressed: str = "") -> Agency:
    # Police messages go to an agency with investigators: the one the sender addressed (by its
    # code, its name or its directory entry's English name). An opening addressed to the node
    # as the registry names it (or to nobody, from an older sender) goes to the agency named
    # like the node (KG-GPO on node KG-GPO), else the first agency by code.
    police = Agency.objects.filter(
        is_active=True, users__is_active=True, users__roles__role="investigator"
    ).distinct()
    if addressed:
        named = Q(code=addressed) | Q(name=addressed) | Q(directory_agency__name_en=addressed)
        agency = police.filter(named).order_by("code").first()
        if agency is not None:
            return agency
        if addressed != _registry_agency():
            raise Unroutable(
                f"no agency named {addressed!r} receives police messages on node "
                f"{settings.TIPNET_NODE_ID}"
            )
    agency = police.filter(code=settings.TIPNET_NODE_ID).first() or police.order_by("code").first()
    if agency is None:
        raise ValueError("this node has no investigators to receive police messages")
    return agency


def _files(envelope: Envelope) -> list[tuple[str, str, bytes]]:
    if len(envelope.attachments) > link.MAX_FILES:
        raise ValueError(f"at most {link.MAX_FILES} attachments")
    files = []
    for a in envelope.attachments:
        if len(a.content) > link.MAX_FILE_BYTES:
            raise ValueError("an attachment is larger than the limit")
        kind = sniff_content_type(a.content)
        if kind is None:
            raise ValueError("an attachment is of a type that is not accepted")
        files.append((str(a.filename)[-200:] or "file", kind, a.content))
    return files


def _items(data: link.MessageIn) -> list[dict]:
    return [item.model_dump() for item in data.items]


def _store_message(thread, data, kind, files, items) -> Message:
    message = Message.objects.create(
        thread=thread,
        uid=data.message,
        direction=Direction.INCOMING,
        kind=kind,
        body=data.body,
        sender_name=data.sender_name,
    )
    for position, item in enumerate(items):
        Item.objects.create(
            message=message, position=position, data=json.dumps(item, ensure_ascii=False)
        )
    for name, content_type, content in files:
        Attachment.objects.create(
            message=message,
            filename=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
    return message


def _thread_of(data: link.MessageIn, node: str) -> Thread:
    thread = Thread.objects.select_for_update().filter(uid=data.thread, counterpart_node=node)
    found = thread.first()
    if found is None:
        raise NotYet("the thread of this message has not arrived yet")
    return found


def do_receive_message(envelope: Envelope) -> Message:
    """Store an opening (a new incoming thread) or a reply from `envelope.sender`.

    Idempotent on the message uid. Raises ValueError (nothing stored) when the payload is bad,
    NotYet when a reply's thread is not here yet.
    """
    node = envelope.sender
    data = link.validate(envelope.payload)
    if data.kind not in (MessageKind.OPENING, MessageKind.REPLY):
        raise ValueError("a cooperation.message is an opening or a reply")
    files = _files(envelope)
    with transaction.atomic():
        existing = Message.objects.filter(uid=data.message).first()
        if existing is not None:
            if existing.thread.counterpart_node != node:
                raise ValueError("a different message with this uid exists on this node")
            return existing
        if data.kind == MessageKind.OPENING:
            thread = _open_thread(data, node)
        else:
            thread = _thread_of(data, node)
            thread.updated_at = timezone.now()
            thread.save(update_fields=["updated_at"])
        message = _store_message(thread, data, data.kind, files, _items(data))
        record(
            "cooperation:message:receive",
            obj=thread,
            agency=thread.agency.code,
            from_node=node,
            kind=data.kind,
            persons=len(data.items),
            files=len(files),
        )
    return message


def _open_thread(data: link.MessageIn, node: str) -> Thread:
    if Thread.objects.filter(uid=data.thread, counterpart_node=node).exists():
        raise ValueError("this thread was already opened")
    if codes.get(data.handling_code) is None:
        raise ValueError(f"unknown handling code {data.handling_code!r}")
    uid = uuid.UUID(str(data.thread))
    return Thread.objects.create(
        uid=uid,
        direction=Direction.INCOMING,
        kind=data.thread_kind or Kind.SPONTANEOUS,
        reference=f"COOP-IN-{uid.hex[:12].upper()}",
        counterpart_ref=data.reference,
        agency=_receiving_agency(data.to_agency),
        counterpart_node=node,
        counterpart_agency=data.from_agency,
        subject=data.subject,
        priority=data.priority,
        deadline=data.deadline,
        handling_code=data.handling_code,
    )


CONSENT_STATE = {
    MessageKind.CONSENT_REQUEST: Consent.REQUESTED,
    MessageKind.CONSENT_GRANTED: Consent.GRANTED,
    MessageKind.CONSENT_REFUSED: Consent.REFUSED,
}


def do_receive_consent(envelope: Envelope) -> Message:
    """Store a consent request or answer for a thread shared with `envelope.sender`."""
    node = envelope.sender
    data = link.validate(envelope.payload)
    if data.kind not in CONSENT_STATE or data.items:
        raise ValueError("a cooperation.consent is a consent request or answer, without persons")
    with transaction.atomic():
        existing = Message.objects.filter(uid=data.message).first()
        if existing is not None:
            if existing.thread.counterpart_node != node:
                raise ValueError("a different message with this uid exists on this node")
            return existing
        thread = _thread_of(data, node)
        message = _store_message(thread, data, data.kind, [], [])
        thread.consent = CONSENT_STATE[data.kind]
        thread.updated_at = timezone.now()
        thread.save(update_fields=["consent", "updated_at"])
        record(
            "cooperation:consent:receive",
            obj=thread,
            agency=thread.agency.code,
            from_node=node,
            kind=data.kind,
        )
    return message


def do_refuse_opening(envelope: Envelope, reason: str) -> None:
    """Answer an opening this node cannot route with a `cooperation.refusal` naming `reason`.

    Nothing of the opening is kept but the exchange's sealed inbox copy; the refusal is queued
    in the inbox's transaction and audited.
    """
    data = link.validate(envelope.payload)
    payload = {
        "schema": link.SCHEMA,
        "thread": str(data.thread),
        "message": str(uuid.uuid4()),
        "kind": MessageKind.REFUSED,
        "body": reason,
    }
    queue(None, link.REFUSAL, envelope.sender, payload, conversation_id=str(data.thread))
    record(
        "cooperation:message:refuse",
        from_node=envelope.sender,
        thread=str(data.thread),
        to_agency=data.to_agency,
        reason=reason,
    )


def do_receive_refusal(envelope: Envelope) -> Message:
    """Record on the sending side that the other node refused an opening: the thread is closed
    and shows the reason. Idempotent on the message uid."""
    node = envelope.sender
    data = link.validate(envelope.payload)
    if data.kind != MessageKind.REFUSED or data.items:
        raise ValueError("a cooperation.refusal carries a reason only")
    with transaction.atomic():
        existing = Message.objects.filter(uid=data.message).first()
        if existing is not None:
            if existing.thread.counterpart_node != node:
                raise ValueError("a different message with this uid exists on this node")
            return existing
        thread = _thread_of(data, node)
        if thread.direction != Direction.OUTGOING:
            raise ValueError("only the node a thread was sent to refuses it")
        message = _store_message(thread, data, MessageKind.REFUSED, [], [])
        thread.is_closed, thread.updated_at = True, timezone.now()
        thread.save(update_fields=["is_closed", "updated_at"])
        record(
            "cooperation:thread:refused",
            obj=thread,
            agency=thread.agency.code,
            from_node=node,
            reason=data.body[:500],
        )
    return message


def receive_message(message: Envelope) -> None:
    """The handler of "cooperation.message"."""
    try:
        do_receive_message(message)
    except Unroutable as exc:
        do_refuse_opening(message, str(exc))
    except NotYet as exc:
        raise handlers.RetryLater(str(exc)) from exc
    except ValueError as exc:
        raise handlers.HandlerError(str(exc)) from exc


def receive_consent(message: Envelope) -> None:
    """The handler of "cooperation.consent"."""
    try:
        do_receive_consent(message)
    except NotYet as exc:
        raise handlers.RetryLater(str(exc)) from exc
    except ValueError as exc:
        raise handlers.HandlerError(str(exc)) from exc


def receive_refusal(message: Envelope) -> None:
    """The handler of "cooperation.refusal"."""
    try:
        do_receive_refusal(message)
    except NotYet as exc:
        raise handlers.HandlerError("a refusal of a thread this node never sent") from exc
    except ValueError as exc:
        raise handlers.HandlerError(str(exc)) from exc


def register() -> None:
    """Register the cooperation message types (from `CooperationConfig.ready()`)."""
    handlers.register(link.MESSAGE, receive_message, stored_payload=link.sealed_payload)
    handlers.register(link.CONSENT, receive_consent, stored_payload=link.sealed_payload)
    handlers.register(link.REFUSAL, receive_refusal, stored_payload=link.sealed_payload)
