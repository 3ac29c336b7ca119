"""`{% coop_panel case %}`: the case page's panel of police messages (cooperation owns it)."""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import get_language

from tipnet.cases.models import Case
from tipnet.cooperation.access import is_officer
from tipnet.cooperation.models import Item, Thread
from tipnet.lib.prepared import Prepared

register = template.Library()


@register.simple_tag(takes_context=True)
def coop_panel(context, case):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (is_officer(user) and case.agency_id == user.agency_id):
        return ""
    threads = _THREADS(case.pk, user.agency_id)
    items = _ITEMS(case.pk)
    if not (threads or items):
        return _empty_panel(get_language(), case.pk)
    panel = get_template("cooperation/_case_panel.html").template
    values = {"show": True, "case": case, "threads": threads, "items": items}
    return panel.render(context.new(values))


# Read on every case page of an officer: the SQL is built once (tipnet/lib/prepared.py).
_THREADS: Prepared[Thread] = Prepared(
    lambda case_id, agency_id: Thread.objects.filter(case_id=case_id, agency_id=agency_id)
)
_ITEMS: Prepared[Item] = Prepared(
    # Prefetched, not joined: most cases have no such items, and the plain query is much
    # cheaper to build; the related rows cost three queries only when there are items.
    lambda case_id: (
        Item.objects.filter(attached_case_id=case_id)
        .prefetch_related("message__thread", "attached_person")
        .exclude(attached_person=None)
    )
)


@lru_cache(maxsize=5_000)
def _empty_panel(language: str, case_pk: int) -> str:
    """The panel of a case without police messages (most cases), rendered once per language
    and case."""
    values = {"show": True, "case": Case(pk=case_pk), "threads": [], "items": []}
    with translation.override(language):
        return get_template("cooperation/_case_panel.html").render(values)
