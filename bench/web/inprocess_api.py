"""CPU per request of the API case list in process: Django's test client, no server.

    nice -n 10 .venv/bin/python bench/web/inprocess_api.py          # CPU per request
    nice -n 10 .venv/bin/python bench/web/inprocess_api.py cache    # with ninja's cache throttle
    nice -n 10 .venv/bin/python bench/web/inprocess_api.py sql      # one request's statements
    nice -n 10 .venv/bin/python bench/web/inprocess_api.py cache-sql

The data are the web benchmark's (as bench/web/inprocess.py). With a token of the demo
investigator it asks the paths of bench.py's "API case list" plan: each once to warm up, then
BENCH_REQUESTS (100) of them. `cache` swaps the node's rate throttle for the one it replaced
(ninja's AuthRateThrottle, a list of timestamps in the database cache), to compare the two in
one sitting. The rate is bench.py's (1000000/m), so no request is refused.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[2])
os.environ.setdefault("TIPNET_API_RATE", "1000000/m")

from bench.web.inprocess import _backend_seconds  # noqa: E402 - after the environment is set


def _use_cache_throttle(api, rate: str) -> None:
    from django.urls import get_resolver
    from ninja.throttling import AuthRateThrottle

    get_resolver().url_patterns  # the apps add their routers as the URLs load  # noqa: B018
    old = AuthRateThrottle(rate)
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                operation.throttle_objects[:] = [old]


def main(mode: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tipnet.accounts.actions import do_create_token
    from tipnet.accounts.models import User
    from tipnet.api import api

    if mode.startswith("cache"):
        _use_cache_throttle(api, settings.TIPNET_API_RATE)
    investigator = User.objects.get(username="investigator")
    _token, raw = do_create_token(investigator, "bench/web inprocess", 1)
    rng = random.Random(11)  # noqa: S311 - reproducible choice of pages
    paths = ["/api/cases/"] + [f"/api/cases/?offset={50 * rng.randint(1, 20)}" for _ in range(50)]
    client = Client(SERVER_NAME="127.0.0.1", headers={"Authorization": f"Bearer {raw}"})
    for path in paths:
        assert client.get(path).status_code == 200, path
    if mode.endswith("sql"):
        with CaptureQueriesContext(connection) as queries:
            client.get(paths[1])
        print(len(queries), "statements")
        for query in queries:
            print(query["sql"][:160])
        return
    requests = int(os.environ.get("BENCH_REQUESTS", "100"))
    measured = (paths * (requests // len(paths) + 1))[:requests]
    app, database = time.process_time(), _backend_seconds(connection)
    for path in measured:
        assert client.get(path).status_code == 200, path
    app, database = time.process_time() - app, _backend_seconds(connection) - database
    per = 1000 / len(measured)
    label = "API case list" + (" (cache throttle)" if mode.startswith("cache") else "")
    print(f"{label}: {app * per:.1f} + {database * per:.1f} ms CPU per request (app + PostgreSQL)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cpu")
