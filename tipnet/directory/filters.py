"""Filters shared by the pages and the JSON API, so both answer the same question the same way."""

from django.utils import timezone

from .search import matching


def filter_agencies(queryset, q="", country="", kind="", network=""):
    """Agencies whose names hold every word of `q` (any order, either script, short forms),
    in `country`, of `kind`, in `network` (by code)."""
    if q:
        queryset = queryset.filter(matching(q, "search_text"))
    if country:
        queryset = queryset.filter(country_id=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if network:
        queryset = queryset.filter(networks__code=network)
    return queryset.distinct()


def filter_contacts(queryset, q="", country="", language="", kind="", network="", is_24_7=False):
    """Contact points matching `q` (name, position, e-mail or agency name) and the filters."""
    if q:
        queryset = queryset.filter(matching(q, "search_text", "agency__search_text"))
    if country:
        queryset = queryset.filter(agency__country_id=country.upper())
    if language:
        # Codes are validated two-letter codes, so the quoted code matches only whole items of
        # the JSON list; this works the same on SQLite and PostgreSQL.
        queryset = queryset.filter(languages__icontains=f'"{language}"')
    if kind:
        queryset = queryset.filter(agency__kind=kind)
    if network:
        queryset = queryset.filter(agency__networks__code=network)
    if is_24_7:
        queryset = queryset.filter(is_24_7=True)
    return queryset.distinct()


def filter_events(queryset, country="", kind="", year=None, period="", network=""):
    """Events in `country`, of `kind`, running in `year`, upcoming or past, of `network`."""
    if country:
        queryset = queryset.filter(country_id=country.upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if year:
        queryset = queryset.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    today = timezone.localdate()
    if period == "upcoming":
        queryset = queryset.filter(ends_on__gte=today)
    elif period == "past":
        queryset = queryset.filter(ends_on__lt=today)
    if network:
        queryset = queryset.filter(network__code=network)
    return queryset
