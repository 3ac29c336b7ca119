"""Directory search: words in any order, in either script, and common short forms.

Each agency and contact keeps a `search_text`: its names case-folded as written plus the Latin
spellings of each (tipnet.linkage, the same transliteration the person search uses), folded to
letters and digits. A query is split into words; every word must occur, in any order. A word is
looked for as written and in its Latin spellings, so "прокуратура бош" finds "Bosh prokuratura".
A word that is a known short form (data/short_forms.yaml) may instead match any of the phrases
it stands for, so "Генпрокуратура" finds "Генеральная прокуратура".
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Q

from tipnet.linkage import latin_variants

SHORT_FORMS_FILE = Path(__file__).resolve().parent / "data" / "short_forms.yaml"

# Letters and digits of any script; apostrophes and the Uzbek ʻ are dropped inside words.
_WORD = re.compile(r"[^\W_]+(?:['ʻʼ‘’`][^\W_]+)*")
_MARKS = re.compile(r"['ʻʼ‘’`]")
# Longer queries are cut: a search box is not a place for a paragraph.
MAX_WORDS = 8


def words(text: str) -> list[str]:
    return [_MARKS.sub("", w) for w in _WORD.findall(unicodedata.normalize("NFC", text.casefold()))]


def _ascii(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_forms(word: str) -> set[str]:
    """The forms one folded word is searched under: as written and its Latin spellings."""
    forms = {word}
    for variant in latin_variants(word):
        forms.update(_ascii(w) for w in words(variant))
    return {f for f in forms if f}


def search_text(*parts: str) -> str:
    """The text stored for searching `parts` (names as written, any script)."""
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        out.append(" ".join(words(part)))
        for variant in latin_variants(part)[:4]:
            out.append(_ascii(" ".join(words(variant))))
    seen: dict[str, None] = dict.fromkeys(x for x in out if x)
    return " | ".join(seen)


@cache
def short_forms() -> dict[str, tuple[tuple[str, ...], ...]]:
    """{folded short form: phrases it stands for, each a tuple of folded words}."""
    data = yaml.safe_load(SHORT_FORMS_FILE.read_text(encoding="utf-8"))
    table: dict[str, tuple[tuple[str, ...], ...]] = {}
    for entry in data["entries"]:
        phrases = tuple(tuple(words(p)) for p in entry["means"])
        for short in entry["short"]:
            (key,) = words(str(short))  # one word each: the file's rule
            table[key] = table.get(key, ()) + phrases
    return table


def _word_q(word: str, fields: tuple[str, ...]) -> Q:
    condition = Q()
    for form in sorted(word_forms(word)):
        for field in fields:
            condition |= Q(**{f"{field}__contains": form})
    return condition


def _phrase_q(words: tuple[str, ...], fields: tuple[str, ...]) -> Q:
    condition = Q()
    for word in words:
        condition &= _word_q(word, fields)
    return condition


def matching(q: str, *fields: str) -> Q:
    """The condition for rows whose `fields` (search_text columns) match every word of `q`.

    Examples:
        >>> Agency.objects.filter(matching("prokuratura bosh", "search_text"))
    """
    condition = Q()
    for word in words(q)[:MAX_WORDS]:
        alternatives = _word_q(word, fields)
        phrases = {p for form in word_forms(word) for p in short_forms().get(form, ())}
        for phrase in sorted(phrases):
            alternatives |= _phrase_q(phrase, fields)
        condition &= alternatives
    return condition
