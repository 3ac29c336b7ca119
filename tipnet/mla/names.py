"""Agencies named in the reader's language.

A request stores its authorities as the drafter's screen named them (the English name of a
directory agency, usually). Wherever a request is shown or a letter written, a stored name that
is one of a directory agency's names is replaced by that agency's name in the active language
(Agency.name: Russian, Uzbek, the local language, else English); any other text is shown as stored.
"""

from django.db.models import Q

from tipnet.directory.models import Agency


def agency_name(stored: str) -> str:
    """`stored` in the active language when it names a directory agency; else as stored."""
    text = (stored or "").strip()
    if not text:
        return stored or ""
    names = Q(name_en=text) | Q(name_ru=text) | Q(name_uz=text) | Q(name_local=text)
    found = Agency.objects.filter(names).first()
    return found.name if found is not None else stored
