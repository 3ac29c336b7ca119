"""CPU per request of the case page in process: Django's test client, no server, no load generator.

    nice -n 10 .venv/bin/python bench/web/inprocess.py           # CPU per request
    nice -n 10 .venv/bin/python bench/web/inprocess.py profile   # cProfile, cumulative
    nice -n 10 .venv/bin/python bench/web/inprocess.py sql       # one page's statements

The data are the web benchmark's (BENCH_DATABASE_URL, TIPNET_DATA_DIR as in bench.py). Signed in
as the demo investigator, it asks the same 200 case pages as bench.py's "case page" plan: every
one once to warm up (so rows and panels kept per worker are kept here too, as in a run of
bench.py), then BENCH_REQUESTS (100) of them. The app's CPU is this process's; PostgreSQL's is
its backend's (utime + stime from /proc). On two shared cores, compare runs made one after the
other, not with figures of another day.
"""

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[0] = str(ROOT)
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tipnet_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("TIPNET_DATA_DIR", "/tmp/tipnet_bench_data")  # noqa: S108
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.web.settings"
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
TICK = os.sysconf("SC_CLK_TCK")


def _backend_seconds(connection) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main(mode: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tipnet.accounts.models import User
    from tipnet.cases.access import visible_cases

    investigator = User.objects.get(username="investigator")
    ids = list(visible_cases(investigator).values_list("pk", flat=True)[::25])
    rng = random.Random(11)  # noqa: S311 - reproducible choice of pages
    paths = [f"/cases/{rng.choice(ids)}/" for _ in range(200)]
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(investigator)
    for path in paths:
        assert client.get(path).status_code == 200, path
    measured = paths[:REQUESTS]
    if mode == "sql":
        with CaptureQueriesContext(connection) as queries:
            client.get(measured[0])
        print(len(queries), "statements")
        for query in queries:
            print(query["sql"][:160])
        return
    if mode == "profile":
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(path) for path in measured])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    app, database = time.process_time(), _backend_seconds(connection)
    for path in measured:
        # A run of bench.py resets the demo users' passwords, which signs this client out.
        assert client.get(path).status_code == 200, f"{path}: signed out? run again"
    app, database = time.process_time() - app, _backend_seconds(connection) - database
    per = 1000 / len(measured)
    print(
        f"case page: {app * per:.1f} + {database * per:.1f} ms CPU per request (app + PostgreSQL)"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "cpu")
