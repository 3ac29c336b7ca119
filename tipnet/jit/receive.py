"""What this node does with the jit messages other parties' nodes send (see link.py).

Each function runs inside the exchange inbox's transaction. `Refused` keeps the message as
failed with the reason and stores nothing of it; `RetryLater` sends it back for another try
(it overtook the agreement, or a signature, it needs).
"""

import json
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tipnet.accounts.models import Agency, User
from tipnet.audit.actions import record
from tipnet.exchange.handlers import RetryLater

from . import retention, wire
from . import text as signed_text
from .access import MEMBER_ROLES
from .enums import State
from .models import Agreement, Item, Member, Signature
from .state import settle


class Refused(Exception):
    """The message is well delivered but cannot be applied (kept by the exchange as failed)."""


def _uid(value: Any) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise Refused("not a valid uid") from None


def _agreement(sender: str, payload: dict[str, Any]) -> Agreement:
    """The agreement the message names, of which the sender is a party."""
    agreement = Agreement.objects.filter(uid=_uid(payload.get("agreement"))).first()
    if agreement is None:
        # The agreement itself is still on its way: try again later.
        raise RetryLater("the agreement has not arrived yet")
    if sender not in agreement.nodes():
        raise Refused("the sender is not a party to the agreement")
    return agreement


def _local_agency(text: dict[str, Any]) -> Agency:
    party = next((p for p in text["parties"] if p["node"] == settings.TIPNET_NODE_ID), None)
    if party is None:
        raise Refused("this node is not a party to the agreement")
    agency = Agency.objects.filter(code=party["agency"]).first()
    agency = agency or Agency.objects.filter(code=settings.TIPNET_NODE_ID).first()
    if agency is None:
        raise Refused(f"no agency {party['agency']} on this node")
    return agency


def _fields(text: dict[str, Any]) -> dict[str, Any]:
    fields = {name: text[name] for name in signed_text.TEXT_FIELDS}
    return fields | {
        "version": text["version"],
        "period_start": date.fromisoformat(text["period"]["start"]),
        "period_end": date.fromisoformat(text["period"]["end"]),
        "parties": text["parties"],
        "retention_days": text.get("retention_days"),
        "text_sha256": signed_text.digest(text),
        "updated_at": timezone.now(),
    }


def receive_agreement(sender: str, payload: dict[str, Any]) -> None:
    """A proposal or an amendment from a party: create or update this node's copy."""
    try:
        text = wire.clean_text(payload.get("text"))
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    if sender not in [p["node"] for p in text["parties"]]:
        raise Refused("the sender is not a party to the agreement")
    agreement = Agreement.objects.filter(uid=text["uid"]).first()
    if agreement is None:
        agency = _local_agency(text)
        agreement = Agreement.objects.create(
            uid=text["uid"],
            state=State.PROPOSED if text["version"] == 1 else State.AMENDED,
            proposed_by_node=sender,
            agency=agency,
            **_fields(text),
        )
        members = User.objects.filter(agency=agency, is_active=True)
        for user in members:
            if user.has_role(*MEMBER_ROLES):
                Member.objects.create(agreement=agreement, user=user)
        record("jit:agreement:receive", obj=agreement, sender=sender, version=agreement.version)
        return
    if text["version"] <= agreement.version:
        return  # an older or the same version again: nothing new
    if agreement.state == State.ENDED:
        raise Refused("the agreement has ended")
    for name, value in _fields(text).items():
        setattr(agreement, name, value)
    agreement.state = State.AMENDED
    agreement.save()
    settle(agreement)
    record("jit:agreement:receive_amendment", obj=agreement, sender=sender, version=text["version"])


def receive_signature(sender: str, payload: dict[str, Any]) -> None:
    """A party's signature: stored when it verifies with its node's registered key."""
    agreement = _agreement(sender, payload)
    fields = {name: payload.get(name) for name in ("version", "text_sha256", "signer", "role")}
    fields |= {"agreement": str(agreement.uid), "node": payload.get("node")}
    fields["signed_at"] = payload.get("signed_at")
    if fields["node"] != sender:
        raise Refused("a node signs only for itself")
    if not isinstance(fields["version"], int) or not isinstance(payload.get("signature"), str):
        raise Refused("malformed signature")
    if fields["version"] > agreement.version:
        raise RetryLater("the signed version has not arrived yet")
    if agreement.signatures.filter(node=sender, version=fields["version"]).exists():
        return  # already stored
    signed_at = parse_datetime(str(fields["signed_at"]))
    if signed_at is None or not signed_text.verify(fields, payload["signature"]):
        raise Refused("the signature does not verify with the sender's registered key")
    if fields["version"] == agreement.version and fields["text_sha256"] != agreement.text_sha256:
        raise Refused("the signed text differs from this node's copy")
    Signature.objects.create(
        agreement=agreement,
        node=sender,
        version=fields["version"],
        text_sha256=str(fields["text_sha256"]),
        signer=str(fields["signer"])[:200],
        signer_role=str(fields["role"])[:40],
        signed_at=signed_at,
        value=payload["signature"],
    )
    settle(agreement)
    record("jit:signature:receive", obj=agreement, node=sender, version=fields["version"])


def receive_extension(sender: str, payload: dict[str, Any]) -> None:
    agreement = _agreement(sender, payload)
    try:
        until = date.fromisoformat(str(payload.get("until")))
    except ValueError:
        raise Refused("the extension has no valid date") from None
    if agreement.state == State.ENDED:
        raise Refused("the agreement has ended")
    if retention.is_read_only(agreement):
        # An expired agreement is over like an ended one: waiting would never help.
        raise Refused("the agreement's period has passed")
    if not agreement.is_sharing:
        raise RetryLater("the agreement is not in force here yet")
    if agreement.extended_until and until <= agreement.extended_until:
        return
    agreement.extended_until, agreement.state = until, State.EXTENDED
    agreement.updated_at = timezone.now()
    agreement.save(update_fields=["extended_until", "state", "updated_at"])
    record("jit:agreement:receive_extension", obj=agreement, sender=sender, until=until)


def receive_end(sender: str, payload: dict[str, Any]) -> None:
    agreement = _agreement(sender, payload)
    if agreement.state == State.ENDED:
        return
    agreement.state, agreement.updated_at = State.ENDED, timezone.now()
    agreement.ended_at = agreement.updated_at
    agreement.save(update_fields=["state", "updated_at", "ended_at"])
    record("jit:agreement:receive_end", obj=agreement, sender=sender)


def receive_item(sender: str, payload: dict[str, Any]) -> None:
    """A workspace item shared or revised by its owner; a tombstone wins over it."""
    agreement = _agreement(sender, payload)
    if agreement.state == State.ENDED:
        raise Refused("the agreement has ended: nothing more is shared")
    if retention.is_read_only(agreement):
        raise Refused("the agreement's period has passed: nothing more is shared")
    if not agreement.is_sharing:
        raise RetryLater("the agreement is not in force here yet")
    revision = payload.get("revision")
    if not isinstance(revision, int) or revision < 1:
        raise Refused("malformed revision")
    try:
        body = wire.clean_body(payload.get("kind"), payload.get("body"))
    except ValueError as exc:
        raise Refused(str(exc)) from exc
    uid = _uid(payload.get("uid"))
    item = Item.objects.filter(uid=uid).first()
    if item is not None and (item.agreement_id != agreement.pk or item.owner_node != sender):
        raise Refused("the item belongs to another agreement or node")
    if item is not None and (item.is_withdrawn or item.revision >= revision):
        return  # withdrawn already, or an older revision: the tombstone or newer copy wins
    item = item or Item(agreement=agreement, uid=uid, owner_node=sender)
    item.kind, item.revision, item.body = payload["kind"], revision, json.dumps(body)
    item.updated_at = timezone.now()
    item.save()
    record("jit:item:receive", obj=item, kind=item.kind, sender=sender, revision=revision)


def receive_withdrawal(sender: str, payload: dict[str, Any]) -> None:
    """The owner withdrew an item: keep a tombstone, whether or not the item has arrived."""
    agreement = _agreement(sender, payload)
    uid = _uid(payload.get("uid"))
    kind = payload.get("kind")
    if kind not in wire.CHECKS:
        raise Refused("unknown kind of item")
    item = Item.objects.filter(uid=uid).first()
    if item is not None and (item.agreement_id != agreement.pk or item.owner_node != sender):
        raise Refused("the item belongs to another agreement or node")
    item = item or Item(agreement=agreement, uid=uid, owner_node=sender, kind=kind)
    if item.is_withdrawn:
        return
    item.is_withdrawn, item.body, item.updated_at = True, "", timezone.now()
    item.save()
    record("jit:item:receive_withdrawal", obj=item, kind=item.kind, sender=sender)
