"""The receiving endpoint of the node, and the message log page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .access import access_message_log, access_outbox
from .actions import do_receive_message, do_refuse_too_large, max_bytes
from .models import OutboxMessage


def _too_large(request, size: int) -> JsonResponse:
    # Read and drop a moderately oversized body so the client, still sending, gets the clear 413
    # instead of a broken pipe; a huge one is not worth reading and the connection just closes.
    if size <= 4 * max_bytes():
        while request.read(65536):
            pass
    status, answer = do_refuse_too_large(size)
    return JsonResponse(answer, status=status)


# Not session-authenticated and CSRF-exempt on purpose: the sender is authenticated by the
# envelope signature against the signed registry, which is checked before anything is stored.
@csrf_exempt
@require_POST
def inbox(request):
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
    status, answer = do_receive_message(raw)
    return JsonResponse(answer, status=status)


@login_required
@require_GET
def message_log(request):
    entries = Paginator(access_message_log(request.user), settings.TIPNET_PAGE_SIZE)
    page = entries.get_page(request.GET.get("page"))
    alerts = access_outbox(request.user).filter(state=OutboxMessage.State.NOT_DELIVERED)[:20]
    pending = access_outbox(request.user).exclude(
        state__in=[OutboxMessage.State.DELIVERED, OutboxMessage.State.NOT_DELIVERED]
    )[:50]
    return render(
        request, "exchange/message_log.html", {"page": page, "alerts": alerts, "pending": pending}
    )
