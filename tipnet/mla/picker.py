"""Starting a request: the case picker and the requested state proposed from the case.

The picker searches, on the server, the cases the drafter may see (tipnet.cases.access) by
reference or title; it is a plain GET form, which htmx refreshes as the user types when
scripts run. The proposal only sets the form's initial value: the drafter may choose any state.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tipnet.cases.access import visible_cases
from tipnet.cases.enums import LegKind
from tipnet.victims.models import Victim

PICKER_LIMIT = 20

REASONS = {
    LegKind.DESTINATION: _("the destination on the case's route"),
    "exploitation": _("the country of exploitation of a victim in the case"),
    LegKind.TRANSIT: _("a transit country on the case's route"),
}


def search_cases(user, query: str):
    """Up to PICKER_LIMIT cases `user` may see whose reference or title contains `query`, and
    whether more matched."""
    cases = visible_cases(user).order_by("-opened_on", "-id")
    query = query.strip()
    if query:
        cases = cases.filter(Q(reference__icontains=query) | Q(title__icontains=query))
    found = list(cases[: PICKER_LIMIT + 1])
    return found[:PICKER_LIMIT], len(found) > PICKER_LIMIT


def _candidates(case):
    legs = list(case.route.all())
    for leg in reversed(legs):
        if leg.kind == LegKind.DESTINATION:
            yield leg.country, LegKind.DESTINATION
    countries = Victim.objects.filter(case=case).exclude(exploitation_country="")
    for code in countries.values_list("exploitation_country", flat=True).order_by("id"):
        yield code, "exploitation"
    for leg in legs:
        if leg.kind == LegKind.TRANSIT:
            yield leg.country, LegKind.TRANSIT


def propose_state(case, allowed) -> tuple[str, str] | None:
    """(country code, why) of the state a request in `case` most likely goes to, among the
    codes `allowed`; None when the route names none of them."""
    allowed = set(allowed)
    for code, why in _candidates(case):
        if code.upper() in allowed:
            return code.upper(), str(REASONS[why])
    return None
