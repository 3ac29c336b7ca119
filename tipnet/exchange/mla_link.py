"""MLA over the wire: every local transition of a request travels to the counterpart node.

The mla app knows nothing of envelopes; it sends `tipnet.mla.signals.transition_done` after each
local transition commits, and offers `tipnet.mla.wire` to apply what arrives. Here the two meet:

* submit -> "mla.request" (the whole request, its letter attached) to the requested state's
  central-authority node in the registry, which becomes the request's counterpart node;
* every later transition -> "mla.transition" {uid, transition, fields} (result files attached)
  to the request's counterpart node.

All messages of one request share its uid as conversation id. On the receiving node the two
types are applied through the wire functions; a transition that overtakes an earlier message is
refused for a retry (RetryLater), a message the mla app rejects is kept as failed, with the reason.
"""

import logging

from django.conf import settings

from tipnet.audit.actions import record

from . import handlers, log
from .actions import ExchangeError, do_queue_message
from .envelope import Attachment, Message
from .registry import RegistryError, current

logger = logging.getLogger("tipnet.exchange")

MLA_REQUEST = "mla.request"
MLA_TRANSITION = "mla.transition"


def _attachments(files) -> list[Attachment]:
    return [Attachment(str(name), str(kind), bytes(content)) for name, kind, content in files or []]


def _central_authority(request) -> str:
    from tipnet.mla.actions import do_set_counterpart_node

    try:
        node = current().central_authority(request.requested_state)
    except RegistryError as exc:
        raise ExchangeError(str(exc)) from exc
    if node is None:
        raise ExchangeError(f"no central-authority node of {request.requested_state} is registered")
    if request.counterpart_node != node.id:
        do_set_counterpart_node(None, request, node.id)
    return node.id


def _unroutable(request, transition: str, reason: str) -> None:
    # The transition is committed locally; the missing message must not pass silently.
    log.append(
        "not_delivered",
        "",
        f"mla.{transition}",
        request.counterpart_node or "",
        uid=str(request.uid),
        reason=reason,
    )
    record(
        "exchange:mla:unroutable",
        obj=request,
        agency=settings.TIPNET_NODE_ID,
        transition=transition,
        reason=reason[:200],
    )
    logger.error("MLA %s of %s not sent: %s", transition, request.uid, reason)


def on_transition_done(sender, request, transition, payload, attachments, **kwargs) -> None:
    """Queue the message that carries one local MLA transition to the counterpart node."""
    try:
        if transition == "submit":
            recipient, message_type, body = _central_authority(request), MLA_REQUEST, payload
        else:
            recipient, message_type = request.counterpart_node, MLA_TRANSITION
            body = {"uid": str(request.uid), "transition": transition, "fields": payload}
        if not recipient:
            raise ExchangeError("the request has no counterpart node")
        do_queue_message(
            None,
            message_type,
            recipient,
            body,
            _attachments(attachments),
            conversation_id=str(request.uid),
        )
    except ExchangeError as exc:
        _unroutable(request, transition, str(exc))


def _files(message: Message) -> list[tuple[str, str, bytes]]:
    return [(a.filename, a.content_type, a.content) for a in message.attachments]


def receive_request(message: Message) -> None:
    from tipnet.mla.wire import do_receive_request

    try:
        do_receive_request(message.payload, _files(message), from_node=message.sender)
    except ValueError as exc:
        raise handlers.HandlerError(str(exc)) from exc


def receive_transition(message: Message) -> None:
    from tipnet.mla.lifecycle import TransitionError
    from tipnet.mla.wire import do_apply_remote_transition

    body = message.payload if isinstance(message.payload, dict) else {}
    try:
        do_apply_remote_transition(
            body.get("uid"),
            str(body.get("transition", "")),
            body.get("fields"),
            _files(message),
            message.sender,
        )
    except TransitionError as exc:
        # Most often an earlier message of the same request has not arrived yet.
        raise handlers.RetryLater(str(exc)) from exc
    except ValueError as exc:
        if "no request with this uid" in str(exc):
            raise handlers.RetryLater(str(exc)) from exc
        raise handlers.HandlerError(str(exc)) from exc


def connect() -> bool:
    """Wire the exchange to the mla app when it offers its signal and wire functions."""
    try:
        from tipnet.mla import wire  # noqa: F401 - presence check
        from tipnet.mla.signals import transition_done
    except ImportError:
        return False
    transition_done.connect(on_transition_done, dispatch_uid="exchange.mla")
    handlers.register(MLA_REQUEST, receive_request)
    handlers.register(MLA_TRANSITION, receive_transition)
    return True
