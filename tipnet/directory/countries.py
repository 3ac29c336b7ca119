"""ISO 3166-1 countries and ISO 639-1 languages from pycountry, named in the UI languages."""

import gettext
import time
from functools import cache

import pycountry
from django.apps import apps
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


# The directory's country names, {code: (English, Russian, Uzbek)}, read once per process:
# they change only through do_sync_countries, which calls forget_country_names (another worker
# process reads them again after _NAMES_SECONDS at the latest).
_NAMES_SECONDS = 300.0
# One (names, read at) pair replaced as a whole, so a worker's threads never see half of it.
_names: list[dict[str, tuple[str, str, str]]] = [{}]
_names_read = [float("-inf")]


def forget_country_names() -> None:
    """Make the next country_names read the directory's names again (after they changed)."""
    _names_read[0] = float("-inf")


def country_names(codes) -> dict[str, str]:
    """{code: the directory's name of the country in the current UI language} for `codes`;
    a code the directory lacks names itself."""
    now = time.monotonic()
    if now - _names_read[0] > _NAMES_SECONDS:
        # By the app registry: the models import this module's validators' helpers.
        country = apps.get_model("directory", "Country")
        rows = country.objects.values_list("code", "name_en", "name_ru", "name_uz")
        _names[0] = {code: (en, ru, uz) for code, en, ru, uz in rows}
        _names_read[0] = now
    table = _names[0]
    column = {"ru": 1, "uz": 2}.get((get_language() or "en")[:2], 0)
    found = {}
    for code in codes:
        names = table.get(code)
        found[code] = (names[column] or names[0]) if names else code
    return found
