"""The case page's panel of checks across borders: `{% checks_panel case rows %}`.

A template tag, so that the cases app shows the panel without importing checks; the panel
is empty for a user who may not ask checks.
"""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from tipnet.cases.models import Case, CasePerson, Person
from tipnet.mla.access import can_draft

from ..access import can_check, checkable_rows, recent_case_checks

register = template.Library()


@register.simple_tag(takes_context=True)
def checks_panel(context, case, rows=None):
    """`rows`: the case's persons the page has read already (all, or all but the victims
    hidden from the user), so that they are not read again."""
    user = context["request"].user
    if not can_check(user):
        return ""
    checks = recent_case_checks(user, case)
    found = checkable_rows(user, case, rows)
    if not checks:
        shown = tuple((row.pk, row.person.full_name, row.role) for row in found)
        return _unchecked_panel(get_language(), case.pk, shown)
    panel = get_template("checks/_panel.html").template
    values = _panel_context(case, found, checks, can_draft_mla=can_draft(user))
    return panel.render(context.new(values))


def _panel_context(case, rows, checks, *, can_draft_mla: bool) -> dict:
    return {
        "shown": True,
        "case": case,
        # reversed once, not once a person
        "new_url": reverse("checks:new", args=[case.pk]),
        "checks": checks,
        "rows": rows,
        "can_draft_mla": can_draft_mla,
    }


@lru_cache(maxsize=5_000)
def _unchecked_panel(language: str, case_pk: int, rows: tuple[tuple[int, str, str], ...]) -> str:
    """The panel of a case without checks, rendered once per language, case and persons (pk,
    name, role) offered: most cases have none, and the panel then shows only these."""
    found = [CasePerson(pk=pk, role=role, person=Person(full_name=name)) for pk, name, role in rows]
    # Without checks, the panel shows no follow-up link: the user's right to draft one is moot.
    context = _panel_context(Case(pk=case_pk), found, [], can_draft_mla=False)
    with translation.override(language):
        return get_template("checks/_panel.html").render(context)
