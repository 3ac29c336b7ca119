"""The receiving endpoints of the node, and the message log page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tipnet.lib.paging import link_query, request_page

from .access import access_message_log, access_outbox
from .actions import do_receive_message, do_receive_messages, do_refuse_unread, max_bytes
from .models import OutboxMessage
from .transport import DeliveryError, unpack_delivery


def _too_large(request: HttpRequest, size: int) -> JsonResponse:
    # Read and drop a moderately oversized body so the client, still sending, gets the clear 413
    # instead of a broken pipe; a huge one is not worth reading and the connection just closes.
    if size <= 4 * max_bytes():
        while request.read(65536):
            pass
    status, answer = do_refuse_unread(size)
    return JsonResponse(answer, status=status)


def _body(request: HttpRequest) -> bytes | JsonResponse:
    """The request body, or the 413 answer when it exceeds TIPNET_EXCHANGE_MAX_MB."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes():
        return _too_large(request, declared)
    # request.read(), not request.body: the limit here is the exchange's, not the forms'.
    raw = request.read(max_bytes() + 1)
    if len(raw) > max_bytes():
        return _too_large(request, len(raw))
    return raw


# Not session-authenticated and CSRF-exempt on purpose: the sender is authenticated by the
# envelope signature against the signed registry, which is checked before anything is stored.
@csrf_exempt
@require_POST
def inbox(request: HttpRequest) -> JsonResponse:
    raw = _body(request)
    if isinstance(raw, JsonResponse):
        return raw
    status, answer = do_receive_message(raw)
    return JsonResponse(answer, status=status)


@csrf_exempt
@require_POST
def inbox_batch(request: HttpRequest) -> JsonResponse:
    """A delivery of several messages, each wire frame after its length, answered one by one.

    The answer is `{"results": [{"status", "answer"}, ...]}` in the order of the messages, each
    what `inbox` would have answered to that message alone. Each message is checked on its own,
    signature first, so a bad one is refused without affecting the others; a delivery whose
    framing is broken (the messages cannot be told apart) is refused whole.
    """
    raw = _body(request)
    if isinstance(raw, JsonResponse):
        return raw
    try:
        messages = unpack_delivery(raw)
    except DeliveryError as exc:
        status, answer = do_refuse_unread(len(raw), code="malformed", reason=str(exc))
        return JsonResponse(answer, status=status)
    if not messages:
        status, answer = do_refuse_unread(
            len(raw), code="malformed", reason="The delivery holds no message."
        )
        return JsonResponse(answer, status=status)
    if len(messages) > settings.TIPNET_EXCHANGE_DELIVERY_MAX:
        status, answer = do_refuse_unread(
            len(raw),
            reason=f"A delivery holds at most {settings.TIPNET_EXCHANGE_DELIVERY_MAX} messages, "
            f"not {len(messages)}.",
        )
        return JsonResponse(answer, status=status)
    answers = do_receive_messages(messages)
    return JsonResponse({"results": [{"status": s, "answer": a} for s, a in answers]})


@login_required
@require_GET
def message_log(request: HttpRequest) -> HttpResponse:
    # Every message in and out is logged: counted a bounded distance ahead.
    page = request_page(request, access_message_log(request.user), settings.TIPNET_PAGE_SIZE)
    alerts = access_outbox(request.user).filter(state=OutboxMessage.State.NOT_DELIVERED)[:20]
    pending = access_outbox(request.user).exclude(
        state__in=[OutboxMessage.State.DELIVERED, OutboxMessage.State.NOT_DELIVERED]
    )[:50]
    context = {"page": page, "alerts": alerts, "pending": pending, "query": link_query(request.GET)}
    return render(request, "exchange/message_log.html", context)
