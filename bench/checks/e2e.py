"""End-to-end benchmark of one person check between two real nodes on loopback.

    nice -n 10 .venv/bin/python bench/checks/e2e.py

Starts UZ-GPO and AE-MOJ as separate processes (`tipnet serve` and `tipnet exchange run`, each
with its own data folder and SQLite database) under one signed registry and one network check
key (tipnet.exchange.localnet). AE records BENCH_PERSONS suspects (one of them "Shuhrat Yusupov"),
UZ a case with the suspect "Шухрат Юсупов". Then, in UZ's own process, BENCH_CHECKS checks are
asked one at a time; each is timed from the action (encode, seal, queue) until the answer is
recorded on UZ: UZ's worker delivers the query, AE's inbox compares it with its index and queues
the answer, AE's worker delivers it, UZ's inbox records it. Prints p50, p95 and max, and how
many answers were hits. Goal: p95 < 1 s.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CHECKS = int(os.environ.get("BENCH_CHECKS", "60"))
PERSONS = int(os.environ.get("BENCH_PERSONS", "2000"))
# The workers poll their outbox this often (seconds) when nothing is due.
POLL = os.environ.get("BENCH_POLL", "0.05")
WORK = Path(tempfile.mkdtemp(prefix="tipnet-bench-checks-"))

SEED = """
import random
from tipnet.accounts.models import Agency, User, UserRole
from tipnet.cases.actions import do_add_person_to_case, do_create_case, do_create_person
from tipnet.cases.validation import PartialDate
agency = Agency.objects.get_or_create(code={node!r}, name={node!r}, country={country!r})[0]
user = User.objects.create_user("investigator", password="x-Bench-2026-x", agency=agency)
UserRole.objects.create(user=user, role="investigator")
case = do_create_case(user, title="Bench case", route=[("UZ", "origin"), ("AE", "destination")])
born = PartialDate(1984, 7, 9, "exact")
person = do_create_person(user, full_name={name!r}, sex="male", birth=born)
do_add_person_to_case(user, case, person, "suspect")
rng = random.Random(7)
given = ["Rustam", "Timur", "Jasur", "Farrukh", "Azamat", "Ulugbek", "Bakhtiyor", "Malika"]
surnames = ["Karimov", "Rakhimov", "Tursunov", "Nosirov", "Saidov", "Alimov", "Ergashev"]
for i in range({others}):
    name = f"{{rng.choice(given)}} {{rng.choice(surnames)}}"
    born = PartialDate(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28), "exact")
    other = do_create_person(user, full_name=name, sex="male", birth=born)
    do_add_person_to_case(user, case, other, "suspect")
print(case.pk)
"""

LOOP = """
import json, time
from tipnet.accounts.models import User
from tipnet.cases.models import Case
from tipnet.checks import actions
from tipnet.checks.models import OutgoingCheck
user = User.objects.get(username="investigator")
case = Case.objects.get(pk={case})
row = case.case_persons.get()
times, hits = [], 0
for i in range({checks}):
    start = time.perf_counter()
    (check,) = actions.do_check(user, case, [row], ["AE-MOJ"], "untoc_27")
    while True:
        check.refresh_from_db(fields=["result"])
        if check.result != "pending":
            break
        if time.perf_counter() - start > 30:
            raise SystemExit("no answer within 30 s")
        time.sleep(0.005)
    times.append(time.perf_counter() - start)
    hits += check.result == "hit"
print(json.dumps({{"times": times, "hits": hits}}))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")
    os.environ["TIPNET_DATA_DIR"] = str(WORK / "bench")
    import django

    django.setup()
    from tipnet.exchange import localnet

    env = {
        "TIPNET_EXCHANGE_POLL_SECONDS": POLL,
        "TIPNET_EXCHANGE_RETRY_BASE": "0.2",
        "TIPNET_EXCHANGE_RETRY_MAX": "0.5",
        "TIPNET_CHECKS_USER_DAILY": str(CHECKS + 10),
        "TIPNET_CHECKS_NODE_DAILY": str(CHECKS + 10),
        "TIPNET_CHECKS_ALERT_BURST": str(CHECKS + 10),
    }
    uz, ae = (
        localnet.LocalNode(n, c, f"{n} (bench)", _free_port(), WORK / n, "", dict(env))
        for n, c in (("UZ-GPO", "UZ"), ("AE-MOJ", "AE"))
    )
    try:
        entries = [localnet.prepare(n) for n in (uz, ae)]
        localnet.publish(WORK, [uz, ae], entries)
        case = uz.run(
            "shell", "-c", SEED.format(node="UZ-GPO", country="UZ", name="Шухрат Юсупов", others=0)
        ).split()[-1]
        seed = SEED.format(node="AE-MOJ", country="AE", name="Shuhrat Yusupov", others=PERSONS - 1)
        ae.run("shell", "-c", seed, timeout=3600)
        ae.run("checks", "rebuild")
        for node in (uz, ae):
            # A loaded machine may take minutes to start a server: wait longer than serve() does.
            node.start("serve", "serve", "--workers", "2")
            log = node.data_dir / "serve.log"
            localnet.wait_until_up(node.base_url, node.processes["serve"][0], log, seconds=600)
            node.start("worker", "exchange", "run")
        found = json.loads(
            uz.run("shell", "-c", LOOP.format(case=case, checks=CHECKS)).splitlines()[-1]
        )
    finally:
        for node in (uz, ae):
            node.stop_all()
    times = sorted(found["times"])
    p50, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"checks: {len(times)} one at a time, AE index {PERSONS} persons, worker poll {POLL} s\n"
        f"  query + answer end to end: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {times[-1] * 1000:.0f} ms; hits {found['hits']}/{len(times)}"
    )


if __name__ == "__main__":
    main()
