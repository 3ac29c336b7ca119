"""Validation shared by forms, API schemas and models: phones, languages, plain text."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tipnet.lib import text

from .countries import language_codes

# A network's code as it appears in links and filters: casc, ca-experts.
NETWORK_CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def normalise_phone(raw: str, region: str | None = None) -> str:
    """Return `raw` as E.164 (+998712000001), reading national numbers as in `region`.

    Raises ValidationError if it is not a valid phone number.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number; write it with the country code: +998 …"),
            code="phone",
            params={"value": raw[:40]},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    """A stored phone must already be in E.164."""
    if value and normalise_phone(value) != value:
        raise ValidationError(_("Store phones in E.164 form, such as +998712000001."))


def parse_language_codes(value) -> list[str]:
    """Split "uz, ru en" (or a list) into ISO 639-1 codes, in order, without duplicates.

    Raises ValidationError naming every code that is not ISO 639-1.
    """
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    codes = [str(item).strip().lower() for item in items if str(item).strip()]
    unknown = [c for c in codes if c not in language_codes()]
    if unknown:
        raise ValidationError(
            _("Not ISO 639-1 language codes: %(codes)s. Use two letters, such as uz, ru, en."),
            code="language",
            params={"codes": ", ".join(c[:12] for c in unknown[:5])},
        )
    return list(dict.fromkeys(codes))


def validate_language_codes(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Languages must be a list of codes."))
    parse_language_codes(value)


def validate_single_line(value: str) -> None:
    """Reject control characters (including line breaks) in names and other one-line fields."""
    text.validate_line(value)


def validate_multiline(value: str) -> None:
    """Reject control characters other than tab and line breaks in longer texts."""
    text.validate_text(value)
