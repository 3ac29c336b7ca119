"""HTTP load on a node served as production serves it, with a static floor in the same run.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tipnet_bench \
    TIPNET_DATA_DIR=/tmp/tipnet_bench_data nice -n 10 .venv/bin/python bench/cases/bench.py generate
    nice -n 10 .venv/bin/python bench/web/bench.py    # every page, then its floor

The data are the cases benchmark's (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/tipnet_bench, and TIPNET_DATA_DIR, default
/tmp/tipnet_bench_data, which holds the field key the names were encrypted with). The first
run adds, through the actions, what the cases benchmark has not: 500 victims for the demo
caseworker and 200 MLA requests of the demo prosecutor.

`tipnet serve --workers 4 --threads 4` serves the node, as docs/operations.md says to serve
it (two processes per core; settings `bench.web.settings`: the node's own plus one URL,
/bench/floor/<size>/, a static page behind the same middleware and login check;
BENCH_WEB_WORKERS, BENCH_WEB_THREADS). The load generator's 8 connections are kept alive, and
each stays with the worker that accepted it: when most land on one worker, that worker runs
Python on one core while the others idle. With two workers on one shared socket the same page
measured 72 or 143 req/s from one run to the next; `tipnet serve` now gives each worker a
socket of its own (SO_REUSEPORT, tipnet/gunicorn_conf.py) and the kernel spreads them.

Locust (headless, BENCH_WEB_USERS=8 users without think time, BENCH_WEB_SECONDS each) drives
one page at a time, then the floor at that page's mean size. CPU per request is the CPU time
(utime + stime from /proc/<pid>/stat) the gunicorn workers and the PostgreSQL backends of the
benchmark's database used during the run, over the requests answered.

Prints one JSON line per run and a Markdown table at the end. BENCH_WEB_PAGES (names separated
by semicolons, as some names hold a comma: "case page;person search, Latin") picks pages;
BENCH_WEB_FLOOR=0 skips the floors.
"""

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The repository instead of this folder, where `bench` would be this file, not the package.
sys.path[0] = str(ROOT)
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tipnet_bench")
DATA_DIR = os.environ.get("TIPNET_DATA_DIR", "/tmp/tipnet_bench_data")  # noqa: S108
os.environ["DATABASE_URL"] = URL
os.environ["TIPNET_DATA_DIR"] = DATA_DIR
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.web.settings"

USERS = int(os.environ.get("BENCH_WEB_USERS", "8"))
SECONDS = int(os.environ.get("BENCH_WEB_SECONDS", "20"))
PORT = int(os.environ.get("BENCH_WEB_PORT", "8097"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_WEB_THREADS", "4"))
FLOOR = os.environ.get("BENCH_WEB_FLOOR", "1") != "0"
ONLY = [p.strip() for p in os.environ.get("BENCH_WEB_PAGES", "").split(";") if p.strip()]
PASSWORD = "demo-Tashkent-2026"  # noqa: S105 - the demo users' password
VICTIMS = 500
MLA_REQUESTS = 200
TICK = os.sysconf("SC_CLK_TCK")
HOST = f"http://127.0.0.1:{PORT}"


def _setup():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)  # the data may predate the code's last migration


def seed() -> None:
    """Add the victims and MLA requests the cases benchmark has not (once)."""
    from tipnet.accounts.models import User
    from tipnet.cases.models import Case
    from tipnet.mla.actions import do_create_request
    from tipnet.mla.models import MlaRequest
    from tipnet.victims.actions import do_register_victim
    from tipnet.victims.models import Victim

    if not Case.objects.exists():
        sys.exit("no cases: run bench/cases/bench.py generate first (same BENCH_DATABASE_URL)")
    caseworker = User.objects.get(username="caseworker")
    for user in User.objects.filter(username__in=["investigator", "prosecutor", "caseworker"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    have = Victim.objects.filter(caseworker=caseworker).count()
    for i in range(have, VICTIMS):
        data = {"given_name": f"Dilnoza {i}", "family_name": "Rakhimova", "sex": "female"}
        do_register_victim(caseworker, data | {"phone": f"+99891{i:07d}"})
    from tipnet.directory import demo as directory_demo
    from tipnet.mla.actions import do_load_treaties
    from tipnet.mla.models import StateProfile

    directory_demo.load()
    if not StateProfile.objects.exists():
        do_load_treaties(None)  # the requests need the requested states' central authorities
    prosecutor = User.objects.get(username="prosecutor")
    have = MlaRequest.objects.count()
    cases = list(Case.objects.filter(agency_id=prosecutor.agency_id).order_by("pk")[:MLA_REQUESTS])
    for case in cases[have:]:
        do_create_request(prosecutor, case, requested_state=random.choice(["KZ", "AE", "TR"]))  # noqa: S311


def _cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from tipnet.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def plans() -> list[dict]:
    from tipnet.accounts.models import User
    from tipnet.cases.access import visible_cases
    from tipnet.cases.models import Person

    rng = random.Random(11)  # noqa: S311 - reproducible choice of pages
    investigator = User.objects.get(username="investigator")
    ids = list(visible_cases(investigator).values_list("pk", flat=True)[::25])
    count = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    names = list(
        Person.objects.filter(pk__in=[rng.randint(1, count) for _ in range(2000)]).values_list(
            "full_name", flat=True
        )
    )
    cyrillic = [n for n in names if any("а" <= ch <= "я" for ch in n.lower())][:200]
    latin = [n for n in names if n.isascii()][:200]
    stages = ["detection", "investigation", "prosecution", "trial", "closed"]
    inv, pros, cw = (_cookie(u) for u in ("investigator", "prosecutor", "caseworker"))
    from tipnet.accounts.actions import do_create_token

    _token, raw = do_create_token(investigator, "bench/web", 1)
    token = {"Authorization": f"Bearer {raw}"}
    quote = urllib.parse.quote
    all_plans = [
        {
            "name": "case list",
            "cookie": inv,
            "paths": ["/cases/"] + [f"/cases/?page={rng.randint(1, 20)}" for _ in range(50)],
        },
        {
            "name": "case list, filtered",
            "cookie": inv,
            "paths": [
                f"/cases/?stage={rng.choice(stages)}&country={rng.choice(['KZ', 'TR', 'AE', 'TH'])}"
                for _ in range(100)
            ],
        },
        {
            "name": "person search, Latin",
            "cookie": inv,
            "paths": [f"/cases/persons/?q={quote(n)}" for n in latin],
        },
        {
            "name": "person search, Cyrillic",
            "cookie": inv,
            "paths": [f"/cases/persons/?q={quote(n)}" for n in cyrillic],
        },
        {
            "name": "case page",
            "cookie": inv,
            "paths": [f"/cases/{rng.choice(ids)}/" for _ in range(200)],
        },
        {
            "name": "API case list",
            "headers": token,
            "floor_cookie": inv,
            "paths": ["/api/cases/"]
            + [f"/api/cases/?offset={50 * rng.randint(1, 20)}" for _ in range(50)],
        },
        {
            "name": "MLA register",
            "cookie": pros,
            "paths": ["/mla/"] + [f"/mla/?page={rng.randint(1, 4)}" for _ in range(20)],
        },
        {
            "name": "victims home",
            "cookie": cw,
            "paths": ["/victims/"] + [f"/victims/?page={rng.randint(1, 10)}" for _ in range(20)],
        },
        {
            "name": "login",
            "login": {"username": "investigator", "password": PASSWORD},
            "paths": ["/accounts/login/"],
        },
    ]
    from django.urls import NoReverseMatch, reverse

    with contextlib.suppress(NoReverseMatch):
        all_plans.insert(
            -1,
            {
                "name": "statistics dashboard",
                "cookie": _cookie("analyst"),
                "paths": [reverse("stats:dashboard")],
            },
        )
    unknown = set(ONLY) - {p["name"] for p in all_plans}
    if unknown:
        sys.exit(f"BENCH_WEB_PAGES: no page named {', '.join(sorted(unknown))}")
    return [p for p in all_plans if not ONLY or p["name"] in ONLY]


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _backends(conn) -> list[int]:
    name = URL.rsplit("/", 1)[1]
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
    ).fetchall()
    return [r[0] for r in rows]


def _cpu(pids) -> dict[int, int]:
    return {pid: _ticks(pid) for pid in pids}


def _used(before: dict[int, int], after: dict[int, int]) -> float:
    """CPU seconds used between the two readings, by processes present in the second one."""
    return sum(t - before.get(pid, 0) for pid, t in after.items()) / TICK


def _get(path: str, cookie: str | None, extra: dict | None = None) -> bytes:
    headers = ({"Cookie": cookie} if cookie else {}) | (extra or {})
    req = urllib.request.Request(HOST + path, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310 - loopback
        return response.read()


def run_one(plan: dict, server: subprocess.Popen, conn) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan))
        if not plan.get("login"):
            try:  # warm: both workers, their caches and connections
                for path in plan["paths"][:20]:
                    _get(path, plan.get("cookie"), plan.get("headers"))
            except OSError as exc:
                print(f"{plan['name']}: {exc}", file=sys.stderr)
                return {
                    "page": plan["name"],
                    "requests": 0,
                    "errors": -1,
                    "req_s": 0.0,
                    "p50_ms": 0.0,
                    "p95_ms": 0.0,
                    "p99_ms": 0.0,
                    "bytes": 0,
                    "app_cpu_ms": 0.0,
                    "db_cpu_ms": 0.0,
                    "load": 0.0,
                }
        workers = _children(server.pid)
        before_app, before_db = _cpu(workers), _cpu(_backends(conn))
        load = os.getloadavg()[0]
        env = dict(os.environ, BENCH_WEB_PLAN=str(plan_file))
        client = subprocess.run(  # noqa: S603 - our own locust
            [
                str(ROOT / ".venv/bin/locust"),
                "-f",
                str(ROOT / "bench/web/locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(USERS),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                HOST,
                "--csv",
                f"{tmp}/out",
                "--only-summary",
                "--stop-timeout",
                "5",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        after_app, after_db = _cpu(workers), _cpu(_backends(conn))
        rows = list(_csv(Path(f"{tmp}/out_stats.csv")))
        row = next((r for r in rows if r["Name"] == plan["name"]), None)
        if row is None:  # locust starved of CPU may write no statistics: report, go on
            print(f"{plan['name']}: no statistics\n{client.stdout[-2000:]}", file=sys.stderr)
            return {
                "page": plan["name"],
                "requests": 0,
                "errors": -1,
                "req_s": 0.0,
                "p50_ms": 0.0,
                "p95_ms": 0.0,
                "p99_ms": 0.0,
                "bytes": 0,
                "app_cpu_ms": 0.0,
                "db_cpu_ms": 0.0,
                "load": round(load, 2),
            }
        n = int(row["Request Count"])
        fails = int(row["Failure Count"])
        all_requests = sum(int(r["Request Count"]) for r in rows if r["Name"] != "Aggregated")
        return {
            "page": plan["name"],
            "requests": n,
            "errors": fails,
            "req_s": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "bytes": int(float(row["Average Content Size"])),
            # per request of any kind (the login scenario also GETs its form)
            "app_cpu_ms": round(_used(before_app, after_app) * 1000 / max(all_requests, 1), 1),
            "db_cpu_ms": round(_used(before_db, after_db) * 1000 / max(all_requests, 1), 1),
            "load": round(load, 2),
        }


def _csv(path: Path):
    import csv

    with path.open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


def _wait(server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            _get("/accounts/login/", None)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer")


def main() -> None:
    import psycopg

    _setup()
    seed()
    chosen = plans()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    # The API's per-client rate limit (600/m by default) would answer most of the load 429.
    env = dict(os.environ, PYTHONPATH=str(ROOT), TIPNET_API_RATE="1000000/m")
    log = open(Path(tempfile.gettempdir()) / f"bench-web-{PORT}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(ROOT / ".venv/bin/tipnet"),
            "serve",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    results = []
    try:
        _wait(server)
        with psycopg.connect(URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            for plan in chosen:
                result = run_one(plan, server, conn)
                if FLOOR and not plan.get("login") and result["requests"]:
                    floor = {
                        "name": "floor",
                        "cookie": plan.get("cookie") or plan["floor_cookie"],
                        "paths": [f"/bench/floor/{result['bytes']}/"],
                    }
                    result["floor"] = run_one(floor, server, conn)
                print(json.dumps(result), flush=True)
                results.append(result)
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    print(f"\n{USERS} users, {SECONDS} s per run, {WORKERS}x{THREADS} gunicorn, at {commit}\n")
    print(
        "| page | req/s | p50 / p95 / p99 ms | errors | CPU per request, app + PostgreSQL |"
        " floor req/s | floor p95 | floor CPU | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        f = r.get("floor") or {}
        print(
            f"| {r['page']} | {r['req_s']} | {r['p50_ms']:.0f} / {r['p95_ms']:.0f} / "
            f"{r['p99_ms']:.0f} | {r['errors']} | {r['app_cpu_ms']} + {r['db_cpu_ms']} ms | "
            f"{f.get('req_s', '-')} | {f.get('p95_ms', '-')} | "
            f"{f.get('app_cpu_ms', '-')} + {f.get('db_cpu_ms', '-')} ms | {r['load']} |"
        )


if __name__ == "__main__":
    main()
