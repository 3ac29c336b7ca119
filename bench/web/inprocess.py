"""CPU per request of one page of bench.py in process: Django's test client, no server, no load.

    nice -n 10 .venv/bin/python bench/web/inprocess.py                       # the case page
    nice -n 10 .venv/bin/python bench/web/inprocess.py "MLA register"        # any page of bench.py
    nice -n 10 .venv/bin/python bench/web/inprocess.py "case page" profile   # cProfile, cumulative
    nice -n 10 .venv/bin/python bench/web/inprocess.py "API case list" sql   # one request's SQL
    nice -n 10 .venv/bin/python bench/web/inprocess.py "person search, Latin" explain  # and plans

The data, the pages and their paths are bench.py's (BENCH_DATABASE_URL, TIPNET_DATA_DIR, its
plans). Signed in as the plan's user (or with its API token), it asks every path of the plan
once to warm up (so what a worker keeps is kept here too, as in a run of bench.py), then
BENCH_REQUESTS (100) of them. The app's CPU is this process's; PostgreSQL's is its backend's
(utime + stime from /proc). This is for finding where a page's time goes; the figures of record
are bench.py's, over HTTP with concurrent clients. On two shared cores, compare runs made one
after the other, not with figures of another day.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[2])
os.environ.setdefault("TIPNET_API_RATE", "1000000/m")  # as bench.py's server: no 429

from bench.web.bench import TICK, _setup, plans  # noqa: E402 - after the path is set
from bench.web.bench import seed as seed_bench_data  # noqa: E402


def _backend_seconds(connection) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def explain(client, path: str) -> None:
    """Each SELECT of one request with PostgreSQL's plan and timing; the slowest plan in full."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            lines = [row[0] for row in cursor.fetchall()]
            took = sum(float(line.split(":")[1].split()[0]) for line in lines if " Time:" in line)
            plans.append((took, query["sql"], lines))
            print(f"{took:7.2f} ms  {query['sql'][:110]}")
    took, sql, lines = max(plans)
    print(f"\nslowest ({took:.2f} ms planning + execution):\n{sql}\n" + "\n".join(lines))


def main(page: str, mode: str) -> None:
    _setup()
    seed_bench_data()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {p["name"]: p for p in plans()}
    if page not in found or found[page].get("login"):
        names = ", ".join(repr(n) for n, p in found.items() if not p.get("login"))
        sys.exit(f"no page {page!r}: one of {names}")
    plan = found[page]
    client = Client(SERVER_NAME="127.0.0.1", headers=plan.get("headers") or {})
    if plan.get("cookie"):
        client.cookies.load(plan["cookie"])
    for path in plan["paths"]:
        assert client.get(path).status_code == 200, path
    requests = int(os.environ.get("BENCH_REQUESTS", "100"))
    measured = (plan["paths"] * (requests // len(plan["paths"]) + 1))[:requests]
    if mode == "sql":
        with CaptureQueriesContext(connection) as queries:
            client.get(measured[0])
        print(len(queries), "statements")
        for query in queries:
            print(query["sql"][:160])
        return
    if mode == "explain":
        explain(client, measured[0])
        return
    if mode == "profile":
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get(path) for path in measured])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        return
    app, database = time.process_time(), _backend_seconds(connection)
    for path in measured:
        assert client.get(path).status_code == 200, path
    app, database = time.process_time() - app, _backend_seconds(connection) - database
    per = 1000 / len(measured)
    print(f"{page}: {app * per:.1f} + {database * per:.1f} ms CPU per request (app + PostgreSQL)")


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "case page",
        sys.argv[2] if len(sys.argv) > 2 else "cpu",
    )
