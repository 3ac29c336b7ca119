"""Labels shared by the indicator modules."""

from django.utils.translation import gettext_lazy as _

UNKNOWN = "unknown"


def country_label(code: str):
    if not code or code == UNKNOWN:
        return _("Unknown")
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=code)
    except (LookupError, KeyError):
        found = None
    return found.name if found else code
