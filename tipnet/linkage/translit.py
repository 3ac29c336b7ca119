"""Transliteration of person names into several Latin spellings.

One Cyrillic name legitimately has several Latin spellings in real records (Юсупов: Yusupov in a
passport issued before 2014, Iusupov under ICAO Doc 9303, Yusupov/Iusupov/Jusupov elsewhere), so
matching compares every spelling of one name with every spelling of the other. The schemas come
from iuliia (Russian standards, each with its own rules for endings), anyascii (any script),
tipnet.linkage.national (Tajik, Kazakh, Kyrgyz and Turkmen passport spellings) and pythainlp
(Thai RTGS).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import anyascii
import iuliia

from tipnet.linkage.national import TURKMEN_LATIN_FOLDINGS, cyrillic_forms, turkmen_fold
from tipnet.linkage.scripts import detect_script, guess_language

# iuliia's Russian schemas leave the letters of the Central Asian alphabets untouched. Passport
# offices of the region write them with the nearest Russian letter (Ў as U, Қ as K, Ҳ as KH), so
# they are folded to that letter before a Russian schema runs. Hand-written because no
# transliteration library we can install offline has these passport conventions.
_TO_RUSSIAN = str.maketrans(
    {
        "Ғ": "Г", "ғ": "г", "Ў": "У", "ў": "у", "Қ": "К", "қ": "к", "Ҳ": "Х", "ҳ": "х",
        "Ә": "А", "ә": "а", "Ұ": "У", "ұ": "у", "Ү": "У", "ү": "у", "Ө": "О", "ө": "о",
        "І": "И", "і": "и", "Ң": "Н", "ң": "н", "Һ": "Х", "һ": "х", "Ӣ": "И", "ӣ": "и",
        "Ӯ": "У", "ӯ": "у", "Ҷ": "Дж", "ҷ": "дж",
    }
)  # fmt: skip

# Passport-era Russian schemas, canonical first: MVD 782-2000 (Yusupov, Yuriy) is the spelling
# most records of the region use; ICAO Doc 9303 (Iusupov, Iurii) is in passports since 2014;
# the Wikipedia schema (Yury, Yevgeny) is how English-language reports write names.
_RUSSIAN_SCHEMAS = (iuliia.MVD_782, iuliia.ICAO_DOC_9303, iuliia.WIKIPEDIA, iuliia.MVD_310)

# Modifier letters and apostrophes: soft/hard signs in some schemas, the Uzbek okina in others.
_APOSTROPHES = "'’ʼʻʹ`‘´"
_SPACES = re.compile(r"\s+")


def clean_name(name: str) -> str:
    """Return a name in Unicode NFC with runs of whitespace collapsed and ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()


def natural_case(text: str) -> str:
    """Capitalise each word of an all-upper or all-lower name; leave mixed case as written.

    Examples:
        >>> natural_case("SHUKHRAT YUSUPOV")
        'Shukhrat Yusupov'
        >>> natural_case("McDonald")
        'McDonald'
    """
    if text != text.upper() and text != text.lower():
        return text
    return re.sub(
        r"(^|[\s\-])(\w)",
        lambda m: m.group(1) + m.group(2).upper(),
        text.lower(),
    )


def _ascii(text: str) -> str:
    folded = anyascii.anyascii(text)
    return clean_name("".join(c for c in folded if c not in _APOSTROPHES))


def _uzbek_forms(text: str) -> list[str]:
    official = iuliia.UZ.translate(text)  # Oʻtkir, Gʻayratov, Shuxrat
    with_apostrophe = "".join("'" if c in _APOSTROPHES else c for c in official)
    return [with_apostrophe, _ascii(official)]


def latin_variants(name: str, lang: str | None = None) -> list[str]:
    """Return the Latin spellings of a person name, the canonical one first.

    Args:
        name: a name as written, in any script (Cyrillic, Latin, Arabic, Thai ...).
        lang: an ISO 639-1 hint ("ru", "uz", "kk", "ky", "tg", "tk", "ar", "th"); guessed from
            the letters when omitted.

    Returns:
        Distinct spellings (compared case-insensitively): for Cyrillic the MVD 782 passport
        style (canonical), ICAO Doc 9303, the Wikipedia/English style, MVD 310, the national
        Latin alphabet for Uzbek, plain ASCII, then the national passport spellings for Tajik,
        Kazakh, Kyrgyz and Turkmen (see tipnet.linkage.national); for Latin the name as written
        and its ASCII folding (Oʻtkir, O'tkir, Otkir), for Turkmen Latin also its Russian-style
        respelling (Berdimuhamedow → Berdimuhamedov); for Thai anyascii and the RTGS spelling
        (Somchai). Empty for an empty name.

    Examples:
        >>> latin_variants("Юрий Щербаков")[:3]
        ['Yuriy Shcherbakov', 'Iurii Shcherbakov', 'Yury Shcherbakov']
    """
    text = natural_case(clean_name(name))
    if not text:
        return []
    script = detect_script(text)
    lang = lang or guess_language(text)
    # Every schema works word by word, so each word's spellings are computed once and cached:
    # the same given names and surnames recur across a file of a million records.
    per_word = [_word_forms(word, script, lang) for word in text.split(" ")]
    forms = (
        natural_case(" ".join(f for f in column if f)) for column in zip(*per_word, strict=True)
    )
    return _distinct(form for form in forms if form)


@lru_cache(maxsize=200_000)
def _word_forms(word: str, script: str, lang: str | None) -> tuple[str, ...]:
    """The spellings of one word, one per schema, in a fixed order for the script and language."""
    if script == "Cyrl":
        russian = word.translate(_TO_RUSSIAN)
        forms = [schema.translate(russian) for schema in _RUSSIAN_SCHEMAS]
        if lang == "uz":
            forms += _uzbek_forms(word)
        # National Latin spellings come last, so the earlier (stored) spellings keep their order.
        return (*forms, _ascii(word), *cyrillic_forms(word, lang))
    if script == "Latn":
        forms = [word, _ascii(word)]
        if lang in (None, "uz", "tk"):  # "tk": guessed from letters, was None
            # O'tkir is also written Otkir and Utkir (equal to the ASCII form without an okina).
            utkir = re.sub(
                "([Oo])[" + _APOSTROPHES + "]",
                lambda m: "U" if m.group(1) == "O" else "u",
                word,
            )
            forms.append(_ascii(utkir))
        if lang == "tk":
            forms += [turkmen_fold(word, folding) for folding in TURKMEN_LATIN_FOLDINGS]
        return tuple(forms)
    if script == "Thai":
        return (_ascii(word), _thai_rtgs(word))
    return (_ascii(word),)


def _thai_rtgs(word: str) -> str:
    """The Royal Thai General System spelling (สมชาย → somchai), pythainlp's rule-based engine."""
    # Imported here: pythainlp takes about a second to import, and only Thai names need it.
    from pythainlp.transliterate import romanize

    return _ascii(romanize(word, engine="royin"))


def latin_form(name: str, lang: str | None = None) -> str:
    """Return the one canonical Latin spelling of a name, for display and storage.

    Examples:
        >>> latin_form("Шухрат Юсупов")
        'Shukhrat Yusupov'
        >>> latin_form("Ғайратов Ўткир")
        'Gayratov Utkir'
    """
    variants = latin_variants(name, lang)
    return variants[0] if variants else ""


def _distinct(forms: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for form in forms:
        key = form.lower()
        if key not in seen:
            seen.add(key)
            out.append(form)
    return out
