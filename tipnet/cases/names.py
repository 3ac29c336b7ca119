"""Latin forms and search keys of names, and normalised identifiers.

The node's transliteration and identifier rules belong to `tipnet.linkage`; this module only
adapts them for the cases app. While that package is not installed on a node, a plain
`anyascii` transliteration and a consonant skeleton stand in, so that names typed in either
script still meet in search (Гулнора / Gulnora / Gulnara, Шухрат / Shukhrat / Shuhrat).
"""

import re

import phonenumbers
from anyascii import anyascii

try:  # pragma: no cover - which branch runs depends on the node's installed apps
    from tipnet.linkage import latin_form as _linkage_latin_form
    from tipnet.linkage import name_keys as _linkage_name_keys
except ImportError:  # pragma: no cover
    _linkage_latin_form = None
    _linkage_name_keys = None

_TOKEN = re.compile(r"[a-z]+")
# Digraphs of Russian-style and Uzbek-style romanisation that spell one sound; folded first so
# that "Shukhrat", "Shuhrat" and "Šuxrat" give one key.
_DIGRAPHS = (("dzh", "j"), ("kh", "h"), ("sh", "s"), ("ch", "c"), ("zh", "j"), ("ts", "c"))
_FOLD = str.maketrans({"x": "h", "q": "k", "w": "v", "y": "i"})


def latin_form(name: str) -> str:
    """The normalised Latin form of `name`, in title case ("Гулнора" -> "Gulnora")."""
    if _linkage_latin_form is not None:
        return _linkage_latin_form(name)
    text = anyascii(name or "").replace("'", "").replace("`", "")
    return " ".join(word.capitalize() for word in text.split())


def _skeleton(token: str) -> str:
    for digraph, single in _DIGRAPHS:
        token = token.replace(digraph, single)
    token = token.translate(_FOLD)
    head, tail = token[0], re.sub(r"[aeiouh]", "", token[1:])
    return head + re.sub(r"(.)\1+", r"\1", tail)


def name_keys(name: str) -> set[str]:
    """Short keys per name token, stored in PersonNameKey and looked up in SQL."""
    if _linkage_name_keys is not None:
        return set(_linkage_name_keys(name))
    tokens = _TOKEN.findall(anyascii(name or "").lower())
    return {_skeleton(t)[:64] for t in tokens if len(t) > 1}


def normalise_phone(raw: str, region: str | None = None) -> str:
    """E.164 form of a phone number; a region in brackets ("050 123 4567 (AE)") is honoured.

    Raises ValueError when the number is not a valid one.
    """
    text = (raw or "").strip()
    match = re.search(r"\(([A-Za-z]{2})\)\s*$", text)
    if match:
        region, text = match.group(1).upper(), text[: match.start()].strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_identifier(kind: str, raw: str, country: str = "") -> str:
    """The searchable form of an identifier of `kind`; raises ValueError when it is not valid."""
    value = (raw or "").strip()
    if not value:
        raise ValueError("empty")
    if kind == "phone":
        return normalise_phone(value, country or None)
    if kind == "email":
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValueError("not an e-mail address")
        return value.lower()
    if kind in ("passport", "national_id", "bank_account"):
        folded = re.sub(r"[\s\-./]", "", value).upper()
        if not re.fullmatch(r"[A-Z0-9]{4,34}", folded):
            raise ValueError("only letters and digits are allowed")
        return folded
    if kind == "social":
        return value.lstrip("@").lower()
    return " ".join(value.lower().split())
