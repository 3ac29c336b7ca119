"""Latin forms, search keys and normalised identifiers of the cases app.

A thin adapter over `tipnet.linkage`, the node's one place for transliteration and identifier
rules, so that cases and linkage always agree on how a name or a phone is written.
"""

import re

from tipnet.lib.fieldkey import keyed_hash
from tipnet.linkage import latin_form as _latin_form
from tipnet.linkage import name_keys as _name_keys
from tipnet.linkage.identifiers import normalise_email
from tipnet.linkage.identifiers import normalise_phone as _normalise_phone

# Passport, ID and account numbers compare without spaces, dashes, dots and slashes.
_SEPARATORS = re.compile(r"[\s\-./]")
_DOCUMENT = re.compile(r"[A-Z0-9]{4,34}")
# Interpol references (references only, no link to Interpol's systems): a notice is its colour
# and its number ("Red A-1234/5-2026"); a diffusion, its reference number ("2026/123456").
_NOTICE = re.compile(
    r"(RED|YELLOW|BLUE|PURPLE|GREEN|BLACK|ORANGE)(?:\s+NOTICE)?[\s:]+([A-Z]-\d{1,6}/\d{1,3}-\d{4})"
)
_DIFFUSION = re.compile(r"[A-Z0-9][A-Z0-9\-/]{3,39}")


def latin_form(name: str) -> str:
    """The normalised Latin form of `name` ("Гулнора Каримова" -> "Gulnora Karimova")."""
    return _latin_form(name or "")


def name_keys(name: str) -> set[str]:
    """Short keys per name token, stored in PersonNameKey and looked up in SQL."""
    return {key[:64] for key in _name_keys(name or "")}


def sealed_name_keys(keys: set[str]) -> set[str]:
    """The keyed hashes stored instead of `keys` for a sealed person (a victim)."""
    return {keyed_hash("name", key) for key in keys}


def identifier_key(normalised: str) -> str:
    """The keyed hash an identifier is searched by, from its normalised form."""
    return keyed_hash("identifier", normalised)


def normalise_phone(raw: str, region: str | None = None) -> str:
    """E.164 form of a phone written in any common way; ValueError when it is not valid."""
    return _normalise_phone(raw, region)


def normalise_identifier(kind: str, raw: str, country: str = "") -> str:
    """The searchable form of an identifier of `kind`; raises ValueError when it is not valid."""
    value = (raw or "").strip()
    if not value:
        raise ValueError("empty")
    if kind == "phone":
        return normalise_phone(value, country or None)
    if kind == "email":
        return normalise_email(value)
    if kind in ("passport", "national_id", "bank_account"):
        folded = _SEPARATORS.sub("", value).upper()
        if not _DOCUMENT.fullmatch(folded):
            raise ValueError("only letters and digits are allowed")
        return folded
    if kind == "social":
        return value.lstrip("@").lower()
    if kind == "interpol_notice":
        found = _NOTICE.fullmatch(" ".join(value.upper().split()))
        if not found:
            raise ValueError("a notice is its colour and number, e.g. Red A-1234/5-2026")
        return f"{found[1]} {found[2]}"
    if kind == "interpol_diffusion":
        folded = "".join(value.upper().split())
        if not _DIFFUSION.fullmatch(folded) or not any(ch.isdigit() for ch in folded):
            raise ValueError("a diffusion is its reference number")
        return folded
    return " ".join(value.lower().split())
