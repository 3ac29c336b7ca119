"""Victims over the wire: a return's hand-over travels to the node of the receiving service, and
the receiving caseworker's acknowledgement travels back.

* `victims.hand_over`: the body of `actions.do_prepare_hand_over` (only what the victim's
  consents allow when the caseworker sends it) to the node of the receiving service's country
  in the registry;
* `victims.hand_over_received` {hand_over, code, received_at}: back to the sending node, in
  reply to the hand-over's message id.

The body is built at the moment of sending, so it carries only what the victim's consents allow
then; the exchange seals it once and every retry sends the same bytes. A consent withdrawn later
cannot change bytes already queued, which is why identity is checked when the caseworker sends,
not later (see docs/victims.md). Each message is queued inside the transaction of the action
that sends it: the action and its message are stored together or not at all.

On the receiving node `hand_overs.py` checks and stores what arrives; a body it refuses
(malformed, carrying parts that never travel, naming a service missing from this node's
directory) is kept by the exchange as failed with the reason, and nothing of it is stored here.
`register()` (from `VictimsConfig.ready()`) routes both types to their handlers.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tipnet.audit.actions import record
from tipnet.exchange import handlers
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.envelope import Message
from tipnet.exchange.registry import RegistryError, current

from . import crypto
from .actions import do_prepare_hand_over
from .hand_overs import HandOverRefused, do_apply_acknowledgement, do_receive_hand_over
from .models import IncomingHandOver, OutgoingHandOver, RepatriationPlan

HAND_OVER = "victims.hand_over"
RECEIVED = "victims.hand_over_received"


# ---------------------------------------------------------------- sending


def do_send_hand_over(actor, plan: RepatriationPlan) -> OutgoingHandOver:
    """Send the hand-over of `plan` as a message to the node of its receiving service.

    The body is `do_prepare_hand_over`'s, built now from the consents active now. Refused with a
    message (nothing queued) when it was already sent, when consent to return is missing, or when
    no node of the receiving service's country is registered.
    """
    if plan.sendings.exists():
        raise ValidationError(_("This hand-over was already sent."))
    if plan.handed_over_at is not None:
        raise ValidationError(_("The hand-over is already recorded."))
    with transaction.atomic(durable=True):
        body = do_prepare_hand_over(actor, plan)
        try:
            message_id, node = queue_hand_over(actor, plan, body)
        except ExchangeError as exc:
            raise ValidationError(_("The hand-over cannot be sent: %s.") % exc) from exc
        sending = OutgoingHandOver.objects.create(
            plan=plan,
            message_id=message_id,
            recipient_node=node,
            has_identity=body["identity"] is not None,
            has_assistance=body["assistance"] is not None,
            sent_by=actor,
        )
        record(
            "victims:return:send_hand_over",
            actor=actor,
            obj=plan,
            code=plan.victim.code,
            to=sending.recipient_node,
            identity=sending.has_identity,
            assistance=sending.has_assistance,
        )
    return sending


def do_acknowledge_hand_over(actor, incoming: IncomingHandOver) -> IncomingHandOver:
    """Acknowledge, as the receiving service, that the victim was received; the acknowledgement
    travels back to the sending node, which marks its return plan as handed over."""
    if incoming.acknowledged_at is not None:
        raise ValidationError(_("The reception is already acknowledged."))
    with transaction.atomic(durable=True):
        incoming.acknowledged_at, incoming.acknowledged_by = timezone.now(), actor
        incoming.save(update_fields=["acknowledged_at", "acknowledged_by"])
        try:
            queue_acknowledgement(actor, incoming)
        except ExchangeError as exc:
            raise ValidationError(_("The acknowledgement cannot be sent: %s.") % exc) from exc
        record("victims:hand_over:acknowledge", actor=actor, obj=incoming, code=incoming.code)
    return incoming


def node_of(agency) -> str:
    """The registry node that serves the country of the directory `agency`.

    The node registered under the agency's own English name wins; otherwise the only node of
    the country, otherwise its central-authority node. Raises ExchangeError when there is none,
    or when it is this node (a hand-over within one node is recorded, not sent).
    """
    try:
        nodes = [n for n in current().nodes.values() if n.country == agency.country_id]
    except RegistryError as exc:
        raise ExchangeError(str(exc)) from exc
    nodes = [n for n in nodes if not n.revoked]
    named = [n for n in nodes if n.agency == agency.name_en]
    central = [n for n in nodes if n.central_authority]
    candidates = named or (nodes if len(nodes) == 1 else central)
    chosen = candidates[0] if candidates else None
    if chosen is None:
        raise ExchangeError(f"no node of {agency.country_id} is registered in the network")
    if chosen.id == settings.TIPNET_NODE_ID:
        raise ExchangeError("the receiving service is served by this node")
    return chosen.id


def queue_hand_over(actor, plan, body: dict) -> tuple[str, str]:
    """Queue `body` to the receiving service's node; return the message id and the node."""
    node = node_of(plan.receiving_service)
    outbox = queue(actor, HAND_OVER, node, body)
    return str(outbox.message_id), node


def queue_acknowledgement(actor, incoming) -> str:
    """Queue the acknowledgement of `incoming` back to the node that sent it."""
    body = {
        "hand_over": str(incoming.message_id),
        "code": incoming.code,
        "received_at": incoming.acknowledged_at.isoformat(),
    }
    outbox = queue(
        actor,
        RECEIVED,
        incoming.from_node,
        body,
        conversation_id=str(incoming.message_id),
        in_reply_to=str(incoming.message_id),
    )
    return str(outbox.message_id)


# ---------------------------------------------------------------- receiving


def sealed_payload(payload: dict) -> dict:
    """The hand-over as the exchange's inbox keeps it: its personal parts sealed.

    The inbox keeps the decrypted payload; a name there would sit in clear beside the encrypted
    copy in this app. The personal parts are sealed with the same field key before the inbox
    stores the message, so the clear text never reaches the database file.
    """
    for part in ("identity", "assistance"):
        if payload.get(part) is not None:
            text = json.dumps(payload[part], ensure_ascii=False, sort_keys=True)
            payload[part] = {"sealed": crypto.encrypt(text)}
    return payload


def receive_hand_over(message: Message) -> None:
    """The handler of \"victims.hand_over\"."""
    try:
        do_receive_hand_over(message.message_id, message.sender, message.payload)
    except HandOverRefused as exc:
        raise handlers.HandlerError(f"hand-over refused: {exc}") from exc


def receive_acknowledgement(message: Message) -> None:
    """The handler of \"victims.hand_over_received\"."""
    try:
        do_apply_acknowledgement(message.sender, message.payload)
    except HandOverRefused as exc:
        raise handlers.HandlerError(f"acknowledgement refused: {exc}") from exc


def register() -> None:
    """Register the victims message types with the exchange (from `VictimsConfig.ready()`)."""
    handlers.register(HAND_OVER, receive_hand_over, stored_payload=sealed_payload)
    handlers.register(RECEIVED, receive_acknowledgement)
