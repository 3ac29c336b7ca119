"""The cases, MLA requests and joint-investigation agreements an event produced.

An event is directory data every user reads; what it produced is not. An `EventOutcome` keeps
only the record's id, and each reader sees an outcome only through that record's own access
rules (cases.access, mla.access, jit.access), so the event page never shows more than the
reader could open anyway.
"""

from dataclasses import dataclass

from django.urls import reverse

from tipnet.cases.access import visible_cases
from tipnet.jit.access import visible_agreements
from tipnet.mla.access import visible_requests

from .models import EventOutcome, OutcomeKind


@dataclass(frozen=True)
class Produced:
    outcome: EventOutcome
    label: str
    url: str


def _visible(user, kind: str):
    if kind == OutcomeKind.CASE:
        return visible_cases(user), "cases:detail", lambda c: f"{c.reference} — {c.title}"
    if kind == OutcomeKind.MLA:
        return visible_requests(user), "mla:detail", lambda r: r.reference
    return visible_agreements(user), "jit:detail", lambda a: a.title


def visible_record(user, kind: str, object_id: int):
    """The case, request or agreement `object_id` of `kind` if `user` may open it, else None."""
    if kind not in OutcomeKind.values:
        return None
    queryset, _url, _label = _visible(user, kind)
    return queryset.filter(pk=object_id).first()


def find_by_reference(user, kind: str, reference: str):
    """The record of `kind` with this reference (cases and requests) or title (agreements)
    that `user` may open, else None."""
    if kind not in OutcomeKind.values:
        return None
    queryset, _url, _label = _visible(user, kind)
    field = "title" if kind == OutcomeKind.JIT else "reference"
    return queryset.filter(**{field: reference.strip()}).first()


def visible_outcomes(user, event) -> list[Produced]:
    """What `event` produced that `user` may open, each with its label and link."""
    rows = list(EventOutcome.objects.filter(event=event))
    out: list[Produced] = []
    for kind in OutcomeKind.values:
        ids = [r.object_id for r in rows if r.kind == kind]
        if not ids:
            continue
        queryset, url_name, label = _visible(user, kind)
        found = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
        for row in rows:
            if row.kind == kind and row.object_id in found:
                obj = found[row.object_id]
                out.append(Produced(row, label(obj), reverse(url_name, args=[obj.pk])))
    return out
