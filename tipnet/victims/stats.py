"""The victims' aggregates, computed once for the statistics page and the API.

Aggregates only: no name, no code. Rows carry the stored codes (the API answers them);
`labelled` turns them into the translated labels the pages show.
"""

from dataclasses import dataclass

from django.db.models import Count, Model, Q, QuerySet

from .models import HotlineCall, Victim


@dataclass(frozen=True)
class Statistics:
    """The figures within one scope; each list holds `{field: code, ..., "n": count}` rows."""

    total: int
    by_status: list[dict]
    by_sex: list[dict]
    by_nationality: list[dict]
    calls_by_channel_and_outcome: list[dict]


def counts(queryset: QuerySet, *fields: str) -> list[dict]:
    """Rows `{field: code, ..., "n": count}` per combination of `fields`, ordered by them."""
    return list(queryset.values(*fields).annotate(n=Count("pk")).order_by(*fields))


def statistics(scope: Q) -> Statistics:
    """The figures of the victims and hotline calls within `scope` (from access_statistics)."""
    victims = Victim.objects.filter(scope)
    calls = HotlineCall.objects.filter(scope)
    return Statistics(
        total=victims.count(),
        by_status=counts(victims, "status"),
        by_sex=counts(victims, "sex"),
        by_nationality=counts(victims, "nationality"),
        calls_by_channel_and_outcome=counts(calls, "channel", "outcome"),
    )


def labelled(model: type[Model], rows: list[dict]) -> list[dict]:
    """`rows` of `counts` over `model`, each code replaced by its translated label."""
    fields = [f for f in rows[0] if f != "n"] if rows else []
    choices = {f: dict(getattr(model._meta.get_field(f), "choices", None) or []) for f in fields}
    return [{f: choices[f].get(row[f], row[f]) for f in fields} | {"n": row["n"]} for row in rows]
