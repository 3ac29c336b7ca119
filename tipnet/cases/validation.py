"""Checks shared by the forms, the API and the importer: countries, partial dates, file types."""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .enums import DatePrecision


def country_code(raw: str) -> str:
    """An ISO 3166-1 alpha-2 code from an alpha-2 or alpha-3 code; ValidationError if unknown."""
    text = (raw or "").strip().upper()
    found = None
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=text)
    elif len(text) == 3:
        found = pycountry.countries.get(alpha_3=text)
    if found is None:
        raise ValidationError(_("Unknown country: %(code)s."), params={"code": raw[:20]})
    return found.alpha_2


def country_list(raw) -> list[str]:
    """Country codes from a list or a comma/space separated text, each checked."""
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", raw or "")
    return list(dict.fromkeys(country_code(item) for item in items if str(item).strip()))


@dataclass(frozen=True)
class PartialDate:
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: str = ""


_PARTIAL = re.compile(r"^(~)?(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(raw: str) -> PartialDate:
    """Read "1990-05-17", "1990-05", "1990" or "~1990" (estimated); blank gives no date."""
    text = (raw or "").strip()
    if not text:
        return PartialDate(None)
    match = _PARTIAL.match(text)
    if not match:
        raise ValidationError(_("Write the date as YYYY-MM-DD, YYYY-MM, YYYY or ~YYYY."))
    approx, year, month, day = match.groups()
    year_n, month_n, day_n = int(year), int(month) if month else None, int(day) if day else None
    try:
        date(year_n, month_n or 1, day_n or 1)
    except ValueError:
        raise ValidationError(_("This date does not exist.")) from None
    if not 1900 <= year_n <= date.today().year:
        raise ValidationError(_("The year must be between 1900 and this year."))
    if approx:
        return PartialDate(year_n, None, None, DatePrecision.ESTIMATED)
    precision = (
        DatePrecision.EXACT if day_n else DatePrecision.MONTH if month_n else DatePrecision.YEAR
    )
    return PartialDate(year_n, month_n, day_n, precision)


# Types a document may have, detected from its first bytes. Hand-written because the only
# maintained detector (libmagic) is a system library the node does not otherwise need, and
# the allow-list is short.
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "text/plain": "text",
}


def _office_type(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def sniff_content_type(data: bytes) -> str | None:
    """The allowed content type the bytes really have, or None when they are not allowed."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"
