"""The dashboard is rendered once per period, language and data version: a repeated view reads
the data version and one cache entry, and any new record shows at once."""

import re
from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tipnet.cases.models import Identifier
from tipnet.stats.build import data_version

TABLES = ("cases_", "victims_", "mla_")


def _detected(html: str) -> int:
    """The funnel's first figure: cases detected in the period."""
    table = html[html.index('data-testid="table-cases_by_stage"') :]
    found = re.search(r"<td>(\d+)</td>", table)
    assert found is not None
    return int(found.group(1))


@pytest.fixture
def cases(build):
    for i in range(6):
        build.case(date(2025, 2, 1 + i), [(date(2025, 5, 1), "investigation")])


def test_a_repeated_view_reads_the_version_and_one_cache_entry(
    client_as, analyst, cases, monkeypatch
):
    client = client_as(analyst)
    assert client.get("/stats/", {"period": "2025"}).status_code == 200
    store = caches["default"]
    read, keys = store.get, []
    monkeypatch.setattr(store, "get", lambda key, *a, **k: keys.append(key) or read(key, *a, **k))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/stats/", {"period": "2025"})
    assert page.status_code == 200 and _detected(page.content.decode()) == 6
    # The data version in one statement, and the page's one entry: never the families' entries,
    # the charts' or a count of the records.
    statistics = [q["sql"] for q in queries if any(t in q["sql"] for t in TABLES)]
    assert len(statistics) == 1, statistics
    assert [k.split(":")[:2] for k in keys if k.startswith("stats:")] == [["stats", "dashboard"]]


def test_a_new_case_shows_at_once(client_as, analyst, build, cases):
    client = client_as(analyst)
    assert _detected(client.get("/stats/", {"period": "2025"}).content.decode()) == 6
    build.case(date(2025, 7, 1))
    assert _detected(client.get("/stats/", {"period": "2025"}).content.decode()) == 7


def test_two_spellings_of_one_period_each_show_their_own(client_as, analyst, cases):
    client = client_as(analyst)
    first = client.get("/stats/", {"period": "2025"}).content.decode()
    other = client.get("/stats/", {"period": "2025-01-01..2025-12-31"}).content.decode()
    assert "<strong>2025</strong>" in first
    assert "<strong>2025-01-01..2025-12-31</strong>" in other


def test_a_new_passport_changes_the_data_version(build):
    # A passport can join two person rows into one person: the figures change, so must the key.
    person = build.person("Karim Rasulov")
    before = data_version()
    Identifier.objects.create(person=person, kind="passport", value="AA1", normalised="AA1")
    assert data_version() != before
