"""ISO 3166-1 countries and ISO 639-1 languages from pycountry, named in the UI languages."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language


@cache
def _catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    # A language pycountry has no catalogue for falls back to the English names.
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_rows() -> list[tuple[str, str, str, str, str]]:
    """Every ISO 3166-1 country as (alpha-2, alpha-3, English, Russian, Uzbek) names.

    Names pycountry's catalogues lack fall back to English.
    """
    ru, uz = _catalogue("iso3166-1", "ru"), _catalogue("iso3166-1", "uz")
    rows = []
    for country in pycountry.countries:
        name = country.name
        rows.append((country.alpha_2, country.alpha_3, name, ru.gettext(name), uz.gettext(name)))
    return sorted(rows)


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 (two-letter) language codes."""
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def language_name(code: str) -> str:
    """A language's name in the current UI language, or the code itself if it is unknown."""
    found = pycountry.languages.get(alpha_2=code) if code in language_codes() else None
    if found is None:
        return code
    lang = (get_language() or "en")[:2]
    return _catalogue("iso639-3", lang).gettext(found.name) if lang != "en" else found.name


def country_name(code: str) -> str:
    """A country's name in the current UI language, from the catalogues the directory's
    countries are loaded from, without a query; the code itself if it is unknown."""
    found = pycountry.countries.get(alpha_2=str(code or "").upper()) if code else None
    if found is None:
        return str(code or "")
    lang = (get_language() or "en")[:2]
    return _catalogue("iso3166-1", lang).gettext(found.name) if lang != "en" else found.name


def language_choices(codes=None) -> list[tuple[str, str]]:
    """(code, "Name (code)") pairs sorted by name, for all or the given ISO 639-1 codes."""
    chosen = language_codes() if codes is None else set(codes) & language_codes()
    return sorted(((c, f"{language_name(c)} ({c})") for c in chosen), key=lambda p: p[1])
