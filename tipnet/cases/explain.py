"""Why the person search suggests a person: the linkage model's waterfall for the pair.

For a person found by name, the page shows how the linkage model (``tipnet.linkage.pair``)
scores the search text against the person's record: the prior, then each comparison's level
and match weight and the running total, as ``tipnet link explain`` prints them, and the match
probability. The person is read through ``access_person``, as the search reads them.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tipnet.linkage.model import ModelError
from tipnet.linkage.pair import explain_pair

from .access import access_person
from .enums import DatePrecision, Sex
from .forms import PersonSearchForm

COMPARISONS = {
    "prior": pgettext_lazy("linkage comparison", "Before any comparison"),
    "full_name": pgettext_lazy("linkage comparison", "Name"),
    "date_of_birth": pgettext_lazy("linkage comparison", "Date of birth"),
    "sex": pgettext_lazy("linkage comparison", "Sex"),
}
# Labels of the levels, as the linkage model names them (Splink's chart labels).
LEVELS = {
    "two random records": _("two records drawn at random"),
    "name0 is NULL": _("no name on one side"),
    "Exact match on name0": _("the same name"),
    "Array intersection size >= 1": _("a spelling in common"),
    "Max `jaro_winkler` distance of 'name_skels' >= than 0.92'": _("spellings almost the same"),
    "initial or shortened form": _("an initial or a shortened form"),
    "Max `jaro_winkler` distance of 'name_skels' >= than 0.8'": _("spellings similar"),
    "All other comparisons": _("different"),
    "dob is NULL": _("no date of birth on one side"),
    "exact full date": _("the same full date"),
    "day and month swapped": _("day and month swapped"),
    "Levenshtein distance of dob <= 1": _("one character different"),
    "partial date that agrees": _("a partial date that agrees"),
    "same day and month, other year": _("the same day and month, another year"),
    "same year and month": _("the same year and month"),
    "Exact match on dob_year": _("the same year"),
    "sex is NULL": _("sex not known on one side"),
    "Exact match on sex": _("the same sex"),
}


def _person_record(person) -> dict[str, str | None]:
    birth = person.birth_display.lstrip("~") or None
    sex = person.sex if person.sex in (Sex.MALE, Sex.FEMALE) else None
    return {"full_name": person.full_name, "date_of_birth": birth, "sex": sex}


@login_required
def person_explain(request, person_id: int):
    """The waterfall for the search text `q` against person `person_id` (404 if not visible)."""
    if not 0 < person_id < 2**31:  # beyond any id: the database would refuse the number
        raise Http404
    person = access_person(request.user, person_id)
    form = PersonSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    rows: list[dict[str, Any]] = []
    context: dict[str, Any] = {"person": person, "q": q, "form": form, "rows": rows}
    if not q:
        context["error"] = _("Give the name you searched for.")
        return render(request, "cases/person_explain.html", context, status=400)
    try:
        steps, probability = explain_pair({"full_name": q}, _person_record(person))
    except ModelError:
        context["error"] = _("The linkage model of this node cannot be read.")
        return render(request, "cases/person_explain.html", context, status=503)
    total = 0.0
    for step in steps:
        total += step.match_weight
        rows.append(
            {
                "comparison": COMPARISONS.get(step.comparison, step.comparison),
                "key": step.comparison,
                "level": LEVELS.get(step.level, step.level),
                "weight": step.match_weight,
                "total": total,
            }
        )
    context["probability"] = probability
    context["estimated_birth"] = person.birth_precision == DatePrecision.ESTIMATED
    return render(request, "cases/person_explain.html", context)
