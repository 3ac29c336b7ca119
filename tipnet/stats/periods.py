"""Reporting periods: a year, a quarter, a month, a range of days, or a union of them.

Written the way a rapporteur says them: "2025", "Q1 2026" or "2026-Q1", "2026-03",
"2025-01-01..2025-06-30", a run of quarters "Q1-Q3 2026", joined by "and", "+" or ",":
"2021 and Q1 2022". A period is a
sorted list of disjoint inclusive date
ranges; every indicator filters its date column on their union, so a record inside two overlapping
parts is still counted once.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodError(ValueError):
    pass


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(?:q([1-4])\s+(\d{4})|(\d{4})\s*-?\s*q([1-4]))$")
# "Q1-Q3 2026" (hyphen or en dash): the quarters from the first to the last of one year.
_QUARTERS = re.compile(r"^q([1-4])\s*[-\u2013]\s*q([1-4])\s+(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
MAX_PARTS = 24


@dataclass(frozen=True)
class Period:
    spec: str
    ranges: tuple[tuple[date, date], ...]

    @property
    def start(self) -> date:
        return self.ranges[0][0]

    @property
    def end(self) -> date:
        return self.ranges[-1][1]

    @property
    def key(self) -> str:
        return "+".join(f"{a:%Y%m%d}-{b:%Y%m%d}" for a, b in self.ranges)

    def q(self, field: str) -> Q:
        """The filter `field` (a date, or a datetime compared by its date) within the period."""
        q = Q()
        for a, b in self.ranges:
            q |= Q(**{f"{field}__gte": a, f"{field}__lte": b})
        return q

    def contains(self, day: date) -> bool:
        return any(a <= day <= b for a, b in self.ranges)

    def years(self) -> list[int]:
        return sorted({y for a, b in self.ranges for y in range(a.year, b.year + 1)})


def _part(text: str) -> tuple[date, date]:
    text = text.strip().lower()
    if m := _YEAR.match(text):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    if m := _QUARTER.match(text):
        q, y = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        first = 3 * (q - 1) + 1
        return date(y, first, 1), date(y, first + 2, calendar.monthrange(y, first + 2)[1])
    if m := _QUARTERS.match(text):
        q1, q2, y = int(m[1]), int(m[2]), int(m[3])
        if q2 < q1:
            raise PeriodError(_("A range of quarters must end after it starts."))
        last = 3 * q2
        return date(y, 3 * (q1 - 1) + 1, 1), date(y, last, calendar.monthrange(y, last)[1])
    if m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise PeriodError(_("There is no month %(m)s.") % {"m": text})
        return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
    if m := _RANGE.match(text):
        try:
            a, b = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError as exc:
            raise PeriodError(_("Give real dates, such as 2025-01-01..2025-06-30.")) from exc
        if b < a:
            raise PeriodError(_("A range of days must end after it starts."))
        return a, b
    raise PeriodError(
        _("Write a period as 2025, Q1 2026, 2026-03 or 2025-01-01..2025-06-30, joined by 'and'.")
    )


def default_spec(today: date) -> str:
    """The period shown when none is asked for: the last full year and the quarters of this
    year that have ended, as a rapporteur says it ("2025 and Q1 2026", "2025 and Q1-Q3 2026");
    only the last year in the first quarter."""
    done = (today.month - 1) // 3
    last_year = str(today.year - 1)
    if done == 0:
        return last_year
    if done == 1:
        return f"{last_year} and Q1 {today.year}"
    return f"{last_year} and Q1-Q{done} {today.year}"


def parse(spec: str) -> Period:
    """The period written in `spec`; PeriodError with a message for the user otherwise."""
    spec = " ".join((spec or "").split())
    if not spec or len(spec) > 200:
        raise PeriodError(_('Give a period, such as 2025 or "2025 and Q1 2026".'))
    parts = [p for p in re.split(r"\s+and\s+|\s+и\s+|\s+va\s+|\+|,", spec, flags=re.I) if p.strip()]
    if not parts or len(parts) > MAX_PARTS:
        raise PeriodError(_("Give between one and 24 parts."))
    ranges = sorted(_part(p) for p in parts)
    for a, b in ranges:
        if a.year < 1990 or b.year > 2100:
            raise PeriodError(_("Give years between 1990 and 2100."))
    merged: list[tuple[date, date]] = []
    for a, b in ranges:
        if merged and a.toordinal() <= merged[-1][1].toordinal() + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return Period(spec, tuple(merged))
