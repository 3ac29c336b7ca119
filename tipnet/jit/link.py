"""Joint investigations over the wire: every party's node holds the agreement and the workspace
in step through these messages, each sent to every other party's node.

* `jit.agreement` {text}: a proposal (version 1) or an amendment (a later version);
* `jit.signature` {agreement, version, text_sha256, node, signer, role, signed_at, signature};
* `jit.extension` {agreement, until};
* `jit.end` {agreement, reason};
* `jit.item` {agreement, uid, kind, revision, body}: a workspace item, shared or revised by the
  node that owns it;
* `jit.withdrawal` {agreement, uid, kind}: the owner withdraws an item; every node keeps a
  tombstone, so an item that arrives after its withdrawal stays withdrawn.

Each message is queued inside the transaction of the action that reports it (actions.py). A
message that overtook the agreement it needs is refused with RetryLater and comes again; a
malformed or unauthorised one is kept by the exchange as failed, with nothing of it stored
(receive.py).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tipnet.exchange import handlers
from tipnet.exchange.actions import ExchangeError, queue
from tipnet.exchange.envelope import Message

AGREEMENT = "jit.agreement"
SIGNATURE = "jit.signature"
EXTENSION = "jit.extension"
END = "jit.end"
ITEM = "jit.item"
WITHDRAWAL = "jit.withdrawal"
TYPES = (AGREEMENT, SIGNATURE, EXTENSION, END, ITEM, WITHDRAWAL)


def broadcast(actor, agreement, message_type: str, payload: dict[str, Any]) -> list[str]:
    """Queue `payload` to every other party's node, inside the caller's transaction.

    Raises ValidationError (the caller's transaction rolls back) when a node cannot be reached
    through the network registry.
    """
    sent = []
    for node in agreement.nodes():
        if node == settings.TIPNET_NODE_ID:
            continue
        try:
            outbox = queue(actor, message_type, node, payload, conversation_id=str(agreement.uid))
        except ExchangeError as exc:
            raise ValidationError(_("The message cannot be sent: %s.") % exc) from exc
        sent.append(str(outbox.message_id))
    return sent


def _handle(apply):
    def handler(message: Message) -> None:
        from .receive import Refused

        if not isinstance(message.payload, dict):
            raise handlers.HandlerError("the payload is not an object")
        try:
            apply(message.sender, message.payload)
        except Refused as exc:
            raise handlers.HandlerError(f"refused: {exc}") from exc

    return handler


def register() -> None:
    """Register the jit message types with the exchange (from `JitConfig.ready()`)."""
    from . import receive

    appliers = {
        AGREEMENT: receive.receive_agreement,
        SIGNATURE: receive.receive_signature,
        EXTENSION: receive.receive_extension,
        END: receive.receive_end,
        ITEM: receive.receive_item,
        WITHDRAWAL: receive.receive_withdrawal,
    }
    for message_type, apply in appliers.items():
        handlers.register(message_type, _handle(apply))
