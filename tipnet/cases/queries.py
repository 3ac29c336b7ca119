"""Filtering the case list and searching persons across the cases a user may see."""

import contextlib
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from tipnet.linkage import name_similarity

from .access import free_text_condition, visible_case_persons
from .enums import IdentifierKind
from .models import Case, CasePerson, Identifier, Person, PersonNameKey, RouteLeg
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


def _name_groups(q: str) -> list[set[str]]:
    """The name keys of `q`, one set per word: a person matches with one key of every set.

    One word has several keys (Xo'jayev: "xv" from the Uzbek Latin x and "hv" from kh), and a
    record written in another script holds only some of them (Ходжаев: "hv"), so requiring every
    key of the query would miss it. Words that are patronymics (dropped from the keys) are skipped.
    """
    wanted = name_keys(q)
    groups = []
    for word in q.split():
        group = name_keys(word) & wanted
        if group and group not in groups:
            groups.append(group)
    covered = set().union(*groups) if groups else set()
    if wanted - covered:  # keys only the whole name gives (a word split differently)
        groups.append(wanted - covered)
    return groups


def _group_keys(groups: list[set[str]]) -> list[list[str]]:
    """Each group's keys in clear and keyed (a sealed person holds the keyed hashes instead)."""
    return [sorted(group | sealed_name_keys(group)) for group in groups]


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _matched_by_name(groups: list[set[str]], vendor: str) -> tuple[str, list[str]]:
    """SQL for (person_id, hits) of every person who holds a key of each group, `hits` being how
    many of all the groups' keys they hold, with its parameters, for _ranked_by_name.

    On PostgreSQL a query of several words is a DISTINCT over one group's key rows with an
    EXISTS for each other group: the planner knows from its statistics how many persons hold
    each key and starts from the rarest word (one common surname is held by thousands), probing
    the (person, key) index for the others; only the persons found are counted. Reading every
    key row and grouping it by person cost twice as much on the benchmark's names. SQLite keeps
    no per-value statistics by default to choose the rarest word by, so there (and for one word,
    where every row read matches) the key rows are grouped by person, with a HAVING condition
    per group.
    """
    table = PersonNameKey._meta.db_table
    group_keys = _group_keys(groups)
    every = sorted({key for keys in group_keys for key in keys})
    # Only the table's name, aliases numbered here and placeholders are formatted in: values
    # are parameters.
    if vendor == "postgresql" and len(group_keys) > 1:
        first, *others = group_keys
        exists = " AND ".join(
            f"EXISTS (SELECT 1 FROM {table} k{i} WHERE k{i}.person_id = k0.person_id"  # noqa: S608
            f" AND k{i}.key IN ({_marks(keys)}))"
            for i, keys in enumerate(others, start=1)
        )
        persons = (
            f"SELECT DISTINCT k0.person_id FROM {table} k0"  # noqa: S608
            f" WHERE k0.key IN ({_marks(first)}) AND {exists}"
        )
        hits = (
            f"SELECT COUNT(*) FROM {table} h"  # noqa: S608
            f" WHERE h.person_id = c.person_id AND h.key IN ({_marks(every)})"
        )
        sql = f"SELECT c.person_id, ({hits}) AS hits FROM ({persons}) c"  # noqa: S608
        return sql, [*every, *first, *[key for keys in others for key in keys]]
    sql = (
        f"SELECT k.person_id, COUNT(*) AS hits FROM {table} k"  # noqa: S608
        f" WHERE k.key IN ({_marks(every)}) GROUP BY k.person_id"
    )
    params = list(every)
    if len(group_keys) > 1:
        having = " AND ".join(
            f"MAX(CASE WHEN k.key IN ({_marks(keys)}) THEN 1 ELSE 0 END) = 1" for keys in group_keys
        )
        sql += f" HAVING {having}"
        params += [key for keys in group_keys for key in keys]
    return sql, params


def _ranked_by_name(rows: QuerySet[CasePerson], groups: list[set[str]], limit: int) -> list[int]:
    """Ids of persons with a row in `rows` who hold a key of every group, best first, at most
    `limit`: those holding more of the query's keys (a name written the way it was searched has
    the keys of both spellings), then the most recently recorded.

    The persons matching the whole query are found from the key index first, so only they are
    checked against `rows`; on PostgreSQL the check runs in rank order and stops at `limit`.
    """
    if rows.query.is_empty():
        return []
    matched, params = _matched_by_name(groups, connection.vendor)
    if connection.vendor == "postgresql":
        visible, visible_params = _one_visible_row(rows, "f.person_id")
        # LATERAL with its LIMIT cannot become a hash join over every visible row (half a
        # million at an agency of the benchmark): it is probed once per person, in rank order.
        sql = (
            f"SELECT f.person_id FROM ({matched} ORDER BY hits DESC, person_id DESC) f"  # noqa: S608
            f" CROSS JOIN LATERAL ({visible}) v"
            " ORDER BY f.hits DESC, f.person_id DESC LIMIT %s"
        )
    else:
        visible, visible_params = _one_visible_row(rows, "m.person_id")
        sql = (
            f"SELECT m.person_id FROM ({matched}) m WHERE EXISTS ({visible})"  # noqa: S608
            " ORDER BY m.hits DESC, m.person_id DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *visible_params, limit])
        return [row[0] for row in cursor.fetchall()]


def _one_visible_row(rows: QuerySet[CasePerson], person_column: str) -> tuple[str, tuple]:
    """SQL for one row of `rows` of the person in the outer query's `person_column`."""
    # The column is one of two literals of _ranked_by_name, never input.
    correlated = RawSQL(person_column, ())  # noqa: S611
    one = rows.filter(person_id=correlated).order_by().values("pk")[:1]
    return one.query.sql_with_params()


@dataclass
class Named:
    """Persons found by name: (id, name similarity to the query, Latin name) best first."""

    found: list[tuple[int, float, str]]
    more: bool  # more persons matched than the limit: the rest are not listed


def _named(rows: QuerySet[CasePerson], q: str, groups: list[set[str]], limit: int) -> Named:
    """The best `limit` persons of `rows` found by name; only their Latin names are decrypted."""
    if not groups:
        return Named([], False)
    ids = _ranked_by_name(rows, groups, limit + 1)
    wanted = latin_form(q)
    names = Person.objects.filter(pk__in=ids[:limit]).values_list("pk", "latin_name")
    found = [(pk, _similarity(wanted, latin), latin) for pk, latin in names]
    found.sort(key=lambda f: (-f[1], f[2]))
    return Named(found, len(ids) > limit)


def search_persons(user, q: str) -> list[Hit]:
    """Person rows of visible cases whose name (either script) or identifier matches `q`.

    A name matches on one phonetic key of each word of `q`: in clear for persons who were never
    victims, as keyed hashes for sealed persons (a person has one form or the other, never both).
    The SEARCH_LIMIT persons holding most of the query's keys are scored and their rows listed.
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
    scores = {pk: score for pk, score, _ in _named(rows, q, _name_groups(q), SEARCH_LIMIT).found}
    if scores:
        seen = {h.row.pk for h in hits}
        for row in rows.filter(person_id__in=list(scores)):
            if row.pk not in seen:
                hits.append(Hit(row, scores[row.person_id], "name"))
    hits.sort(key=lambda h: (-h.score, h.row.person.latin_name))
    return hits[:SEARCH_LIMIT]


PEOPLE_PER_PAGE = 20
# Persons found by name are ranked in SQL by how many of the query's keys they hold; only the
# best this many are read, scored by name similarity and listed, and a search that finds more
# says so (rather than decrypting and scoring every namesake of a common surname).
RANKED_LIMIT = 200


@dataclass
class PersonGroup:
    """One person found, with the case rows (cases and roles) under which `user` may see them."""

    person: Person
    score: float
    matched: str
    rows: list[CasePerson]


@dataclass
class PeopleResult:
    groups: list[PersonGroup]
    total: int  # persons listed, all pages (at most RANKED_LIMIT found by name, see `more`)
    page: int
    pages: int
    one_name: bool  # the name searched has a single word (a surname alone, say)
    more: bool = False  # more than RANKED_LIMIT persons matched the name: not all are listed
    per_page: int = PEOPLE_PER_PAGE
    limit: int = 0  # RANKED_LIMIT when the search ran

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.per_page, self.total)


# Encrypted fields the result page does not show: left undecrypted.
_NOT_LISTED = ("case__summary", "person__birth_year", "person__birth_month", "person__birth_day")


def search_people(user, q: str, page=1, per_page: int = PEOPLE_PER_PAGE) -> PeopleResult:
    """Persons whose name or identifier matches `q`, each with their cases, a page at a time.

    Persons found by an identifier come first, then those found by name, by name similarity,
    among the RANKED_LIMIT persons who hold most of the query's keys. Nothing is cut silently:
    `total` counts every person listed, and `more` says when the name matched more persons than
    are listed. Only the listed persons' Latin names are decrypted, and the page's full records.
    """
    q = (q or "").strip()[:200]
    if not q:
        return PeopleResult([], 0, 1, 1, False, per_page=per_page)
    rows = visible_case_persons(user)
    by_identifier = set(
        rows.filter(
            person__in=Identifier.objects.filter(_identifier_match(q)).values("person")
        ).values_list("person_id", flat=True)
    )
    groups = _name_groups(q)
    named = _named(rows, q, groups, RANKED_LIMIT)
    one_name = len(groups) == 1 and len(q.split()) == 1 and not by_identifier
    scores = dict.fromkeys(by_identifier, 1.0)
    ranked = sorted(by_identifier)
    for pk, score, _latin in named.found:
        if pk not in scores:
            scores[pk] = score
            ranked.append(pk)
    if not ranked:
        return PeopleResult([], 0, 1, 1, one_name, per_page=per_page)
    pages = max(1, -(-len(ranked) // per_page))
    try:
        number = min(max(1, int(page)), pages)
    except (TypeError, ValueError):
        number = 1
    shown = ranked[(number - 1) * per_page : number * per_page]
    by_person: dict[int, list[CasePerson]] = {pk: [] for pk in shown}
    page_rows = rows.filter(person_id__in=shown).order_by("-case__opened_on", "case_id")
    for row in page_rows.defer(*_NOT_LISTED):
        by_person[row.person_id].append(row)
    people = [
        PersonGroup(
            person=by_person[pk][0].person,
            score=scores[pk],
            matched="identifier" if pk in by_identifier else "name",
            rows=by_person[pk],
        )
        for pk in shown
        if by_person[pk]
    ]
    return PeopleResult(
        people, len(ranked), number, pages, one_name, named.more, per_page, RANKED_LIMIT
    )


# A person found by name is offered as "possibly the same" from this similarity on.
SIMILAR_THRESHOLD = 0.85
SIMILAR_LIMIT = 10


@dataclass
class Similar:
    """A person already recorded in a case `user` may see, who may be the one being added."""

    person: Person
    score: float
    matched: str  # "name" or an identifier kind
    rows: list[CasePerson]

    @property
    def matched_label(self) -> str:
        return str(dict(IdentifierKind.choices).get(self.matched, self.matched))


def similar_persons(user, full_name: str, identifiers=()) -> list[Similar]:
    """Persons `user` may see who may be the person about to be added: the same identifier
    (kind, value, country) or a similar name in either script, best first.

    Only rows of visible_case_persons are looked at, so a case the user may not see (or a
    victim whose identity they may not see) gives no hint at all, not even a count.
    """
    rows = visible_case_persons(user)
    found: dict[int, Similar] = {}
    for kind, value, country in identifiers:
        try:
            keyed = identifier_key(normalise_identifier(kind, value, country))
        except ValueError:
            continue
        owners = Identifier.objects.filter(kind=kind, keyed=keyed).values("person")
        for row in rows.filter(person__in=owners)[:SIMILAR_LIMIT]:
            found.setdefault(row.person_id, Similar(row.person, 1.0, kind, []))
    for hit in search_persons(user, full_name):
        if hit.score >= SIMILAR_THRESHOLD:
            found.setdefault(hit.row.person_id, Similar(hit.row.person, hit.score, "name", []))
    ranked = sorted(found.values(), key=lambda s: (-s.score, s.person.latin_name))
    ranked = ranked[:SIMILAR_LIMIT]
    by_person = {s.person.pk: s for s in ranked}
    for row in rows.filter(person_id__in=list(by_person)).order_by("-case__opened_on", "id"):
        by_person[row.person_id].rows.append(row)
    return ranked
