"""`{% coop_panel case %}`: the case page's panel of police messages (cooperation owns it)."""

from django import template

from tipnet.cooperation.access import is_officer
from tipnet.cooperation.models import Item, Thread

register = template.Library()


@register.inclusion_tag("cooperation/_case_panel.html", takes_context=True)
def coop_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    show = is_officer(user) and case.agency_id == user.agency_id
    threads = Thread.objects.filter(case=case, agency_id=user.agency_id) if show else []
    items = (
        # Prefetched, not joined: most cases have no such items, and the plain query is much
        # cheaper to build; the related rows cost three queries only when there are items.
        Item.objects.filter(attached_case=case)
        .prefetch_related("message__thread", "attached_person")
        .exclude(attached_person=None)
        if show
        else []
    )
    return {"show": show, "case": case, "threads": threads, "items": items}
