"""National Latin spellings of Tajik, Kazakh, Kyrgyz and Turkmen names.

Passports and police records of these countries write names in their own Latin conventions
(Rahmon, Qasym-Jomart Toqaev, Jeenbekov, Berdimuhamedow), which Russian schemas never produce.
The tables are hand-written because no maintained library produces these national passport
spellings: iuliia covers Russian only, and PyICU (with BGN/PCGN tables for some of them) does
not install from PyPI wheels here. Each table is data: one dict of letter rewrites per column,
the first matching key wins, and each column names the standard it follows.
"""

import re

# Russian letters as the region's passport offices write them (MVD 782-2000 style: Yusupov,
# Yuriy); the national tables below override the letters their alphabets treat differently.
_RUSSIAN_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip

# "ye" for е at a word start and after a vowel (Yerlan, Nazarbayev), as in Russian passports.
_YE = {"е": "ye"}

# Each language: the columns (spellings) a Cyrillic word gets, in a fixed order. A column is
# (letters, whether е becomes "ye" at a start or after a vowel).
CYRILLIC_TABLES: dict[str, tuple[tuple[dict[str, str], bool], ...]] = {
    # Tajik: the passport practice of Tajikistan since the 2000s (Rahmon, Jamshed, Qodirov),
    # close to the BGN/PCGN Tajik table; then the same with ғ/қ written g/k as older records do.
    "tg": (
        (
            {"ҳ": "h", "ҷ": "j", "ғ": "gh", "қ": "q", "ӣ": "i", "ӯ": "u", "ъ": ""},
            False,
        ),
        ({"ҳ": "h", "ҷ": "j", "ғ": "g", "қ": "k", "ӣ": "i", "ӯ": "u", "ъ": ""}, False),
    ),
    # Kazakh: the passport/ICAO practice of Kazakhstan (Nazarbayev, Tokayev; ж as zh, and in
    # some names j), then the 2021 Latin alphabet (Qasym-Jomart Toqaev) folded to ASCII with
    # single letters and with digraphs (ä → ae, ğ → gh, ñ → ng, ö → oe, ü → ue).
    "kk": (
        (
            {"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
             "і": "i"},
            True,
        ),
        (
            {"ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
             "і": "i", "ж": "j"},
            True,
        ),
        (
            {"ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
             "і": "i", "ж": "j", "х": "h", "й": "i", "ю": "iu", "я": "ia", "ц": "ts"},
            False,
        ),
        (
            {"ә": "ae", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "oe", "ұ": "u", "ү": "ue",
             "һ": "h", "і": "i", "ж": "j", "х": "h", "й": "i", "ю": "iu", "я": "ia"},
            False,
        ),
    ),
    # Kyrgyz: the passport practice of Kyrgyzstan (Atambayev, Zheenbekov, Chyngyz), then the
    # same with ж as j and е as e (Jeenbekov, Atambaev), then ü/ö as ue/oe (BGN/PCGN style).
    "ky": (
        ({"ү": "u", "ө": "o", "ң": "ng"}, True),
        ({"ү": "u", "ө": "o", "ң": "n", "ж": "j"}, False),
        ({"ү": "ue", "ө": "oe", "ң": "ng", "ж": "j"}, False),
    ),
    # Turkmen Cyrillic: the 1993 official Latin alphabet (Öwezow, Jumageldi, Nyýazow); its
    # ASCII foldings follow from TURKMEN_LATIN_FOLDINGS.
    "tk": (
        (
            {"ң": "ň", "ө": "ö", "ү": "ü", "җ": "j", "ә": "ä", "в": "w", "ж": "ž", "й": "ý",
             "х": "h", "ч": "ç", "ш": "ş", "щ": "şç", "ё": "ýo", "ю": "ýu", "я": "ýa",
             "ц": "s", "ы": "y"},
            False,
        ),
    ),
}  # fmt: skip

# Turkmen Latin (1993 alphabet) to ASCII: as Russian-language passports respell it
# (Berdymukhamedov: ý → y, ž → zh, ş → sh, ç → ch, w → v), and the plain folding (ş → s).
TURKMEN_LATIN_FOLDINGS: tuple[dict[str, str], ...] = (
    {"ý": "y", "ž": "zh", "ş": "sh", "ç": "ch", "ň": "n", "ä": "a", "ö": "o", "ü": "u",
     "w": "v"},
    {"ý": "y", "ž": "zh", "ş": "sh", "ç": "ch", "ň": "ng", "ä": "a", "ö": "o", "ü": "u"},
    {"ý": "y", "ž": "z", "ş": "s", "ç": "c", "ň": "n", "ä": "a", "ö": "o", "ü": "u"},
)  # fmt: skip

_VOWELS = set("аеёиоуыэюяәөұүіӣӯ")
_VELARS = set("гғкқ")
_LETTER = re.compile(r"\w")


def _rewrite(word: str, letters: dict[str, str], ye: bool) -> str:
    """Rewrite a word letter by letter, keeping capitals ("Шы" → "Shy", "Ж" → "Zh")."""
    out, previous = [], ""
    for i, char in enumerate(word):
        low = char.lower()
        start = not _LETTER.match(previous)
        after_vowel = previous.lower() in _VOWELS
        if ye and low in _YE and (start or after_vowel):
            latin = _YE[low]
        elif low == "ң" and word[i + 1 : i + 2].lower() in _VELARS and letters.get(low):
            latin = letters[low][0]  # Чыңгыз → Chyngyz, not Chynggyz
        else:
            latin = letters.get(low, _RUSSIAN_BASE.get(low, low))
        out.append(latin.capitalize() if char != low and latin else latin)
        previous = char
    return "".join(out)


def cyrillic_forms(word: str, lang: str | None) -> tuple[str, ...]:
    """Return the national Latin spellings of one Cyrillic word, one per column of its table.

    Examples:
        >>> cyrillic_forms("Раҳмон", "tg")
        ('Rahmon', 'Rahmon')
    """
    columns = CYRILLIC_TABLES.get(lang or "", ())
    forms = [_rewrite(word, letters, ye) for letters, ye in columns]
    if lang == "tk":
        forms += [turkmen_fold(forms[0], folding) for folding in TURKMEN_LATIN_FOLDINGS]
    return tuple(forms)


def turkmen_fold(word: str, folding: dict[str, str]) -> str:
    """Fold one Turkmen Latin word to ASCII with one of TURKMEN_LATIN_FOLDINGS, keeping capitals."""
    out = []
    for char in word:
        low = char.lower()
        latin = folding.get(low, low)
        out.append(latin.capitalize() if char != low else latin)
    return "".join(out)
