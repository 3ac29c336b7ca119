"""The node's encoded index: what other nodes' checks are compared with.

Every person who holds a role in this node's cases gets one `IndexEntry` with a keyed Bloom
filter of the name (all its Latin variants), one of name, birth date and sex, and keyed tokens
of the exact identifiers (phone, passport, national ID, e-mail), all under the network check key
of the current epoch (`tipnet.linkage.encoding`). The entry is written by Django's model signals
of `cases` (Person, CasePerson, Identifier), which run inside the transaction of the `cases`
action that saved the row: the person and their encodings are committed together or not at all,
and `cases` needs to know nothing of checks.

Which entries answer which check is the policy's business (`search`), so a change of policy
needs no re-encoding; a new epoch does, and so does a new version of the encodings
(`tipnet.linkage.encoding.ENCODING_VERSION`, recorded in `IndexState`): encodings of two
versions are not comparable (`ensure_epoch`, `rebuild`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tipnet.cases.models import CasePerson, Identifier, Person

from . import netkey
from .models import IndexEntry, IndexState

# The identifier kinds encoded as tokens (the others are too loose to compare exactly).
TOKEN_KINDS = ("phone", "passport", "national_id", "email")


def _encoding():
    # Imported when used: the encodings are the linkage layer's, and the index works (empty)
    # on a node without a check key.
    from tipnet.linkage import encoding

    return encoding


def encoding_version() -> int:
    """The version of the encodings this node makes, sends and compares."""
    return int(_encoding().ENCODING_VERSION)


def birth_text(person: Person) -> str:
    """The birth date as the encodings take it: "1990-05-17", "1990-05", "1990" or ""."""
    if person.birth_year is None:
        return ""
    parts = [f"{person.birth_year:04d}"]
    if person.birth_month:
        parts.append(f"{person.birth_month:02d}")
        if person.birth_day:
            parts.append(f"{person.birth_day:02d}")
    return "-".join(parts)


SEX_CODES = {"male": "m", "female": "f"}


@dataclass(frozen=True)
class Encoded:
    """The encodings of one person (or of one query) under one epoch's key."""

    epoch: int
    name_clk: bytes
    person_clk: bytes
    tokens: list[str]
    # Whether a birth date or a sex went into person_clk (else it encodes the name only).
    has_details: bool = False


def encode(
    key: netkey.CheckKey,
    full_name: str,
    birth: str,
    sex: str,
    identifiers: Iterable[tuple[str, str, str]],
) -> Encoded:
    """Encode a name, a birth date ("" when unknown), a sex and (kind, value, country) triples."""
    enc = _encoding()
    tokens = set()
    for kind, value, country in identifiers:
        if kind in TOKEN_KINDS:
            token = enc.identifier_token(kind, value, key.secret, country or None)
            if token:
                tokens.add(token)
    code = SEX_CODES.get(sex)
    return Encoded(
        key.epoch,
        bytes(enc.name_encoding(full_name, key.secret)),
        bytes(enc.person_encoding(full_name, birth or None, code, key.secret)),
        sorted(tokens),
        bool(birth or code),
    )


def encode_person(key: netkey.CheckKey, person: Person) -> Encoded:
    identifiers = [(i.kind, i.normalised, i.country) for i in person.identifiers.all()]
    return encode(key, person.full_name, birth_text(person), person.sex, identifiers)


def _state() -> IndexState:
    state, _ = IndexState.objects.get_or_create(pk=1)
    return state


def index_person(person: Person, key: netkey.CheckKey | None = None) -> IndexEntry | None:
    """Write (or drop) the person's entry; None when the node has no key or the person no role.

    Called inside the transaction that changed the person, so no lock beyond it is needed.
    """
    if key is None:
        try:
            key = netkey.current()
        except netkey.CheckKeyError:
            return None
    roles = sorted(set(CasePerson.objects.filter(person=person).values_list("role", flat=True)))
    if not roles:
        IndexEntry.objects.filter(person=person).delete()
        return None
    encoded = encode_person(key, person)
    entry, _ = IndexEntry.objects.update_or_create(
        person=person,
        defaults={
            "epoch": encoded.epoch,
            "roles": roles,
            "name_clk": encoded.name_clk,
            "person_clk": encoded.person_clk,
            "tokens": encoded.tokens,
            "has_details": encoded.has_details,
            "updated_at": timezone.now(),
        },
    )
    return entry


def rebuild(key: netkey.CheckKey | None = None) -> int:
    """Re-encode every person with a role under the current epoch and encoding version; the
    number indexed."""
    key = key or netkey.current()
    version = encoding_version()
    with transaction.atomic():
        state = IndexState.objects.select_for_update().filter(pk=1).first() or _state()
        stale = IndexEntry.objects.all()
        if state.encoding_version == version:
            stale = stale.exclude(epoch=key.epoch)
        stale.delete()
        count = 0
        persons = Person.objects.filter(case_roles__isnull=False).distinct()
        for person in persons.prefetch_related("identifiers"):
            if index_person(person, key):
                count += 1
        state.epoch, state.encoding_version = key.epoch, version
        state.rebuilt_at = timezone.now()
        state.save()
    return count


def ensure_epoch(key: netkey.CheckKey) -> None:
    """Rebuild the index when it was encoded under another epoch (after a rotation) or with
    another version of the encodings (after an upgrade)."""
    state = _state()
    if (state.epoch, state.encoding_version) != (key.epoch, encoding_version()):
        rebuild(key)


def indexed_epoch() -> int:
    return _state().epoch


def indexed_encoding_version() -> int:
    """The version of the encodings the index holds (see ``ensure_epoch``)."""
    return _state().encoding_version


@dataclass(frozen=True)
class Match:
    person_id: int
    strength: str


STRENGTH_ORDER = {"identifier": 3, "strong": 2, "possible": 1}


def search(query: Encoded, roles: Iterable[str]) -> Match | None:
    """The best entry of the current epoch that holds one of `roles` and matches `query`.

    Dice over all candidate encodings at once (vectorised in tipnet.linkage.encoding).
    """
    enc = _encoding()
    wanted = set(roles)
    entries = [
        e
        for e in IndexEntry.objects.filter(epoch=query.epoch).only(
            "person_id", "roles", "name_clk", "person_clk", "tokens", "has_details"
        )
        if wanted & set(e.roles)
    ]
    if not entries:
        return None
    name_dice = enc.dice_many(
        query.name_clk, enc.encoding_matrix([bytes(e.name_clk) for e in entries])
    )
    person_dice = enc.dice_many(
        query.person_clk, enc.encoding_matrix([bytes(e.person_clk) for e in entries])
    )
    tokens = set(query.tokens)
    best: Match | None = None
    for i, entry in enumerate(entries):
        # Dates and sex are compared only when both sides encoded some: a side without them
        # neither confirms nor contradicts the name.
        details = float(person_dice[i]) if query.has_details and entry.has_details else None
        band = enc.strength(float(name_dice[i]), details, bool(tokens & set(entry.tokens)))
        if band and (best is None or STRENGTH_ORDER[band] > STRENGTH_ORDER[best.strength]):
            best = Match(entry.person_id, band)
    return best


# Kept in step with cases through the model signals (see the module's docstring).


def _on_person(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    if not raw:
        index_person(instance)


def _on_role(sender, instance: CasePerson, raw: bool = False, **kwargs) -> None:
    if not raw:
        index_person(instance.person)


def _on_identifier(sender, instance: Identifier, raw: bool = False, **kwargs) -> None:
    if not raw:
        person = Person.objects.filter(pk=instance.person_id).first()
        if person is not None:
            index_person(person)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_person, sender=Person, dispatch_uid="checks-person")
    post_save.connect(_on_role, sender=CasePerson, dispatch_uid="checks-role")
    post_delete.connect(_on_role, sender=CasePerson, dispatch_uid="checks-role-gone")
    post_save.connect(_on_identifier, sender=Identifier, dispatch_uid="checks-identifier")
    post_delete.connect(_on_identifier, sender=Identifier, dispatch_uid="checks-identifier-gone")
