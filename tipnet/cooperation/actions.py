"""Writes to police-to-police threads. Each `do_*` validates, saves in one transaction, queues
its message there (the transactional outbox) and records an audit event.

Invalid input raises django.core.exceptions.ValidationError before anything is stored. Audit
events carry ids, codes and node ids, never names.
"""

import hashlib
import json
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.cases import actions as cases
from tipnet.cases.models import Case, CasePerson, Person
from tipnet.cases.validation import parse_partial_date, sniff_content_type
from tipnet.directory.models import Agency as DirectoryAgency
from tipnet.directory.models import AgencyType
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.envelope import Attachment as WireFile
from tipnet.exchange.registry import RegistryError, current, in_network
from tipnet.lib import onward

from . import codes, link
from .access import pickable_persons, thread_refusal
from .models import (
    Attachment,
    Consent,
    Direction,
    Item,
    Kind,
    Message,
    MessageKind,
    Priority,
    ReadMark,
    Thread,
)

# Police information requests: 8 hours when urgent, 7 days otherwise (Directive 2023/977 pattern,
# reference/cooperation-and-mla.md 6(b)); the sender may set its own deadline.
DEFAULT_DEADLINE = {
    Priority.ROUTINE: timedelta(days=7),
    Priority.URGENT: timedelta(hours=8),
    Priority.VERY_URGENT: timedelta(hours=8),
}
SUBJECT, BODY = 300, 20000


# Directory agencies of these types receive police messages (police-to-police cooperation
# includes the prosecutors who lead investigations in the CIS states).
RECEIVING_TYPES = (AgencyType.POLICE, AgencyType.PROSECUTOR)


def _member_nodes() -> list:
    if not in_network():
        return []
    try:
        return sorted(current().nodes.values(), key=lambda n: n.id)
    except RegistryError:
        return []


def addressees() -> list[tuple[str, str, str]]:
    """(node id, agency, label) of every agency a police message may be addressed to now.

    Each other member node that may receive now is listed with the agency the signed registry
    names for it (agency ""), then the police and prosecution agencies the directory places on
    it: those that run it (their node id), and, when the node is its country's only member, the
    agencies of that country that run no node of their own.
    """
    nodes, now = _member_nodes(), timezone.now()
    per_country = Counter(n.country for n in nodes)
    found = []
    for node in nodes:
        if node.id == settings.TIPNET_NODE_ID or node.problem(now):
            continue
        found.append((node.id, "", f"{node.agency} ({node.id})"))
        hosted = DirectoryAgency.objects.filter(kind__in=RECEIVING_TYPES).filter(
            Q(node_id=node.id) | Q(node_id="", country_id=node.country)
            if per_country[node.country] == 1
            else Q(node_id=node.id)
        )
        names = sorted({a.name_en for a in hosted} - {node.agency})
        found += [(node.id, name, f"{name} ({node.id})") for name in names]
    return found


def recipient_value(node: str, agency: str = "") -> str:
    """The form's value for an agency on a node: the node id, then "/" and the agency if any."""
    return f"{node}/{agency}" if agency else node


def split_recipient(value: str) -> tuple[str, str]:
    """(node id, agency) of a form value made by `recipient_value`."""
    node, _sep, agency = (value or "").partition("/")
    return node, agency


def recipients() -> list[tuple[str, str]]:
    """(form value, label) of every agency a police message may be addressed to now."""
    return [(recipient_value(node, agency), label) for node, agency, label in addressees()]


def _check_recipient(node_id: str, agency: str = "") -> tuple[str, str]:
    """(node id, agency name) of a valid addressee; ValidationError naming what is wrong."""
    listed = addressees()
    if node_id not in {node for node, _agency, _label in listed}:
        raise ValidationError({"recipient": _("Choose a member node of the network.")})
    if agency:
        if (node_id, agency) not in {(node, name) for node, name, _label in listed}:
            raise ValidationError(
                {
                    "recipient": _(
                        "%(agency)s is not an agency the directory lists on node %(node)s."
                    )
                    % {"agency": agency, "node": node_id}
                }
            )
        return node_id, agency
    registry = next(label for node, name, label in listed if node == node_id and not name)
    return node_id, registry.rsplit(" (", 1)[0]


def _clean_text(value: str, field: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return text


def clean_files(files) -> list[tuple[str, str, bytes]]:
    """(name, sniffed type, bytes) of each upload; ValidationError when too many, too large,
    empty or of a type that is not accepted (judged by the bytes, not the name)."""
    files = list(files or [])
    if len(files) > link.MAX_FILES:
        raise ValidationError({"files": _("At most %(n)d files.") % {"n": link.MAX_FILES}})
    cleaned = []
    for name, data in files:
        if not data:
            raise ValidationError({"files": _("The file is empty.")})
        if len(data) > link.MAX_FILE_BYTES:
            raise ValidationError({"files": _("The file is larger than the limit.")})
        kind = sniff_content_type(data)
        if kind is None:
            raise ValidationError({"files": _("This type of file is not accepted.")})
        cleaned.append((str(name)[-200:] or "file", kind, bytes(data)))
    return cleaned


def _item_data(row: CasePerson, identifier_ids: set[int]) -> dict:
    person = row.person
    return {
        "full_name": person.full_name,
        "sex": person.sex,
        "birth": person.birth_display,
        "citizenships": list(person.citizenships),
        "role": row.role,
        "chain_role": row.chain_role,
        "identifiers": [
            {"kind": i.kind, "value": i.value, "country": i.country}
            for i in person.identifiers.all()
            if i.pk in identifier_ids
        ],
    }


def pick_items(actor, case: Case | None, row_ids, identifier_ids) -> list[tuple[CasePerson, dict]]:
    """The chosen persons of `case` with their chosen identifiers, as items to send.

    ValidationError when a row is not a person of the case the actor may pick, or when a
    handling code on a person forbids including it in a message.
    """
    wanted = {int(r) for r in row_ids or []}
    if not wanted:
        return []
    if case is None:
        raise ValidationError({"persons": _("Persons are picked from a case.")})
    rows = {r.pk: r for r in pickable_persons(actor, case).filter(pk__in=wanted)}
    if set(rows) != wanted:
        raise ValidationError({"persons": _("Choose persons of this case.")})
    reason = onward.refusal("message", person_ids=[r.person_id for r in rows.values()])
    if reason:
        raise ValidationError({"persons": reason})
    chosen = {int(i) for i in identifier_ids or []}
    own = {i.pk for r in rows.values() for i in r.person.identifiers.all()}
    if not chosen <= own:
        raise ValidationError({"identifiers": _("Choose identifiers of the chosen persons.")})
    return [(rows[pk], _item_data(rows[pk], chosen)) for pk in sorted(rows)]


def _payload(thread: Thread, message: Message, items: list[dict]) -> dict:
    body: dict[str, Any] = {
        "schema": link.SCHEMA,
        "thread": str(thread.uid),
        "message": str(message.uid),
        "kind": message.kind,
        "sender_name": message.sender_name,
        "body": message.body,
        "items": items,
    }
    if message.kind == MessageKind.OPENING:
        body.update(
            thread_kind=thread.kind,
            reference=thread.reference,
            subject=thread.subject,
            priority=thread.priority,
            deadline=thread.deadline.isoformat() if thread.deadline else None,
            handling_code=thread.handling_code,
            from_agency=thread.agency.name,
            to_agency=thread.counterpart_agency,
        )
    return body


def _send(actor, thread: Thread, message: Message, items: list[dict], files=(), kind=None):
    """Queue `message` of `thread` to its counterpart node (inside the caller's transaction)."""
    wire = [WireFile(name, content_type, data) for name, content_type, data in files]
    try:
        outbox = queue(
            actor,
            kind or link.MESSAGE,
            thread.counterpart_node,
            _payload(thread, message, items),
            wire,
            conversation_id=str(thread.uid),
            handling={"code": thread.handling_code},
        )
    except (ExchangeError, RegistryError) as exc:
        raise ValidationError(
            {"recipient": _("The message cannot be sent: %(reason)s.") % {"reason": exc}}
        ) from exc
    message.outbox_id = str(outbox.message_id)
    message.save(update_fields=["outbox_id"])


def _store(message: Message, items, files) -> None:
    for position, (row, data) in enumerate(items):
        Item.objects.create(
            message=message,
            position=position,
            data=json.dumps(data, ensure_ascii=False),
            source_case_person=row,
        )
    for name, content_type, data in files:
        Attachment.objects.create(
            message=message,
            filename=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=data,
        )


def _deadline(kind: str, priority: str, deadline: datetime | None) -> datetime | None:
    if kind != Kind.REQUEST:
        return None
    if deadline is not None:
        if deadline <= timezone.now():
            raise ValidationError({"deadline": _("The deadline must be in the future.")})
        return deadline
    return timezone.now() + DEFAULT_DEADLINE[Priority(priority)]


def _reference(direction: str, uid: uuid.UUID) -> str:
    return f"COOP-{'OUT' if direction == Direction.OUTGOING else 'IN'}-{uid.hex[:12].upper()}"


def do_send(
    actor,
    case: Case | None,
    *,
    kind: str,
    recipient: str,
    agency: str = "",
    subject: str,
    body: str = "",
    priority: str = Priority.ROUTINE,
    deadline: datetime | None = None,
    handling_code: str = "",
    person_ids=(),
    identifier_ids=(),
    files=(),
    forwarded_from: Thread | None = None,
    forwarded_items: list[dict] | None = None,
) -> Thread:
    """Open a thread from `case` to `agency` on the node `recipient` and queue its first message.

    `recipient` may also be a form value "NODE/Agency" (see `recipient_value`); an empty agency
    addresses the agency the registry names for the node.

    Raises ValidationError (nothing stored or queued) when a field is invalid, a person is not
    the case's, a handling code forbids including a person, or the message cannot be queued.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the type of message.")})
    if priority not in Priority.values:
        raise ValidationError({"priority": _("Choose a priority.")})
    code = handling_code or codes.default()
    if codes.get(code) is None:
        raise ValidationError({"handling_code": _("Choose a handling code.")})
    if not agency:
        recipient, agency = split_recipient(recipient)
    recipient, agency = _check_recipient(recipient, agency)
    subject = _clean_text(subject, "subject", SUBJECT)
    body = _clean_text(body, "body", BODY, required=False)
    items: list[tuple[CasePerson | None, dict]] = [
        *pick_items(actor, case, person_ids, identifier_ids),
        *((None, data) for data in forwarded_items or []),
    ]
    files = clean_files(files)
    uid = uuid.uuid4()
    with transaction.atomic():
        thread = Thread.objects.create(
            uid=uid,
            direction=Direction.OUTGOING,
            kind=kind,
            reference=_reference(Direction.OUTGOING, uid),
            agency=actor.agency,
            case=case,
            counterpart_node=recipient,
            counterpart_agency=agency,
            subject=subject,
            priority=priority,
            deadline=_deadline(kind, priority, deadline),
            handling_code=code,
            forwarded_from=forwarded_from,
            assigned_to=actor,
        )
        message = Message.objects.create(
            thread=thread,
            direction=Direction.OUTGOING,
            kind=MessageKind.OPENING,
            body=body,
            sender_name=actor.display_name(),
            sent_by=actor,
        )
        _store(message, items, files)
        _send(actor, thread, message, [data for _row, data in items], files)
        record(
            "cooperation:thread:send",
            actor=actor,
            obj=thread,
            kind=kind,
            to=recipient,
            to_agency=agency,
            code=code,
            case_id=case.pk if case else None,
            persons=len(items),
            files=len(files),
        )
    return thread


def do_reply(actor, thread: Thread, body: str, person_ids=(), identifier_ids=(), files=()):
    """Add a reply to `thread` (persons picked from its case, if it has one) and queue it."""
    if thread.is_closed:
        raise ValidationError({"body": _("The thread is closed.")})
    body = _clean_text(body, "body", BODY)
    items = pick_items(actor, thread.case, person_ids, identifier_ids)
    files = clean_files(files)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread,
            direction=Direction.OUTGOING,
            kind=MessageKind.REPLY,
            body=body,
            sender_name=actor.display_name(),
            sent_by=actor,
        )
        _store(message, items, files)
        _send(actor, thread, message, [data for _row, data in items], files)
        _touch(thread)
        record(
            "cooperation:thread:reply",
            actor=actor,
            obj=thread,
            persons=len(items),
            files=len(files),
        )
    return message


def _touch(thread: Thread) -> None:
    thread.updated_at = timezone.now()
    thread.save(update_fields=["updated_at"])


def received_items(thread: Thread) -> list[dict]:
    """The persons the other node sent in `thread`, as sent."""
    items = Item.objects.filter(message__thread=thread, message__direction=Direction.INCOMING)
    return [json.loads(item.data) for item in items]


def received_files(thread: Thread) -> list[tuple[str, bytes]]:
    """The files the other node sent in `thread` (name, bytes), in the order they came."""
    files = Attachment.objects.filter(message__thread=thread, message__direction=Direction.INCOMING)
    return [(f.filename, f.content) for f in files]


def do_forward(actor, thread: Thread, *, recipient: str, body: str = "") -> Thread:
    """Forward what `thread` brought in (text, persons and files) to another node, as a new
    spontaneous information under the same handling code; refused (ValidationError) when the
    code forbids it without consent."""
    reason = thread_refusal(thread, "forward")
    if reason:
        raise ValidationError({"recipient": reason})
    if split_recipient(recipient)[0] == thread.counterpart_node:
        raise ValidationError({"recipient": _("Choose a node other than the sender's.")})
    return do_send(
        actor,
        None,
        kind=Kind.SPONTANEOUS,
        recipient=recipient,
        subject=thread.subject,
        body=body or next((m.body for m in thread.messages.all()[:1]), ""),
        handling_code=thread.handling_code,
        forwarded_from=thread,
        forwarded_items=received_items(thread),
        files=received_files(thread),
    )


def do_export(actor, thread: Thread) -> tuple[str, bytes]:
    """The thread as a JSON file (name, bytes); refused when its handling code forbids export."""
    reason = thread_refusal(thread, "export")
    if reason:
        raise ValidationError({"thread": reason})
    data = {
        "reference": thread.reference,
        "their_reference": thread.counterpart_ref,
        "type": thread.kind,
        "node": thread.counterpart_node,
        "agency": thread.counterpart_agency,
        "subject": thread.subject,
        "handling_code": thread.handling_code,
        "messages": [
            {
                "direction": m.direction,
                "kind": m.kind,
                "from": m.sender_name,
                "at": m.created_at.isoformat(),
                "text": m.body,
                "persons": [json.loads(i.data) for i in m.items.all()],
            }
            for m in thread.messages.all()
        ],
    }
    record("cooperation:thread:export", actor=actor, obj=thread)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return f"{thread.reference}.json", content


def do_request_consent(actor, thread: Thread, body: str) -> Message:
    """Ask the other node's consent to pass on what it sent in `thread`."""
    if not thread.messages.filter(direction=Direction.INCOMING).exists():
        raise ValidationError({"body": _("Nothing in this thread came from the other node.")})
    if thread.consent in (Consent.REQUESTED, Consent.GRANTED):
        raise ValidationError({"body": _("Consent is already asked for or given.")})
    return _consent_message(actor, thread, MessageKind.CONSENT_REQUEST, body, Consent.REQUESTED)


def do_answer_consent(actor, thread: Thread, granted: bool, body: str = "") -> Message:
    """Give or refuse the consent the other node asked for in `thread`."""
    last = thread.messages.exclude(kind__in=[MessageKind.OPENING, MessageKind.REPLY]).last()
    if last is None or last.kind != MessageKind.CONSENT_REQUEST or last.direction != "incoming":
        raise ValidationError({"body": _("No consent is asked for in this thread.")})
    kind = MessageKind.CONSENT_GRANTED if granted else MessageKind.CONSENT_REFUSED
    return _consent_message(
        actor, thread, kind, body, Consent.GRANTED if granted else Consent.REFUSED
    )


def _consent_message(actor, thread: Thread, kind: str, body: str, state: str) -> Message:
    body = _clean_text(body, "body", BODY, required=kind == MessageKind.CONSENT_REQUEST)
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread,
            direction=Direction.OUTGOING,
            kind=kind,
            body=body,
            sender_name=actor.display_name(),
            sent_by=actor,
        )
        _send(actor, thread, message, [], kind=link.CONSENT)
        thread.consent = state
        thread.updated_at = timezone.now()
        thread.save(update_fields=["consent", "updated_at"])
        record("cooperation:consent:send", actor=actor, obj=thread, kind=kind)
    return message


def do_assign(actor, thread: Thread, officer) -> Thread:
    """Give `thread` to an officer of its agency (or to nobody, with None)."""
    if officer is not None and not (
        officer.agency_id == thread.agency_id and officer.has_role("investigator", "prosecutor")
    ):
        raise ValidationError({"officer": _("Choose an officer of this agency.")})
    with transaction.atomic():
        thread.assigned_to = officer
        thread.save(update_fields=["assigned_to"])
        record("cooperation:thread:assign", actor=actor, obj=thread, officer=officer and officer.pk)
    return thread


def do_mark_read(actor, thread: Thread) -> None:
    """Record that `actor` has read `thread` as it is now (reading is audited)."""
    with transaction.atomic():
        ReadMark.objects.update_or_create(
            thread=thread, user=actor, defaults={"read_at": timezone.now()}
        )
        record("cooperation:thread:read", actor=actor, obj=thread)


def do_attach_item(actor, item: Item, case: Case, *, person: Person | None = None, role: str = ""):
    """Put a received person into a case of this node: link `person` (already in `case`) or
    create a new person with the item's name, birth date and identifiers, keeping the origin.

    Returns the case person row. ValidationError when the item was already attached, did not
    arrive from the other node, or the case is not the actor's agency's.
    """
    if item.message.direction != Direction.INCOMING:
        raise ValidationError({"case": _("Only what the other node sent can be attached.")})
    if item.attached_at is not None:
        raise ValidationError({"case": _("This person is already attached to a case.")})
    if case.agency_id != actor.agency_id or case.is_closed:
        raise ValidationError({"case": _("Choose an open case of your agency.")})
    data = json.loads(item.data)
    role = role or (data.get("role") if data.get("role") in ("suspect", "witness") else "other")
    with transaction.atomic():
        if person is None:
            person = _new_person(actor, data)
        elif not case.case_persons.filter(person=person).exists():
            raise ValidationError({"person": _("Choose a person of this case.")})
        row = case.case_persons.filter(person=person).first()
        if row is None:
            chain = data.get("chain_role", "") if role == "suspect" else ""
            row = cases.do_add_person_to_case(actor, case, person, role, chain)
        item.attached_case, item.attached_person = case, person
        item.attached_by, item.attached_at = actor, timezone.now()
        item.save(update_fields=["attached_case", "attached_person", "attached_by", "attached_at"])
        thread = item.message.thread
        record(
            "cooperation:item:attach",
            actor=actor,
            obj=item,
            case_id=case.pk,
            person_id=person.pk,
            from_node=thread.counterpart_node,
            reference=thread.counterpart_ref,
            code=thread.handling_code,
        )
    return row


def _new_person(actor, data: dict) -> Person:
    try:
        birth = parse_partial_date(data.get("birth", ""))
    except ValidationError:
        birth = None
    sex = str(data.get("sex")) if data.get("sex") in ("male", "female", "other") else "unknown"
    person = cases.do_create_person(
        actor,
        full_name=data["full_name"],
        sex=sex,
        birth=birth,
        citizenships=data.get("citizenships", []),
    )
    for ident in data.get("identifiers", []):
        try:
            cases.do_add_identifier(
                actor, person, ident["kind"], ident["value"], ident.get("country", "")
            )
        except ValidationError:
            # An identifier this node's rules refuse stays readable in the message only.
            continue
    return person
