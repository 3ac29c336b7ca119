"""Victims over the wire: a return's hand-over travels to the node of the receiving service, and
the receiving caseworker's acknowledgement travels back.

* `victims.hand_over`: the body of `tipnet.victims.actions.do_prepare_hand_over` (only what the
  victim's consents allow when the caseworker sends it) to the node of the receiving service's
  country in the registry;
* `victims.hand_over_received` {hand_over, code, received_at}: back to the sending node, in
  reply to the hand-over's message id.

The acknowledgement names the hand-over's message id (in_reply_to and conversation id). On the
receiving node the victims app checks and stores what arrives; a body it refuses (malformed,
carrying parts that never travel, naming a service missing from this node's directory) is kept
as failed with the reason, and nothing of it is stored by the victims app.
"""

import json

from django.conf import settings

from . import handlers
from .actions import ExchangeError, do_queue_message

__all__ = ["ExchangeError", "connect", "node_of", "queue_acknowledgement", "queue_hand_over"]
from .envelope import Message
from .models import InboxMessage
from .registry import RegistryError, current

HAND_OVER = "victims.hand_over"
RECEIVED = "victims.hand_over_received"


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
    chosen = (named or (nodes if len(nodes) == 1 else central) or [None])[0]
    if chosen is None:
        raise ExchangeError(f"no node of {agency.country_id} is registered in the network")
    if chosen.id == settings.TIPNET_NODE_ID:
        raise ExchangeError("the receiving service is served by this node")
    return chosen.id


def queue_hand_over(plan, body: dict) -> tuple[str, str]:
    """Queue `body` to the receiving service's node; return the message id and the node."""
    node = node_of(plan.receiving_service)
    outbox = do_queue_message(None, HAND_OVER, node, body)
    return str(outbox.message_id), node


def queue_acknowledgement(incoming) -> str:
    """Queue the acknowledgement of `incoming` back to the node that sent it."""
    body = {
        "hand_over": str(incoming.message_id),
        "code": incoming.code,
        "received_at": incoming.acknowledged_at.isoformat(),
    }
    outbox = do_queue_message(
        None,
        RECEIVED,
        incoming.from_node,
        body,
        conversation_id=str(incoming.message_id),
        in_reply_to=str(incoming.message_id),
    )
    return str(outbox.message_id)


def _seal_stored_payload(message: Message) -> None:
    # The inbox keeps the decrypted payload; a name there would sit in clear beside the
    # encrypted copy in the victims app. Seal the personal parts with the same field key, in the
    # transaction that stored the message, so the clear text never reaches the database file.
    from tipnet.victims import crypto

    payload = dict(message.payload)
    for part in ("identity", "assistance"):
        if payload.get(part) is not None:
            text = json.dumps(payload[part], ensure_ascii=False, sort_keys=True)
            payload[part] = {"sealed": crypto.encrypt(text)}
    InboxMessage.objects.filter(message_id=message.message_id).update(payload=payload)


def receive_hand_over(message: Message) -> None:
    from tipnet.victims.hand_overs import HandOverRefused, do_receive_hand_over

    try:
        do_receive_hand_over(message.message_id, message.sender, message.payload)
    except HandOverRefused as exc:
        raise handlers.HandlerError(f"hand-over refused: {exc}") from exc
    _seal_stored_payload(message)


def receive_acknowledgement(message: Message) -> None:
    from tipnet.victims.hand_overs import HandOverRefused, do_apply_acknowledgement

    try:
        do_apply_acknowledgement(message.sender, message.payload)
    except HandOverRefused as exc:
        raise handlers.HandlerError(f"acknowledgement refused: {exc}") from exc


def connect() -> None:
    """Register the victims message types with the exchange."""
    handlers.register(HAND_OVER, receive_hand_over)
    handlers.register(RECEIVED, receive_acknowledgement)
