"""Name parts, phonetic skeletons, search keys and a script-independent name similarity."""

import re
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from tipnet.linkage.translit import latin_variants

# A patronymic is one token ending like Alisherovich/Alisherovna/Abishuly/Ahmedqizi, or a father's
# name followed by a separate particle ("Alisher o‘g‘li", "Ahmed kyzy").
_PATRONYMIC_ENDINGS = re.compile(
    r"(ovich|evich|ovych|ovic|ovna|evna|ichna|ogli|ugli|uly|uli|qizi|kizi|kyzy|gizi|ogly|oglu)$"
)
_PATRONYMIC_PARTICLES = frozenset(
    {"ogli", "ugli", "ogly", "oglu", "uly", "uli", "qizi", "kizi", "kyzy", "qyzy", "gizi"}
)
# Rewrites that make spellings of one sound equal; the longest first (see docs/linkage.md).
_SKELETON_RULES = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("kh", "h"), ("zh", "j"),
    ("dj", "j"), ("tz", "ts"), ("ts", "c"), ("iu", "u"), ("yu", "u"), ("ju", "u"),
    ("ia", "a"), ("ya", "a"), ("ja", "a"), ("ie", "e"), ("ye", "e"), ("yo", "o"), ("jo", "o"),
    ("ph", "f"), ("w", "v"), ("q", "k"), ("ck", "k"), ("y", "i"), ("j", "i"), ("ou", "u"),
    ("ee", "i"), ("gh", "g"),
)  # fmt: skip
_FEMININE_SURNAME = re.compile(r"(ov|ev|in|yn)a$")
_NOT_LETTERS = re.compile(r"[^a-z]")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS_AFTER_FIRST = re.compile(r"(?<=.)[aeiou]")


def tokens(latin: str) -> list[str]:
    """Split a Latin name into lowercase ASCII letter tokens ("O'tkir" -> "otkir")."""
    parts = re.split(r"[\s\-,.]+", latin.lower())
    return [t for t in (_NOT_LETTERS.sub("", p) for p in parts) if t]


def drop_patronymic(parts: list[str]) -> list[str]:
    """Remove patronymic tokens (-ovich, -ovna, -uly, -qizi, or "<father> ugli") from a name.

    A name of one or two tokens is kept whole: there a token ending in -ich or -uly is more
    likely a surname than a patronymic.
    """
    if len(parts) < 3:
        return parts
    kept: list[str] = []
    for part in parts:
        if part in _PATRONYMIC_PARTICLES:
            if kept:
                kept.pop()  # the father's name before "ugli"/"kyzy"
            continue
        if _PATRONYMIC_ENDINGS.search(part) and len(part) > 5:
            continue
        kept.append(part)
    return kept or parts


# Tokens recur across records (the same names in every file), so keys are cached.
@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Return the phonetic skeleton of one Latin token: equal for Shukhrat/Shuhrat, Iusupov/Yusupov.

    Examples:
        >>> skeleton("Iusupova")
        'usupov'
    """
    s = _NOT_LETTERS.sub("", token.lower())
    s = _FEMININE_SURNAME.sub(r"\1", s)
    for old, new in _SKELETON_RULES:
        s = s.replace(old, new)
    return _DOUBLES.sub(r"\1", s)


@lru_cache(maxsize=200_000)
def consonant_key(token: str) -> str:
    """Return the search key of one token: its skeleton without vowels after the first letter.

    Vowels are what spellings and transliterations disagree on most (Gulnora/Gulnara,
    Mohammed/Muhammad), so the key keeps the first letter and the consonants.

    Examples:
        >>> consonant_key("Gulnara"), consonant_key("Gulnora")
        ('glnr', 'glnr')
    """
    s = skeleton(token)
    return _DOUBLES.sub(r"\1", _VOWELS_AFTER_FIRST.sub("", s))


def name_parts(name: str, lang: str | None = None) -> list[list[str]]:
    """Return, for each Latin spelling of a name, its tokens without the patronymic."""
    out = []
    seen = set()
    for variant in latin_variants(name, lang):
        parts = tuple(drop_patronymic(tokens(variant)))
        if parts and parts not in seen:
            seen.add(parts)
            out.append(list(parts))
    return out


def name_keys(name: str, lang: str | None = None) -> set[str]:
    """Return the phonetic search keys of a name: one per name token and spelling.

    Keys are short ASCII strings that do not depend on script, spelling variant or word order,
    and patronymics are dropped, so two records of one person share at least one key per name
    part. Store them in an indexed table, fetch candidates by key, then rank with
    ``name_similarity``.

    Examples:
        >>> sorted(name_keys("Гулнора Каримова"))
        ['glnr', 'krmv']
        >>> name_keys("Yusupov Shukhrat Alisherovich") == name_keys("Шухрат Юсупов")
        True
    """
    keys = set()
    for parts in name_parts(name, lang):
        for part in parts:
            keys.add(consonant_key(part))
            if "x" in part:  # Uzbek Latin x is the kh sound (Shuxrat = Shukhrat)
                keys.add(consonant_key(part.replace("x", "kh")))
    keys.discard("")
    return keys


def _token_similarity(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:  # an initial agrees with any name that starts with it
        return 0.9 if a[0] == b[0] else 0.0
    score = JaroWinkler.normalized_similarity(skeleton(a), skeleton(b))
    if consonant_key(a) == consonant_key(b):
        score = max(score, 0.95)
    return score


def _parts_similarity(a: list[str], b: list[str]) -> float:
    """Greedy alignment of tokens in any order; unmatched extra tokens count half."""
    pairs = sorted(
        ((_token_similarity(x, y), i, j) for i, x in enumerate(a) for j, y in enumerate(b)),
        reverse=True,
    )
    used_a, used_b, total = set(), set(), 0.0
    for score, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            total += score
    short, long = sorted((len(a), len(b)))
    return total / (short + 0.5 * (long - short))


def name_similarity(a: str, b: str) -> float:
    """Return how alike two person names are, from 0 (unrelated) to 1 (same spelling).

    Script-independent: each name is transliterated into its Latin spellings and the best
    pairing of spellings counts. Word order and patronymics do not matter; an initial agrees
    with a name that starts with it.

    Examples:
        >>> name_similarity("Шухрат Юсупов", "Yusupov Shuhrat Alisherovich") > 0.9
        True
        >>> name_similarity("Шухрат Юсупов", "Gulnora Karimova") < 0.6
        True
    """
    left, right = name_parts(a), name_parts(b)
    if not left or not right:
        return 0.0
    return max(_parts_similarity(x, y) for x in left for y in right)
