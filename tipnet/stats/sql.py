"""Small builders for the indicators' hand-written SQL, which runs on SQLite and PostgreSQL.

The families that count persons and victims need derived tables (a person's identity key, a
case's first date at each stage, a victim's best status) joined once to the rows they count: one
pass over the data instead of a correlated subquery per row, which the ORM cannot express.
Only fixed names and the period's dates (as parameters) ever go into this SQL.
"""

from typing import Any

from django.conf import settings
from django.db import connection, transaction

from .periods import Period


def within(column: str, period: Period) -> tuple[str, list[Any]]:
    """`column` (a date expression) inside the period's union of date ranges."""
    parts = " OR ".join(f"({column} BETWEEN %s AND %s)" for _r in period.ranges)
    params = [d for pair in period.ranges for d in pair]
    return f"({parts})", params


def first_citizenship(column: str) -> str:
    """The first code of a JSON list of ISO codes, as text."""
    if connection.vendor == "postgresql":
        return f"({column} ->> 0)"
    return f"json_extract({column}, '$[0]')"


def json_text(column: str) -> str:
    """A JSON column as its text, for a portable containment test with LIKE."""
    if connection.vendor == "postgresql":
        return f"({column})::text"
    return column


def as_date(column: str) -> str:
    """The date of an aware datetime column in the node's time zone (as the ORM's `__date`)."""
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    return f"date({column})"


def year_of(date_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {date_sql}) AS integer)"
    return f"CAST(strftime('%%Y', {date_sql}) AS integer)"


# For one statement on PostgreSQL: room for the hash aggregates of a national node's persons in
# memory instead of batches on disk (the default is 4 MB), and no parallel workers, which each
# build the same hash tables again (the derived tables are not shared between workers).
PG_SETTINGS = ("SET LOCAL work_mem = '64MB'", "SET LOCAL max_parallel_workers_per_gather = 0")


def rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in PG_SETTINGS:
                cursor.execute(setting)
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
