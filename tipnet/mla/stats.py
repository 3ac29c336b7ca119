"""Counts and durations for the central-authority dashboard and the statistics page.

Aggregates only: no reference, no name. Medians are computed in Python over the finished
requests' day counts (statistics.median) because SQLite has no median aggregate.
"""

from collections import defaultdict
from itertools import pairwise
from statistics import median

from django.db.models import Count
from django.utils import timezone

from .deadlines import OPEN_STATES

AGE_BUCKETS = ((30, "0–30"), (90, "31–90"), (180, "91–180"), (None, "180+"))


def counts_by_state(requests) -> list[dict]:
    """Requests per direction and state."""
    rows = (
        requests.values("direction", "state").annotate(n=Count("id")).order_by("direction", "state")
    )
    return list(rows)


def _bucket(days: int) -> str:
    return next(label for limit, label in AGE_BUCKETS if limit is None or days <= limit)


def counts_by_country_and_age(requests) -> list[dict]:
    """Open requests per counterpart country and age (days since submission)."""
    today = timezone.localdate()
    table: dict[str, dict[str, int]] = defaultdict(lambda: {lb: 0 for _n, lb in AGE_BUCKETS})
    for direction, requesting, requested, submitted in requests.filter(
        state__in=OPEN_STATES, submitted_at__isnull=False
    ).values_list("direction", "requesting_state", "requested_state", "submitted_at"):
        country = requested if direction == "outgoing" else requesting
        label = _bucket((today - timezone.localdate(submitted)).days)
        table[country][label] += 1
    return [
        {"country": c, "ages": [(lb, row[lb]) for _n, lb in AGE_BUCKETS]}
        for c, row in sorted(table.items())
    ]


def median_days(requests) -> dict[str, list[dict]]:
    """Median days spent in each state (from the events) and per counterpart country."""
    per_state: dict[str, list[float]] = defaultdict(list)
    per_country: dict[str, list[float]] = defaultdict(list)
    for req in requests.filter(submitted_at__isnull=False).prefetch_related("events"):
        events = sorted(req.events.all(), key=lambda e: (e.occurred_at, e.pk))
        for before, after in pairwise(events):
            per_state[before.to_state].append(_days(before.occurred_at, after.occurred_at))
        if req.finished_at:
            per_country[req.counterpart_state].append(_days(req.submitted_at, req.finished_at))
    return {
        "states": [
            {"state": s, "median": median(v), "n": len(v)} for s, v in sorted(per_state.items())
        ],
        "countries": [
            {"country": c, "median": median(v), "n": len(v)} for c, v in sorted(per_country.items())
        ],
    }


def _days(start, end) -> float:
    return round((end - start).total_seconds() / 86400, 1)
