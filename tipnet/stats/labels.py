"""Labels shared by the indicator modules."""

from functools import lru_cache

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"


@lru_cache(maxsize=512)
def _names(code: str) -> dict[str, str]:
    """A country's names by language, from the directory (pycountry's English name otherwise)."""
    from tipnet.directory.models import Country

    found = Country.objects.filter(code=code).first()
    if found is not None:
        return {"en": found.name_en, "ru": found.name_ru, "uz": found.name_uz}
    import pycountry

    known = pycountry.countries.get(alpha_2=code)
    return {"en": known.name if known else code}


def _country_name(code: str) -> str:
    names = _names(code)
    return names.get((get_language() or "en")[:2]) or names["en"]


# Lazy, so that a table computed once and cached reads in each reader's language.
_lazy_country_name = lazy(_country_name, str)


def country_label(code: str):
    if not code or code == UNKNOWN:
        return _("Unknown")
    return _lazy_country_name(str(code).upper())
