"""`{% coop_panel case %}`: the case page's panel of police messages (cooperation owns it)."""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import get_language

from tipnet.cases.models import Case
from tipnet.cooperation.access import is_officer
from tipnet.cooperation.models import Item, Thread

register = template.Library()


@register.simple_tag(takes_context=True)
def coop_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (is_officer(user) and case.agency_id == user.agency_id):
        return ""
    threads = list(Thread.objects.filter(case=case, agency_id=user.agency_id))
    items = list(
        # Prefetched, not joined: most cases have no such items, and the plain query is much
        # cheaper to build; the related rows cost three queries only when there are items.
        Item.objects.filter(attached_case=case)
        .prefetch_related("message__thread", "attached_person")
        .exclude(attached_person=None)
    )
    if not (threads or items):
        return _empty_panel(get_language(), case.pk)
    panel = get_template("cooperation/_case_panel.html").template
    values = {"show": True, "case": case, "threads": threads, "items": items}
    return panel.render(context.new(values))


@lru_cache(maxsize=5_000)
def _empty_panel(language: str, case_pk: int) -> str:
    """The panel of a case without police messages (most cases), rendered once per language
    and case."""
    values = {"show": True, "case": Case(pk=case_pk), "threads": [], "items": []}
    with translation.override(language):
        return get_template("cooperation/_case_panel.html").render(values)
