"""Script detection and a language guess for person names.

The guess only looks at letters that belong to one national alphabet (Ў is Uzbek, Ә is Kazakh,
Ӣ is Tajik ...): a name written without such letters is treated as Russian-style Cyrillic, which
is also how most Central Asian names appear in Russian-language records.
"""

import unicodedata

SCRIPTS = ("Latn", "Cyrl", "Arab", "Thai")

# Letters found in one Cyrillic alphabet of the region and not in Russian. Order matters: the
# first language whose letters occur wins, so the most specific letters are listed first.
_CYRILLIC_MARKERS = (
    ("tg", set("ӢӣӮӯҶҷ")),
    ("tk", set("Җҗ")),
    ("uz", set("Ўў")),
    ("kk", set("ӘәҰұІіҺһ")),
    ("ky", set("ҮүӨөҢң")),
    ("uz", set("ҒғҚқҲҳ")),
)
# Letters of the Turkmen Latin alphabet (1993) that Turkish, German or Uzbek names rarely have.
_TURKMEN_LATIN_MARKERS = set("ÝýŇňŽžŞşÄä")


def detect_script(text: str) -> str:
    """Return the dominant script of a text: "Latn", "Cyrl", "Arab", "Thai" or "Zyyy" (none).

    Examples:
        >>> detect_script("Шухрат Юсупов")
        'Cyrl'
        >>> detect_script("Shuhrat Yusupov")
        'Latn'
    """
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script, prefix in (
            ("Latn", "LATIN"),
            ("Cyrl", "CYRILLIC"),
            ("Arab", "ARABIC"),
            ("Thai", "THAI"),
        ):
            if name.startswith(prefix):
                counts[script] = counts.get(script, 0) + 1
                break
        else:
            counts["Zyyy"] = counts.get("Zyyy", 0) + 1
    if not counts:
        return "Zyyy"
    return max(counts, key=lambda script: counts[script])


def guess_language(text: str) -> str | None:
    """Guess the language of a name from its letters: "ru", "uz", "kk", "ky", "tg", "tk", "ar"...

    Returns "tk" for a Latin name with Turkmen letters (ý, ň, ž, ş, ä) and None for other
    Latin-script names, whose language cannot be told from the letters alone.

    Examples:
        >>> guess_language("Ғайратов Ўткир")
        'uz'
        >>> guess_language("Нұрсұлтан Назарбаев")
        'kk'
    """
    script = detect_script(text)
    if script == "Arab":
        return "ar"
    if script == "Thai":
        return "th"
    if script == "Latn":
        return "tk" if set(text) & _TURKMEN_LATIN_MARKERS else None
    if script != "Cyrl":
        return None
    letters = set(text)
    for lang, markers in _CYRILLIC_MARKERS:
        if letters & markers:
            return lang
    return "ru"
