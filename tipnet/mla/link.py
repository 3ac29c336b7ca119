"""MLA over the wire: the request as data, what each transition sends, and what arrives.

Sending. Every local transition queues its message inside its own transaction (`queue_*`,
called by `actions.do_submit` and `actions.do_transition`), so a transition and its message are
committed together or not at all:

* submit -> "mla.request" (the whole request, its letter attached) to the requested state's
  central-authority node in the registry, which becomes the request's counterpart node;
* every later transition -> "mla.transition" {uid, transition, fields} (result files attached)
  to the request's counterpart node.

All messages of one request share its uid as conversation id. A message that cannot be queued
(no such node, a revoked one, too large) refuses the transition with the reason; a node that is
in no network records its transitions locally and says in the audit log that nothing was sent.

Receiving. `register()` (called from `MlaConfig.ready()`) routes both types to handlers that
validate like forms do (pydantic; a ValueError with a clear message), store nothing partial, are
idempotent and write an audit event with the sending node in its detail. A transition that
overtakes an earlier message is refused for a retry (RetryLater); a message this app rejects is
kept by the exchange as failed, with the reason.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticError

from tipnet.audit.actions import record
from tipnet.exchange import handlers
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.envelope import Attachment, Message
from tipnet.exchange.registry import RegistryError, current, in_network

from . import lifecycle
from .enums import Confidentiality, Direction, PersonKind, Proceedings, State, Urgency
from .measures import MEASURES, clean_fields
from .models import MlaMeasure, MlaPerson, MlaRequest
from .transitions import (
    PERSON_FIELDS,
    apply_transition,
    check_transition,
    clean_transition_fields,
    local_side,
    store_files,
)

MLA_REQUEST = "mla.request"
MLA_TRANSITION = "mla.transition"

SCHEMA = "tipnet.mla.request/1"
MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
TEXT = 20000

REQUEST_FIELDS = (
    "requesting_authority",
    "requested_authority",
    "conducting_authority",
    "proceedings",
    "subject",
    "case_number",
    "legal_basis",
    "basis_rule",
    "language",
    "channel",
    "urgency",
    "deadline_reason",
    "confidentiality",
    "facts",
    "offences",
    "purpose",
    "procedures",
    "contact_name",
    "contact_email",
    "contact_phone",
    "assurances",
    "annexes",
    "signatory",
)


def request_payload(req: MlaRequest) -> dict:
    """The full request as JSON-able data (schema `tipnet.mla.request/1`)."""
    data = {name: getattr(req, name) for name in REQUEST_FIELDS}
    data.update(
        schema=SCHEMA,
        uid=str(req.uid),
        reference=req.reference,
        requesting_state=req.requesting_state,
        requested_state=req.requested_state,
        deadline=req.deadline.isoformat() if req.deadline else None,
        persons=[{n: getattr(p, n) for n in PERSON_FIELDS} for p in req.persons.all()],
        measures=[{"kind": m.kind, "fields": m.fields} for m in req.measures.all()],
    )
    return data


def _text(limit: int = TEXT):
    return Field(default="", max_length=limit)


class _Person(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: PersonKind
    full_name: str = Field(min_length=1, max_length=200)
    birth_date: str = _text(10)
    birth_place: str = _text(200)
    citizenship: str = _text(100)
    residence: str = _text(300)
    occupation: str = _text(200)
    parents_names: str = _text(300)


class _Measure(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(pattern="^(" + "|".join(MEASURES) + ")$")
    fields: dict[str, str]


class RequestIn(BaseModel):
    """The schema of an incoming request; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")
    schema_: str = Field(alias="schema", pattern=f"^{SCHEMA}$")
    uid: uuid.UUID
    reference: str = Field(min_length=1, max_length=80)
    requesting_state: str = Field(pattern="^[A-Z]{2}$")
    requested_state: str = Field(pattern="^[A-Z]{2}$")
    requesting_authority: str = Field(min_length=1, max_length=300)
    requested_authority: str = _text(300)
    conducting_authority: str = _text(500)
    proceedings: Proceedings | None = None
    subject: str = _text()
    case_number: str = _text(80)
    legal_basis: str = Field(min_length=1, max_length=80)
    basis_rule: str = _text()
    language: str = _text(3)
    channel: str = _text(20)
    urgency: Urgency = Urgency.ROUTINE
    deadline: date | None = None
    deadline_reason: str = _text()
    confidentiality: Confidentiality | None = None
    facts: str = _text()
    offences: str = _text()
    purpose: str = _text()
    procedures: str = _text()
    contact_name: str = _text(200)
    contact_email: str = _text(254)
    contact_phone: str = _text(32)
    assurances: str = _text()
    annexes: str = _text()
    signatory: str = _text(300)
    persons: list[_Person] = Field(default=[], max_length=200)
    measures: list[_Measure] = Field(min_length=1, max_length=50)

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("not an e-mail address") from None
        return value


def _validate(payload) -> RequestIn:
    if not isinstance(payload, dict):
        raise ValueError("an MLA request payload must be a JSON object")
    try:
        return RequestIn.model_validate(payload)
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"invalid MLA request: {where}: {first['msg']}") from None


def _check_attachments(attachments) -> list[tuple[str, str, bytes]]:
    files = list(attachments or [])
    if len(files) > MAX_ATTACHMENTS:
        raise ValueError(f"at most {MAX_ATTACHMENTS} attachments")
    for item in files:
        if not (len(item) == 3 and isinstance(item[2], bytes)):
            raise ValueError("an attachment is (filename, content_type, bytes)")
        if len(item[2]) > MAX_ATTACHMENT_BYTES:
            raise ValueError(f"attachment {str(item[0])[:80]} is too large")
    return [(str(n)[:200], str(t)[:100], c) for n, t, c in files]


def _check_node(from_node: str) -> str:
    node = str(from_node or "").strip()
    if not node or len(node) > 64:
        raise ValueError("the sending node id is missing or too long")
    return node


def do_receive_request(payload, attachments, from_node: str) -> MlaRequest:
    """Register a request sent by `from_node` as an incoming request in state "submitted".

    Idempotent on uid: a repeat from the same node returns the stored request unchanged.
    Raises ValueError (nothing stored) when the payload, the attachments or the sender are bad.
    """
    node = _check_node(from_node)
    data = _validate(payload)
    files = _check_attachments(attachments)
    existing = _stored(data.uid, node)
    if existing is not None:
        return existing
    if data.requested_state != settings.TIPNET_NODE_COUNTRY:
        raise ValueError(
            f"this node serves {settings.TIPNET_NODE_COUNTRY}, not the requested state"
        )
    if data.requesting_state == data.requested_state:
        raise ValueError("the requesting and requested states are the same")
    try:
        req = _create_incoming(data, files, node)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it first.
        existing = MlaRequest.objects.filter(uid=data.uid).first()
        if existing is None:
            raise
        return _same_sender(existing, node)
    return req


def _stored(uid, node: str) -> MlaRequest | None:
    """The incoming request already stored under `uid` from `node`; None when there is none."""
    existing = MlaRequest.objects.filter(uid=uid).first()
    return _same_sender(existing, node) if existing is not None else None


def _same_sender(existing: MlaRequest, node: str) -> MlaRequest:
    if existing.direction == Direction.INCOMING and existing.counterpart_node == node:
        return existing
    raise ValueError("a different request with this uid already exists on this node")


def do_register_paper_request(actor, payload, *, at=None) -> MlaRequest:
    """Register a request that arrived on paper, outside the network, as incoming and "submitted".

    `payload` has the shape of an "mla.request" message; `at` is when the letter arrived (never in
    the future), now when not given. No step of the request sends a message to another node.
    Raises ValueError (nothing stored) when the payload is bad or its uid is taken.
    """
    data = _validate(payload)
    if at is not None and at > timezone.now():
        raise ValueError(_("A step cannot be dated in the future."))
    if MlaRequest.objects.filter(uid=data.uid).exists():
        raise ValueError("a request with this uid already exists on this node")
    if data.requested_state != settings.TIPNET_NODE_COUNTRY or (
        data.requesting_state == data.requested_state
    ):
        raise ValueError(f"this node serves {settings.TIPNET_NODE_COUNTRY}")
    return _create_incoming(data, [], "", actor=actor, at=at)


def _create_incoming(data: "RequestIn", files, node: str, *, actor=None, at=None) -> MlaRequest:
    fields = data.model_dump(include=set(REQUEST_FIELDS) | {"deadline"})
    fields = {k: ("" if v is None and k != "deadline" else v) for k, v in fields.items()}
    dates = {} if node else {"is_off_network": True, "submitted_at": at or timezone.now()}
    if at is not None:
        dates.update(created_at=at, state_changed_at=at)
    with transaction.atomic():
        req = MlaRequest.objects.create(
            **dates,
            uid=data.uid,
            direction=Direction.INCOMING,
            state=State.SUBMITTED,
            reference=f"MLA-IN-{data.uid.hex[:12].upper()}",
            counterpart_ref=data.reference,
            requesting_state=data.requesting_state,
            requested_state=data.requested_state,
            counterpart_node=node,
            **fields,
        )
        for person in data.persons:
            MlaPerson.objects.create(request=req, **person.model_dump())
        for measure in data.measures:
            clean = clean_fields(measure.kind, measure.fields)
            MlaMeasure.objects.create(request=req, kind=measure.kind, fields=clean)
        store_files(req, "letter", files[:1])
        store_files(req, "annex", files[1:])
        if node:
            record("mla:request:receive", obj=req, from_node=node, uid=str(req.uid))
        else:
            extra = {"at": at.isoformat()} if at is not None else {}
            record("mla:request:register_paper", actor=actor, obj=req, uid=str(req.uid), **extra)
    return req


def _is_repeat(req: MlaRequest, name: str, clean: dict, node: str) -> bool:
    last = req.events.order_by("-occurred_at", "-id").first()
    return bool(
        last and last.transition == name and last.from_node == node and last.payload == clean
    )


def do_apply_remote_transition(uid, transition: str, payload, attachments, from_node: str):
    """Apply a transition the counterpart node performed; returns the request.

    Checks that `from_node` is the request's counterpart, that the transition belongs to the
    counterpart's side and that the current state allows it. A repeat of the last applied
    transition changes nothing. Raises ValueError (lifecycle.TransitionError for lifecycle
    violations) with nothing changed otherwise.
    """
    node = _check_node(from_node)
    try:
        key = uuid.UUID(str(uid))
    except ValueError:
        raise ValueError("the uid is not a UUID") from None
    if not isinstance(payload, dict):
        raise ValueError("a transition payload must be a JSON object")
    files = _check_attachments(attachments)
    with transaction.atomic():
        req = MlaRequest.objects.select_for_update().filter(uid=key).first()
        if req is None:
            raise ValueError("no request with this uid on this node")
        if not req.counterpart_node or req.counterpart_node != node:
            raise ValueError("the sending node is not this request's counterpart")
        mine = local_side(req)
        remote = lifecycle.REQUESTED if mine == lifecycle.REQUESTING else lifecycle.REQUESTING
        if transition == "submit":
            raise lifecycle.TransitionError("a request arrives through do_receive_request")
        t = lifecycle.TRANSITIONS.get(transition)
        if t and _is_repeat(req, transition, clean_transition_fields(t, payload), node):
            return req
        t, clean = check_transition(req, transition, remote, payload)
        if files:
            store_files(req, "result" if transition.startswith("report_") else "annex", files)
        apply_transition(req, t, clean, from_node=node)
        record(f"mla:request:remote_{transition}", obj=req, from_node=node, state=req.state)
    return req


# ---------------------------------------------------------------- sending


def _attachments(files) -> list[Attachment]:
    return [Attachment(str(name), str(kind), bytes(content)) for name, kind, content in files or []]


def reaches_node(requested_state: str) -> bool:
    """Whether a request to `requested_state` can travel on the network: this node is in a
    network whose registry names a central-authority node of that state."""
    return in_network() and current().central_authority(requested_state) is not None


def _central_authority(requested_state: str) -> str:
    node = current().central_authority(requested_state)
    if node is None:
        raise ExchangeError(f"no central-authority node of {requested_state} is registered")
    return node.id


def _not_sent(exc: Exception) -> lifecycle.TransitionError:
    return lifecycle.TransitionError(
        _("The request cannot be sent to the other node, so nothing changed: %(reason)s.")
        % {"reason": exc}
    )


def _queue(actor, req: MlaRequest, transition: str, send) -> None:
    if req.is_off_network:
        return  # sent on paper: its steps travel as letters, and its own audit events say so
    if not in_network():
        # A node outside any network keeps its requests on paper channels: the transition
        # stands, and the audit log says that no message went with it.
        record("mla:request:not_sent", actor=actor, obj=req, transition=transition)
        return
    try:
        send()
    except (ExchangeError, RegistryError) as exc:
        raise _not_sent(exc) from exc


def queue_request(actor, req: MlaRequest, letter: tuple[str, str, bytes]) -> None:
    """Queue the submitted `req` with its letter to the requested state's central authority.

    Call inside the transaction of the submission; the central authority's node becomes the
    request's counterpart node (saved here). Raises TransitionError when it cannot be queued.
    """

    def send():
        req.counterpart_node = _central_authority(req.requested_state)
        req.save(update_fields=["counterpart_node"])
        queue(
            actor,
            MLA_REQUEST,
            req.counterpart_node,
            request_payload(req),
            _attachments([letter]),
            conversation_id=str(req.uid),
        )

    _queue(actor, req, "submit", send)


def queue_transition(actor, req: MlaRequest, transition: str, fields: dict, files=()) -> None:
    """Queue the local `transition` of `req` to its counterpart node, inside its transaction.

    Raises TransitionError when the request has no counterpart node or the message cannot be
    queued.
    """

    def send():
        if not req.counterpart_node:
            raise ExchangeError("the request has no counterpart node")
        body = {"uid": str(req.uid), "transition": transition, "fields": fields}
        queue(
            actor,
            MLA_TRANSITION,
            req.counterpart_node,
            body,
            _attachments(files),
            conversation_id=str(req.uid),
        )

    _queue(actor, req, transition, send)


# ---------------------------------------------------------------- receiving


def _files(message: Message) -> list[tuple[str, str, bytes]]:
    return [(a.filename, a.content_type, a.content) for a in message.attachments]


def receive_request(message: Message) -> None:
    """The handler of "mla.request"."""
    try:
        do_receive_request(message.payload, _files(message), from_node=message.sender)
    except ValueError as exc:
        raise handlers.HandlerError(str(exc)) from exc


def receive_transition(message: Message) -> None:
    """The handler of "mla.transition"."""
    body = message.payload if isinstance(message.payload, dict) else {}
    try:
        do_apply_remote_transition(
            body.get("uid"),
            str(body.get("transition", "")),
            body.get("fields"),
            _files(message),
            message.sender,
        )
    except lifecycle.TransitionError as exc:
        # Most often an earlier message of the same request has not arrived yet.
        raise handlers.RetryLater(str(exc)) from exc
    except ValueError as exc:
        if "no request with this uid" in str(exc):
            raise handlers.RetryLater(str(exc)) from exc
        raise handlers.HandlerError(str(exc)) from exc


def register() -> None:
    """Register the MLA message types with the exchange (from `MlaConfig.ready()`)."""
    handlers.register(MLA_REQUEST, receive_request)
    handlers.register(MLA_TRANSITION, receive_transition)
