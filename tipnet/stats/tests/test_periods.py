"""Periods as a rapporteur writes them, and the default period that follows today's date."""

from datetime import date

import pytest

from tipnet.stats.periods import PeriodError, default_spec, parse


@pytest.mark.parametrize(
    "today, spec",
    [
        (date(2026, 2, 14), "2025"),
        (date(2026, 4, 1), "2025 and Q1 2026"),
        (date(2026, 9, 30), "2025 and Q1-Q2 2026"),
        (date(2026, 12, 3), "2025 and Q1-Q3 2026"),
        (date(2027, 1, 1), "2026"),
    ],
)
def test_the_default_period_is_the_last_year_and_this_years_ended_quarters(today, spec):
    assert default_spec(today) == spec


def test_the_default_period_parses_to_the_year_and_the_ended_quarters():
    period = parse(default_spec(date(2026, 12, 3)))
    assert period.ranges == ((date(2025, 1, 1), date(2026, 9, 30)),)


def test_a_run_of_quarters_covers_them_all():
    assert parse("Q2\u2013Q3 2026").ranges == ((date(2026, 4, 1), date(2026, 9, 30)),)
    with pytest.raises(PeriodError):
        parse("Q3-Q1 2026")


def test_the_dashboard_shows_the_default_period_of_today(client_as, analyst):
    from django.utils import timezone

    page = client_as(analyst).get("/stats/")
    assert page.status_code == 200
    spec = default_spec(timezone.localdate())
    assert f'value="{spec}"' in page.content.decode()
