from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tipnet.lib.paging import link_query, request_page

from .access import access_audit_events
from .actions import record


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = access_audit_events(request.user).order_by("-seq")
    # No stored tag or user name holds a NUL, and the log cannot record one (the read is logged).
    tag = request.GET.get("tag", "").replace("\x00", "").strip()[:100]
    actor = request.GET.get("actor", "").replace("\x00", "").strip()[:150]
    if tag:
        events = events.filter(tag__startswith=tag)
    if actor:
        events = events.filter(actor=actor)
    # Reading the log is itself a restricted read, so it is logged (before the page is counted,
    # so the count and the rows shown agree).
    record("audit:event:list", actor=request.user, tag_filter=tag, actor_filter=actor)
    # A national node's log holds millions of events: counted a bounded distance ahead.
    page = request_page(request, events, settings.TIPNET_PAGE_SIZE)
    context = {"page": page, "tag": tag, "actor": actor, "query": link_query(request.GET)}
    return render(request, "audit/event_list.html", context)
