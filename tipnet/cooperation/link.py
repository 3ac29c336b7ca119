"""Police messages over the wire, and what arrives.

Two types, each queued inside the transaction of the action that sends it (actions.py):

* `cooperation.message`: the opening of a thread (an information request or a spontaneous
  information, with its subject, priority, deadline, handling code and persons) or a reply;
* `cooperation.consent`: a request for the sender's consent to pass on what it sent, and the
  sender's answer;
* `cooperation.refusal`: the receiving node's answer to an opening it cannot route (no agency
  of that name receives police messages there), with the reason, so the sender sees it.

All messages of one thread share its uid as conversation id. On arrival the payload is checked
(pydantic: unknown keys refused, lengths bounded), stored once (a message uid seen before
changes nothing) and audited. A reply or consent that overtakes its thread's opening is refused
for a retry (RetryLater); anything malformed is kept by the exchange as failed, with the reason.
The inbox keeps the payload with its personal parts sealed (`sealed_payload`); the handlers
live in inbound.py, which registers them.
"""

import json
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from tipnet.lib import fieldkey

from .models import Kind, MessageKind, Priority

MESSAGE = "cooperation.message"
CONSENT = "cooperation.consent"
REFUSAL = "cooperation.refusal"
SCHEMA = "tipnet.cooperation.message/1"
MAX_ITEMS = 50
MAX_IDENTIFIERS = 30
MAX_FILES = 5
MAX_FILE_BYTES = 2 * 1024 * 1024
SEALED_PARTS = ("subject", "body", "items")


class IdentifierIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(min_length=1, max_length=24)
    value: str = Field(min_length=1, max_length=300)
    country: str = Field(default="", max_length=2)


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    full_name: str = Field(min_length=1, max_length=200)
    sex: str = Field(default="unknown", max_length=8)
    birth: str = Field(default="", max_length=11)
    citizenships: list[str] = Field(default=[], max_length=10)
    role: str = Field(default="", max_length=16)
    chain_role: str = Field(default="", max_length=20)
    identifiers: list[IdentifierIn] = Field(default=[], max_length=MAX_IDENTIFIERS)


class MessageIn(BaseModel):
    """An opening or a reply; the thread's fields are required of an opening only."""

    model_config = ConfigDict(extra="forbid")
    schema_: str = Field(alias="schema", pattern=f"^{SCHEMA}$")
    thread: uuid.UUID
    message: uuid.UUID
    kind: MessageKind
    thread_kind: Kind | None = None
    reference: str = Field(default="", max_length=80)
    subject: str = Field(default="", max_length=300)
    priority: Priority = Priority.ROUTINE
    deadline: datetime | None = None
    handling_code: str = Field(default="", max_length=8)
    from_agency: str = Field(default="", max_length=300)
    to_agency: str = Field(default="", max_length=300)
    sender_name: str = Field(default="", max_length=200)
    body: str = Field(default="", max_length=20000)
    items: list[ItemIn] = Field(default=[], max_length=MAX_ITEMS)


def validate(payload: Any) -> MessageIn:
    """The checked payload; ValueError with the first problem when it is not acceptable."""
    if not isinstance(payload, dict):
        raise ValueError("a cooperation payload must be a JSON object")
    try:
        data = MessageIn.model_validate(payload)
    except PydanticError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"invalid cooperation message: {where}: {first['msg']}") from None
    if data.kind == MessageKind.OPENING and not (data.thread_kind and data.subject):
        raise ValueError("an opening message needs its type and subject")
    return data


def sealed_payload(payload: dict) -> dict:
    """The payload as the exchange's inbox keeps it: subject, text and persons sealed."""
    for part in SEALED_PARTS:
        if part in payload and payload[part] not in ("", None, []):
            text = json.dumps(payload[part], ensure_ascii=False, sort_keys=True)
            payload[part] = {"sealed": fieldkey.encrypt(text)}
    return payload
