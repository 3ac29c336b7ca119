import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tipnet.accounts.actions import do_create_token, do_revoke_token
from tipnet.accounts.models import ApiToken
from tipnet.audit.models import AuditEvent

ATTACKER = "198.51.100.7"
BAD = "tpn_" + "x" * 43


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.TIPNET_API_AUTH_FAILURE_LIMIT = 3
    settings.TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS = 600


def _get(token: str, address: str = ATTACKER, **headers):
    client = Client(REMOTE_ADDR=address, headers={"Authorization": f"Bearer {token}", **headers})
    return client.get("/api/accounts/me")


def _valid(user) -> str:
    return do_create_token(user, "test", 30)[1]


def test_bad_tokens_are_refused_with_401_up_to_the_limit(investigator):
    assert [_get(BAD).status_code for _ in range(3)] == [401, 401, 401]


def test_after_the_limit_even_a_valid_token_from_that_address_gets_429(investigator):
    for _ in range(3):
        _get(BAD)
    response = _get(_valid(investigator))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 600


def test_another_address_is_not_locked_out(investigator):
    for _ in range(3):
        _get(BAD)
    assert _get(_valid(investigator), address="203.0.113.9").status_code == 200


def test_expired_and_revoked_tokens_count_as_failures(investigator):
    expired = _valid(investigator)
    ApiToken.objects.filter(hint=expired[:8]).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = _valid(investigator)
    do_revoke_token(investigator, ApiToken.objects.get(hint=revoked[:8]))
    assert [_get(t).status_code for t in (expired, revoked, "not-a-token")] == [401, 401, 401]
    assert _get(_valid(investigator)).status_code == 429


def test_requests_without_a_token_are_not_counted(investigator):
    for _ in range(5):
        assert Client(REMOTE_ADDR=ATTACKER).get("/api/accounts/me").status_code == 401
    assert _get(_valid(investigator)).status_code == 200


def test_a_valid_token_does_not_reset_the_count(investigator):
    valid = _valid(investigator)
    for _ in range(2):
        _get(BAD)
        assert _get(valid).status_code == 200
    _get(BAD)
    assert _get(valid).status_code == 429


def test_the_lock_out_is_audited_once_with_the_address(investigator):
    for _ in range(5):
        _get(BAD)
    events = AuditEvent.objects.filter(tag="accounts:api:lockout")
    assert events.count() == 1
    assert events.get().detail == {"address": ATTACKER, "failures": 3, "seconds": 600}


def test_the_lock_out_ends_when_the_window_passes(investigator, settings):
    # Long enough for the failures to land in one window on a busy machine, short enough to wait.
    settings.TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS = 5
    valid = _valid(investigator)
    for _ in range(3):
        _get(BAD)
    locked = _get(valid)
    assert locked.status_code == 429
    time.sleep(int(locked["Retry-After"]) + 0.2)
    assert _get(valid).status_code == 200


def test_the_counts_live_in_the_database_so_every_process_shares_them(investigator):
    _get(BAD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM tipnet_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("api-auth-failures:" in key for key in keys)


def test_behind_a_proxy_the_forwarded_address_is_the_client(investigator, settings):
    settings.TIPNET_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for _ in range(3):
        _get(BAD, address=proxy, x_forwarded_for=f"1.2.3.4, {ATTACKER}")
    # Another client behind the same proxy is not locked out; a forged first hop changes nothing.
    assert (
        _get(_valid(investigator), address=proxy, x_forwarded_for="203.0.113.9").status_code == 200
    )
    forged = _get(_valid(investigator), address=proxy, x_forwarded_for=f"9.9.9.9, {ATTACKER}")
    assert forged.status_code == 429


def test_without_a_proxy_a_forwarded_header_is_ignored(investigator):
    for i in range(3):
        _get(BAD, x_forwarded_for=f"192.0.2.{i}")
    assert _get(_valid(investigator), x_forwarded_for="192.0.2.200").status_code == 429
