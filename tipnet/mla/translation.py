"""What a letter needs translated for its requested state, from the treaty data file.

A state's `translation` fact (data/treaties.yaml) names the documents it wants in one of its
languages and whether the translation must be certified. The checklist lists the letter itself
when it is written in none of those languages, and each annex, which the drafter checks against
the language it is written in.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from tipnet.directory.models import Country

from .enums import Direction
from .treaties import TranslationFact, read_treaty_file


@dataclass
class Item:
    document: str
    into: list[str]
    is_certified: bool
    # An annex needs it only when it is written in none of `into`.
    is_conditional: bool = False


@dataclass
class Checklist:
    state: str
    items: list[Item] = field(default_factory=list)
    source: str = ""
    is_verified: bool = False
    country: Country | None = None

    @property
    def letter_needs_translation(self) -> bool:
        return any(not item.is_conditional for item in self.items)


@lru_cache(maxsize=1)
def _facts() -> dict[str, TranslationFact]:
    states = read_treaty_file().states
    return {code: s.translation for code, s in states.items() if s.translation is not None}


def translation_fact(state: str) -> TranslationFact | None:
    """The translation fact of `state` in the treaty data file, if it records one."""
    return _facts().get((state or "").upper())


def checklist_for(req) -> Checklist | None:
    """The translations an outgoing request needs for its requested state; None if none."""
    fact = translation_fact(req.requested_state)
    if fact is None or req.direction != Direction.OUTGOING:
        return None
    country = Country.objects.filter(code=req.requested_state).first()
    found = Checklist(req.requested_state, [], fact.source, fact.verified, country)
    if "request" in fact.documents and req.language and req.language not in fact.into:
        found.items.append(Item(str(_("The letter of request")), fact.into, fact.certified))
    if "annexes" in fact.documents:
        for annex in (line.strip() for line in req.annexes.splitlines()):
            if annex:
                found.items.append(Item(annex, fact.into, fact.certified, is_conditional=True))
    return found if found.items else None
