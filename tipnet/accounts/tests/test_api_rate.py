"""TIPNET_API_RATE: each user's requests are counted in fixed windows, one statement each."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tipnet import api as api_module
from tipnet.accounts.models import ApiRateCount

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # the start of a minute


@pytest.fixture
def three_a_minute(monkeypatch):
    throttle = api_module.api.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    monkeypatch.setattr(throttle, "duration", 60)
    clock = {"now": T0 + 10}
    monkeypatch.setattr(api_module, "_now", lambda: clock["now"])
    return clock


def _statuses(client, times: int) -> list[int]:
    return [client.get("/api/accounts/me").status_code for _ in range(times)]


def test_the_rate_is_enforced_at_its_boundary(three_a_minute, api_as, investigator):
    client = api_as(investigator)
    assert _statuses(client, 3) == [200, 200, 200]
    refused = client.get("/api/accounts/me")
    assert refused.status_code == 429
    assert refused.json() == {
        "error": {
            "code": "throttled",
            "message": "Too many requests; try again later.",
            "details": [],
        }
    }
    assert refused["Retry-After"] == "50"  # the window ends 50 s later


def test_the_count_starts_again_in_the_next_window(three_a_minute, api_as, investigator):
    client = api_as(investigator)
    assert _statuses(client, 4) == [200, 200, 200, 429]
    three_a_minute["now"] = T0 + 60
    assert _statuses(client, 4) == [200, 200, 200, 429]
    # the window that passed is gone: the table does not grow with time
    assert set(ApiRateCount.objects.values_list("window_start", flat=True)) == {int(T0 + 60)}


def test_two_users_are_counted_apart(three_a_minute, api_as, investigator, analyst):
    first, second = api_as(investigator), api_as(analyst)
    assert _statuses(first, 4) == [200, 200, 200, 429]
    assert _statuses(second, 3) == [200, 200, 200]


def test_a_request_costs_one_statement_for_the_rate(api_as, investigator):
    client = api_as(investigator)
    client.get("/api/accounts/me")  # the window's first request also deletes past windows
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/accounts/me").status_code == 200
    rate = [q["sql"] for q in queries if "accounts_apiratecount" in q["sql"]]
    assert len(rate) == 1
    # the cache is only read (the address's lock-out), never written, by a request that passes
    cached = [q["sql"] for q in queries if "tipnet_cache" in q["sql"]]
    assert all(sql.startswith("SELECT") for sql in cached)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_lose_no_count():
    if connection.vendor != "postgresql":
        pytest.skip("threads share one SQLite test database badly; PostgreSQL proves the upsert")
    counts: list[int] = []
    lock = threading.Lock()

    def hit() -> None:
        try:
            for _ in range(25):
                count = api_module._count_request("user:concurrent", int(T0))
                with lock:
                    counts.append(count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == list(range(1, 101))
    assert ApiRateCount.objects.get(ident="user:concurrent").n == 100
