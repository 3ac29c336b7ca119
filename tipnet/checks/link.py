"""Checks over the wire: `check.query` and `check.answer`, and what this node does on arrival.

`check.query` (requesting node -> each chosen partner):

    {"schema": "tipnet.checks.query/1", "query_id": uuid, "kind": "person" | "missing",
     "epoch": 3, "encoding": 2, "name_clk": b64, "person_clk": b64, "tokens": [hex, ...],
     "fields": ["given_name", "surname", "birth_date", "sex", "identifier"],
     "purpose": {"case": opaque hex, "legal_basis": "untoc_27" | "tip_10" | "bilateral"}}

`check.answer` (partner -> requesting node):

    {"schema": "tipnet.checks.answer/1", "query_id": uuid,
     "result": "no_hit" | "hit" | "refused", "reference": opaque (hit), "valid_days": 30 (hit),
     "strength": band (hit), "reason": code (refused)}

`encoding` is the version of the encodings (`tipnet.linkage.encoding.ENCODING_VERSION`; absent
means 1): encodings of two versions are not comparable, so a query of another version is
refused as `encoding_version`, as one of another key epoch is.

Neither carries a name, a date or a case number: the encodings are keyed Bloom filters and HMAC
tokens under the network check key, `fields` says only which kinds of field went into them (so
that the answering node can refuse a surname alone), and the case is a keyed hash that only the
requesting node can tie to its case. A refusal names its reason.
"""

import base64
import binascii
import math
import secrets
import uuid
from datetime import timedelta
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from tipnet.audit.actions import record
from tipnet.cases.enums import PersonRole, Sex
from tipnet.cases.models import Case, Person
from tipnet.exchange import handlers
from tipnet.exchange.actions import queue
from tipnet.exchange.envelope import Message
from tipnet.lib.fieldkey import keyed_hash

from . import index, netkey
from .models import (
    Alert,
    AlertKind,
    CheckPolicy,
    Hit,
    IncomingCheck,
    Kind,
    LegalBasis,
    OutgoingCheck,
    Refusal,
    Result,
)
from .policies import policy as node_policy

QUERY = "check.query"
ANSWER = "check.answer"
QUERY_SCHEMA = "tipnet.checks.query/1"
ANSWER_SCHEMA = "tipnet.checks.answer/1"
FIELDS = ("given_name", "surname", "birth_date", "sex", "identifier")
MAX_CLK = 4096  # bytes of one encoding, far above any CLK_BITS in use
MAX_VALID_DAYS = 365


def fields_of(person: Person) -> list[str]:
    """Which kinds of field a query about `person` is built from (names of kinds, no values)."""
    parts = person.latin_name.split() or person.full_name.split()
    found = []
    if len(parts) >= 2:
        found.append("given_name")
    if parts:
        found.append("surname")
    if person.birth_year is not None:
        found.append("birth_date")
    if person.sex not in ("", Sex.UNKNOWN):
        found.append("sex")
    if any(i.kind in index.TOKEN_KINDS for i in person.identifiers.all()):
        found.append("identifier")
    return found


def has_minimum_fields(fields: list[str]) -> bool:
    """A surname alone is refused: a given name and a surname, or an identifier, are needed."""
    return "identifier" in fields or {"given_name", "surname"} <= set(fields)


def case_id(case: Case) -> str:
    """The opaque id of a case a query carries: a keyed hash only this node can tie back."""
    return keyed_hash("checks-case", f"{settings.TIPNET_NODE_ID}:{case.reference}")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def query_payload(
    key: netkey.CheckKey, case: Case, person: Person, kind: str, legal_basis: str
) -> dict[str, Any]:
    """The query about `person` (without its query_id, which each recipient's copy gets)."""
    encoded = index.encode_person(key, person)
    return {
        "schema": QUERY_SCHEMA,
        "kind": kind,
        "epoch": encoded.epoch,
        "encoding": index.encoding_version(),
        "name_clk": _b64(encoded.name_clk),
        "person_clk": _b64(encoded.person_clk),
        "tokens": encoded.tokens,
        "fields": fields_of(person),
        "purpose": {"case": case_id(case), "legal_basis": legal_basis},
    }


class Purpose(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: str = Field(default="", max_length=64)
    legal_basis: str = Field(default="", max_length=16)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: Literal["tipnet.checks.query/1"] = Field(alias="schema")
    query_id: uuid.UUID
    kind: Literal["person", "missing"]
    epoch: int = Field(ge=0)
    encoding: int = Field(default=1, ge=1)
    name_clk: str = Field(max_length=MAX_CLK * 2)
    person_clk: str = Field(max_length=MAX_CLK * 2)
    tokens: list[str] = Field(default_factory=list, max_length=32)
    fields: list[Literal["given_name", "surname", "birth_date", "sex", "identifier"]] = Field(
        default_factory=list, max_length=len(FIELDS)
    )
    purpose: Purpose = Field(default_factory=Purpose)


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: Literal["tipnet.checks.answer/1"] = Field(alias="schema")
    query_id: uuid.UUID
    result: Literal["no_hit", "hit", "refused"]
    reference: str = Field(default="", max_length=64)
    valid_days: int = Field(default=0, ge=0, le=MAX_VALID_DAYS)
    strength: Literal["", "identifier", "strong", "possible"] = ""
    reason: Literal[tuple(Refusal.values)] | Literal[""] = ""  # type: ignore[valid-type]


def answer(
    actor, incoming: IncomingCheck, result: str, hit: Hit | None = None, reason: str = ""
) -> None:
    """Queue the answer to `incoming` and record it (inside the caller's transaction)."""
    payload: dict[str, Any] = {
        "schema": ANSWER_SCHEMA,
        "query_id": str(incoming.uid),
        "result": result,
    }
    if hit is not None:
        left = (hit.expires_at - timezone.now()).total_seconds()
        days = max(1, math.ceil(left / 86400))
        payload |= {"reference": hit.reference, "valid_days": days, "strength": hit.strength}
    if reason:
        payload["reason"] = reason
    queue(actor, ANSWER, incoming.sender, payload, conversation_id=str(incoming.uid))
    incoming.result, incoming.reason, incoming.answered_at = result, reason, timezone.now()
    incoming.save(update_fields=["result", "reason", "answered_at"])
    record(
        "checks:answer:send",
        actor=actor,
        obj=incoming,
        node=incoming.sender,
        result=result,
        reason=reason,
    )


def _alert(sender: str, kind: str) -> None:
    now = timezone.now()
    alert = Alert.objects.filter(sender=sender, kind=kind, is_open=True).first()
    if alert is None:
        alert = Alert.objects.create(sender=sender, kind=kind, count=1, first_at=now, last_at=now)
        record("checks:alert:raise", obj=alert, sender=sender, kind=kind)
    else:
        alert.count, alert.last_at = alert.count + 1, now
        alert.save(update_fields=["count", "last_at"])


def _watch(sender: str, reason: str) -> None:
    """Raise or update the alerts a query from `sender` calls for."""
    hour = timezone.now() - timedelta(hours=1)
    recent = IncomingCheck.objects.filter(sender=sender, received_at__gte=hour).count()
    if recent >= settings.TIPNET_CHECKS_ALERT_BURST:
        _alert(sender, AlertKind.BURST)
    if reason == Refusal.NO_CASE:
        _alert(sender, AlertKind.NO_CASE)
    elif reason:
        _alert(sender, AlertKind.REFUSED)


def _refusal(query: Query, sender: str, policy: CheckPolicy) -> str:
    """Why this query is refused, or "" when it is answered."""
    day = timezone.now() - timedelta(days=1)
    asked = IncomingCheck.objects.filter(sender=sender, received_at__gte=day).count()
    if asked >= settings.TIPNET_CHECKS_NODE_DAILY:
        return Refusal.OVER_QUOTA
    if not query.purpose.case:
        return Refusal.NO_CASE
    if query.purpose.legal_basis not in LegalBasis.values:
        return Refusal.MALFORMED
    if not has_minimum_fields(list(query.fields)):
        return Refusal.TOO_FEW_FIELDS
    if query.kind == Kind.MISSING and not policy.answer_missing:
        return Refusal.NOT_ANSWERED
    try:
        key = netkey.current()
    except netkey.CheckKeyError:
        return Refusal.NO_KEY
    if query.epoch < key.epoch:
        return Refusal.EPOCH_EXPIRED
    if query.epoch > key.epoch:
        return Refusal.EPOCH_UNKNOWN
    if query.encoding != index.encoding_version():
        return Refusal.ENCODING_VERSION
    return ""


def _decode(query: Query) -> index.Encoded:
    try:
        name = base64.b64decode(query.name_clk, validate=True)
        person = base64.b64decode(query.person_clk, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("an encoding is not base64") from exc
    details = bool({"birth_date", "sex"} & set(query.fields))
    return index.Encoded(query.epoch, name, person, list(query.tokens), details)


def _search(query: Query, encoded: index.Encoded, policy: CheckPolicy) -> index.Match | None:
    index.ensure_epoch(netkey.current())
    roles = [PersonRole.VICTIM] if query.kind == Kind.MISSING else policy.checkable_roles
    try:
        return index.search(encoded, roles)
    except ValueError as exc:  # an encoding of the wrong length for this network's CLKs
        raise ValueError("an encoding does not have this network's length") from exc


def _store(message: Message, query: Query, result: str, reason: str) -> IncomingCheck:
    try:
        with transaction.atomic():
            return IncomingCheck.objects.create(
                uid=query.query_id,
                sender=message.sender,
                kind=query.kind,
                legal_basis=query.purpose.legal_basis[:12],
                purpose=query.purpose.case,
                epoch=query.epoch,
                result=result,
                reason=reason,
            )
    except IntegrityError as exc:
        raise handlers.HandlerError("a query with this id was received before") from exc


def handle_query(message: Message) -> None:
    """Answer a partner's query: refused with its reason, no hit, a hit, or held for review."""
    try:
        query = Query.model_validate(message.payload)
    except PydanticError as exc:
        raise handlers.HandlerError(f"not a valid check query: {exc.error_count()} errors") from exc
    policy = node_policy()
    reason = _refusal(query, message.sender, policy)
    match = None
    if not reason:
        try:
            match = _search(query, _decode(query), policy)
        except ValueError:
            reason = Refusal.MALFORMED
    held = bool(match and policy.hold_hits)
    incoming = _store(message, query, Result.HELD if held else Result.PENDING, reason)
    record(
        "checks:query:receive",
        obj=incoming,
        node=message.sender,
        kind=query.kind,
        legal_basis=query.purpose.legal_basis,
        result="refused" if reason else ("hit" if match else "no_hit"),
        reason=reason,
    )
    _watch(message.sender, reason)
    if reason:
        answer(None, incoming, Result.REFUSED, reason=reason)
        return
    if match is None:
        answer(None, incoming, Result.NO_HIT)
        return
    hit = Hit.objects.create(
        reference=secrets.token_urlsafe(12),
        incoming=incoming,
        person_id=match.person_id,
        strength=match.strength,
        expires_at=timezone.now() + timedelta(days=settings.TIPNET_CHECKS_REFERENCE_DAYS),
    )
    record("checks:hit:create", obj=hit, node=message.sender, strength=match.strength, held=held)
    if not held:
        answer(None, incoming, Result.HIT, hit=hit)


def handle_answer(message: Message) -> None:
    """Record a partner's answer on the check it answers (from that partner only)."""
    try:
        found = Answer.model_validate(message.payload)
    except PydanticError as exc:
        raise handlers.HandlerError(
            f"not a valid check answer: {exc.error_count()} errors"
        ) from exc
    check = (
        OutgoingCheck.objects.select_for_update()
        .filter(uid=found.query_id, node=message.sender)
        .first()
    )
    if check is None:
        raise handlers.HandlerError("no check of this node was sent to the answering node")
    if check.result != Result.PENDING:
        return  # answered before: a repeated answer changes nothing
    now = timezone.now()
    check.result, check.answered_at = found.result, now
    if found.result == Result.HIT:
        if not found.reference or not found.strength or not found.valid_days:
            raise handlers.HandlerError("a hit carries a reference, a strength and a validity")
        check.reference, check.strength = found.reference, found.strength
        check.reference_expires_at = now + timedelta(days=found.valid_days)
    if found.result == Result.REFUSED:
        check.reason = found.reason or Refusal.MALFORMED
    check.save()
    record(
        "checks:answer:receive",
        obj=check,
        case_id=check.case_id,
        node=message.sender,
        result=check.result,
        reason=check.reason,
    )


def register() -> None:
    handlers.register(QUERY, handle_query)
    handlers.register(ANSWER, handle_answer)
