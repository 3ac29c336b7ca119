"""Message types and the functions that handle them on the receiving node.

Apps register a handler per message type (`register("mla.request", fn)`); the inbox calls it
inside the transaction that stores the message, so a message is stored and applied together.
A handler receives the decrypted `envelope.Message` and may raise `HandlerError` to record that
the message was delivered but could not be applied, or `RetryLater` to have it sent again.
"""

from collections.abc import Callable

from .envelope import Message

PING = "exchange.ping"

_handlers: dict[str, Callable[[Message], None]] = {}


class HandlerError(Exception):
    """The message was valid but the receiving app refused to apply it (kept with the reason)."""


class RetryLater(Exception):
    """The message cannot be applied yet (it overtook an earlier one): refuse it for a retry.

    Nothing is stored; the sender's worker tries again with backoff, and gives up with
    not-delivered evidence after the delivery timeout if it never fits.
    """


def register(message_type: str, handler: Callable[[Message], None]) -> None:
    """Route messages of `message_type` to `handler` (one handler per type)."""
    _handlers[message_type] = handler


def handler_for(message_type: str) -> Callable[[Message], None] | None:
    return _handlers.get(message_type)


def _ping(message: Message) -> None:
    # A connectivity check: delivery and receipt are the whole point; there is nothing to apply.
    return None


register(PING, _ping)
