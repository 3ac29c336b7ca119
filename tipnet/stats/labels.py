"""Labels shared by the indicator modules."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tipnet.directory.countries import country_name

UNKNOWN = "unknown"

# Lazy, so that a table computed once and cached reads in each reader's language.
_lazy_country_name = lazy(country_name, str)


def country_label(code: str):
    if not code or code == UNKNOWN:
        return _("Unknown")
    return _lazy_country_name(str(code).upper())
