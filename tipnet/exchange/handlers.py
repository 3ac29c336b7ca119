"""The registry of message types: which domain app's function applies each type on arrival.

The exchange is the transport only and knows no message type but its own ping. Each domain app
registers its types in its `AppConfig.ready()` (`register("mla.request", fn)`), and the inbox
calls `dispatch` inside the transaction that stores the message, so a message is stored and
applied together. A handler receives the decrypted `envelope.Message` and may raise
`HandlerError` to record that the message was delivered but could not be applied, or
`RetryLater` to have it sent again. A handler may run twice for one message, its first run rolled
back, when another handler of the same delivery raises: it writes only through the database.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .envelope import Message

PING = "exchange.ping"


class HandlerError(Exception):
    """The message was valid but the receiving app refused to apply it (kept with the reason)."""


class RetryLater(Exception):
    """The message cannot be applied yet (it overtook an earlier one): refuse it for a retry.

    Nothing is stored; the sender's worker tries again with backoff, and gives up with
    not-delivered evidence after the delivery timeout if it never fits.
    """


@dataclass(frozen=True)
class Registration:
    """How one message type is applied, and what of its payload the inbox may keep."""

    handler: Callable[[Message], None]
    # The payload as the inbox stores it: a domain app may seal personal parts of it, so that
    # the clear text never reaches the database beside the app's own encrypted copy.
    stored_payload: Callable[[dict[str, Any]], dict[str, Any]] | None = None


_registry: dict[str, Registration] = {}


def register(
    message_type: str,
    handler: Callable[[Message], None],
    *,
    stored_payload: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """Route messages of `message_type` to `handler` (one handler per type).

    Args:
        message_type: "<app>.<name>", e.g. "mla.request".
        handler: called with the decrypted Message inside the inbox's transaction.
        stored_payload: optional; returns the payload the inbox keeps (e.g. with parts sealed).
    """
    _registry[message_type] = Registration(handler, stored_payload)


def unregister(message_type: str) -> None:
    """Forget the handler of `message_type` (for tests that register a type of their own)."""
    _registry.pop(message_type, None)


def registration(message_type: str) -> Registration | None:
    """The registration of `message_type`, or None when no app handles it."""
    return _registry.get(message_type)


def handler_for(message_type: str) -> Callable[[Message], None] | None:
    found = _registry.get(message_type)
    return found.handler if found else None


def stored_payload(message: Message) -> dict[str, Any]:
    """The payload the inbox keeps for `message` (as its app asks, or as it came)."""
    found = _registry.get(message.type)
    if found is None or found.stored_payload is None or not isinstance(message.payload, dict):
        return message.payload
    return found.stored_payload(dict(message.payload))


def dispatch(message: Message) -> bool:
    """Hand a received message to the handler of its type; False when no app handles it.

    Raises what the handler raises (HandlerError, RetryLater or any other error).
    """
    handler = handler_for(message.type)
    if handler is None:
        return False
    handler(message)
    return True


def _ping(message: Message) -> None:
    # A connectivity check: delivery and receipt are the whole point; there is nothing to apply.
    return None


register(PING, _ping)
