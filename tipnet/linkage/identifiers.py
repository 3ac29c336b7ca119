"""Identifiers normalised so that equal ones compare equal: phones, documents, e-mails, dates.

Every function raises ValueError with a plain English message when its input cannot be an
identifier of that kind; callers show their own translated message and keep the raw input.
"""

import datetime
import re

import phonenumbers
import pycountry

_REGION_HINT = re.compile(r"^(?P<number>.*?)\s*\((?P<region>[A-Za-z]{2})\)\s*$")
_DOCUMENT_SEPARATORS = re.compile(r"[\s\-./_\\]+")
_DOCUMENT = re.compile(r"^[A-Z0-9]{1,30}$")
# Deliberately simple: the address is only normalised and checked for shape here; whether it
# exists is for the sender to find out. Django's EmailValidator would need Django settings,
# and this package must run without them (the `tipnet link` command starts no Django).
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
_MAX_EMAIL = 254
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})$"), ("y",)),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), ("m", "y")),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"), ("d", "m", "y")),
)
_MIN_YEAR, _MAX_YEAR = 1850, 2100


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return a phone number in E.164 form ("+998901234567").

    Args:
        raw: the number as written: "+971 50 123 4567", "00971501234567", or a national number
            with an ISO country in brackets as a region hint, "050 123 4567 (AE)".
        region: the ISO 3166-1 alpha-2 country to read national numbers in.

    Raises:
        ValueError: the text is not a valid phone number.

    Examples:
        >>> normalise_phone("050 123 4567 (AE)")
        '+971501234567'
    """
    text = (raw or "").strip()
    if len(text) > 64:
        raise ValueError("A phone number is at most 64 characters long.")
    hint = _REGION_HINT.match(text)
    if hint:
        text, region = hint.group("number"), hint.group("region").upper()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"Not a phone number: {raw!r} ({error}).") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"Not a valid phone number: {raw!r}.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_country(code: str) -> str:
    """Return an ISO 3166-1 alpha-2 country code in upper case, or raise ValueError."""
    text = (code or "").strip().upper()
    if len(text) != 2 or pycountry.countries.get(alpha_2=text) is None:
        raise ValueError(f"Not an ISO 3166-1 alpha-2 country code: {code!r}.")
    return text


def normalise_document(number: str, country: str) -> str:
    """Return a passport or ID number in upper case without separators.

    "aa 123-45.67" issued by "UZ" becomes "AA1234567".

    Args:
        number: the number as written.
        country: the issuing country, ISO 3166-1 alpha-2 ("UZ").

    Raises:
        ValueError: the country is not a valid code, or the number is empty, longer than 30
            characters or contains other characters than letters and digits.
    """
    normalise_country(country)
    cleaned = _DOCUMENT_SEPARATORS.sub("", (number or "").strip().upper())
    if not _DOCUMENT.match(cleaned):
        raise ValueError(
            f"Not a document number: {number!r} (1-30 Latin letters and digits expected)."
        )
    return cleaned


def normalise_email(raw: str) -> str:
    """Return an e-mail address trimmed and in lower case, with an IDNA (punycode) domain.

    Raises:
        ValueError: the text is not shaped like an e-mail address.
    """
    text = (raw or "").strip()
    if len(text) > _MAX_EMAIL or not _EMAIL.match(text):
        raise ValueError(f"Not an e-mail address: {raw!r}.")
    local, domain = text.rsplit("@", 1)
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"Not a valid e-mail domain: {domain!r}.") from None
    return f"{local}@{domain}".lower()


def parse_partial_date(text: str) -> tuple[int, int | None, int | None]:
    """Parse a date that may be partial: "1990", "1990-05", "1990-05-17", "17.05.1990", "05.1990".

    Returns:
        (year, month or None, day or None).

    Raises:
        ValueError: the text is not in one of these forms, or the date does not exist
            (month 13, 30 February) or the year is outside 1850-2100.

    Examples:
        >>> parse_partial_date("05.1990")
        (1990, 5, None)
    """
    value = (text or "").strip()
    for pattern, fields in _DATE_FORMATS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(fields, map(int, match.groups()), strict=True))
            return _checked(parts.get("y", 0), parts.get("m"), parts.get("d"), text)
    raise ValueError(
        f"Not a date: {text!r} (expected YYYY, YYYY-MM, YYYY-MM-DD, DD.MM.YYYY or MM.YYYY)."
    )


def _checked(
    year: int, month: int | None, day: int | None, text: str
) -> tuple[int, int | None, int | None]:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"Year out of range {_MIN_YEAR}-{_MAX_YEAR}: {text!r}.")
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"No such date: {text!r}.") from None
    return year, month, day
