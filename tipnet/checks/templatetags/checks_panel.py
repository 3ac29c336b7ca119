"""The case page's panel of checks across borders: `{% checks_panel case rows %}`.

An inclusion tag, so that the cases app shows the panel without importing checks; the panel
is empty for a user who may not ask checks.
"""

from django import template
from django.urls import reverse

from tipnet.mla.access import can_draft

from ..access import can_check, case_checks, checkable_rows

register = template.Library()


@register.inclusion_tag("checks/_panel.html", takes_context=True)
def checks_panel(context, case, rows=None):
    """`rows`: the case's persons the page has read already (all, or all but the victims
    hidden from the user), so that they are not read again."""
    user = context["request"].user
    shown = can_check(user)
    return {
        "shown": shown,
        "case": case,
        # reversed once, not once a person
        "new_url": reverse("checks:new", args=[case.pk]) if shown else "",
        # Prefetched, not joined: most cases have no checks, and the plain query is much
        # cheaper to build; the related rows cost three queries only when there are checks.
        "checks": case_checks(user, case).prefetch_related("person", "consent__victim")[:50]
        if shown
        else [],
        "rows": checkable_rows(user, case, rows) if shown else [],
        "can_draft_mla": can_draft(user),
        "request": context["request"],
    }
