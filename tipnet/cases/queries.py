"""Filtering the case list and searching persons across the cases a user may see."""

import contextlib
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tipnet.linkage import name_similarity

from .access import free_text_condition, visible_case_persons
from .models import Case, CasePerson, Identifier, PersonNameKey, RouteLeg
from .names import (
    identifier_key,
    latin_form,
    name_keys,
    normalise_identifier,
    normalise_phone,
    sealed_name_keys,
)

SEARCH_LIMIT = 50


def filter_cases(user, cases: QuerySet[Case], **f) -> QuerySet[Case]:
    """Apply the list filters (all optional) to cases `user` may see (already access-checked).

    The text query matches titles only of cases whose free text `user` may read, so a search
    cannot reveal what a withheld title says.
    """
    if f.get("q"):
        in_title = Q(title__icontains=f["q"]) & free_text_condition(user)
        cases = cases.filter(Q(reference__icontains=f["q"]) | in_title)
    if f.get("stage"):
        cases = cases.filter(stage=f["stage"])
    if f.get("form"):
        cases = cases.filter(_has_form(f["form"]))
    if f.get("country"):
        legs = RouteLeg.objects.filter(case=OuterRef("pk"), country=f["country"])
        cases = cases.filter(Exists(legs))
    if f.get("agency"):
        cases = cases.filter(agency__code=f["agency"].upper())
    if f.get("opened_from"):
        cases = cases.filter(opened_on__gte=f["opened_from"])
    if f.get("opened_to"):
        cases = cases.filter(opened_on__lte=f["opened_to"])
    return cases


def _has_form(code: str) -> Q:
    # SQLite has no JSON containment; a quoted code cannot match inside another code.
    if connection.vendor == "postgresql":
        return Q(exploitation_forms__contains=[code])
    return Q(exploitation_forms__icontains=f'"{code}"')


@dataclass
class Hit:
    row: CasePerson
    score: float
    matched: str


def _similarity(a: str, b: str) -> float:
    return float(name_similarity(a, b))


def _identifier_match(q: str) -> Q:
    """Identifiers `q` may be, each with its kind, so the (kind, keyed) index is used.

    Identifier values are encrypted: they are found by the keyed hash of their normalised form.
    """
    as_text = identifier_key(q.strip().lower().lstrip("@"))
    match = Q(kind__in=["email", "social", "address"], keyed=as_text)
    if len(re.sub(r"\D", "", q)) >= 7:
        with contextlib.suppress(ValueError):
            match |= Q(kind="phone", keyed=identifier_key(normalise_phone(q)))
    with contextlib.suppress(ValueError):
        document = identifier_key(normalise_identifier("passport", q))
        match |= Q(kind__in=["passport", "national_id", "bank_account"], keyed=document)
    return match


def search_persons(user, q: str) -> list[Hit]:
    """Person rows of visible cases whose name (either script) or identifier matches `q`.

    A name matches on every phonetic key of `q`: in clear for persons who were never victims,
    as keyed hashes for sealed persons (a person has one form or the other, never both).
    """
    q = (q or "").strip()[:200]
    if not q:
        return []
    rows = visible_case_persons(user)
    by_identifier = Identifier.objects.filter(_identifier_match(q))
    hits = [
        Hit(r, 1.0, "identifier")
        for r in rows.filter(person__in=by_identifier.values("person"))[:SEARCH_LIMIT]
    ]
    keys = name_keys(q)
    if keys:
        people = (
            PersonNameKey.objects.filter(key__in=keys | sealed_name_keys(keys))
            .values("person")
            .annotate(n=Count("key", distinct=True))
            .filter(n=len(keys))
            .values("person")
        )
        wanted = latin_form(q)
        seen = {h.row.pk for h in hits}
        for row in rows.filter(person__in=people)[: SEARCH_LIMIT * 4]:
            if row.pk not in seen:
                hits.append(Hit(row, _similarity(wanted, row.person.latin_name), "name"))
    hits.sort(key=lambda h: (-h.score, h.row.person.latin_name))
    return hits[:SEARCH_LIMIT]
