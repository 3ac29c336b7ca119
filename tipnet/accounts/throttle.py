"""Failed API authentication, counted per client address in Django's cache.

The cache is the node's database table (`tipnet createcachetable`), so every app server process
sees the same counts. After TIPNET_API_AUTH_FAILURE_LIMIT failures within
TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS the address is locked for that window: every API request
from it is answered 429, even one with a valid token, so a guesser learns nothing from a hit.
A success does not clear the count: one valid token must not buy an attacker fresh guesses.
The count is a read and a write, not atomic: requests racing each other may each slip a failure
past it, which lets a burst run a few tries over the limit but never keeps a lock-out from coming.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one TIPNET_PROXY_COUNT proxies reported."""
    proxies = settings.TIPNET_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def _keys(address: str) -> tuple[str, str]:
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"api-auth-failures:{digest}", f"api-auth-locked:{digest}"


def seconds_locked(address: str) -> int:
    """Seconds the address stays locked out of the API; 0 when it is not locked."""
    until = cache.get(_keys(address)[1])
    return max(0, math.ceil(until - time.time())) if until else 0


def count_failure(address: str) -> bool:
    """Count one failed authentication; True when it is the one that locks the address."""
    window = settings.TIPNET_API_AUTH_FAILURE_WINDOW_SECONDS
    failures_key, locked_key = _keys(address)
    if cache.add(failures_key, 1, timeout=window):
        failures = 1
    else:
        try:
            failures = cache.incr(failures_key)
        except ValueError:  # the window ran out between the two calls
            cache.set(failures_key, 1, timeout=window)
            failures = 1
    if failures < settings.TIPNET_API_AUTH_FAILURE_LIMIT:
        return False
    cache.set(locked_key, time.time() + window, timeout=window)
    cache.delete(failures_key)
    return True
