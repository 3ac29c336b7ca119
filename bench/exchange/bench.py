"""Benchmark of node-to-node delivery: sign + encrypt + deliver + signed receipt, on loopback.

    nice -n 10 .venv/bin/python bench/exchange/bench.py

Starts a receiving node (KG-GPO: `tipnet serve`, BENCH_SERVE_WORKERS gunicorn processes of
BENCH_SERVE_THREADS threads, its own data folder and database) and acts as the sending node
(UZ-GPO) in this process, with its own data folder and database, under one signed registry. It
measures, with and without a 100 KB attachment:

* latency: one message at a time, from queueing (seal: sign + encrypt + outbox row) through
  delivery to the verified receipt being recorded (p50, p95);
* throughput: BENCH_WORKERS `tipnet exchange run` processes already running while
  BENCH_PRODUCERS processes of the sending node (as its web server's processes would, for its
  users) queue BENCH_MESSAGES messages between them, BENCH_QUEUE_GROUP per transaction (1: one
  message per user action; more: a bulk send through `do_queue_messages`); messages per second
  from the first queueing to the last receipt, and each message's latency from queueing to its
  recorded receipt (p50, p95); how fast the producers queued them meanwhile (queued/s); and the
  delivery path alone: as many messages queued beforehand and made due at once, to the last
  receipt (pre-filled);
* CPU per message end to end, by part: the receiving node's server processes, the sending
  node's workers, its producers, and the PostgreSQL backends of both databases (read from
  /proc, so Linux only), and the rate two cores could reach at that cost. CPU time per message
  moves far less with the machine's load than messages per second do, so it is the figure to
  compare on a shared machine;
* the floor: the same wire bytes POSTed with the same client to a bare WSGI app under the same
  server (no Django, no database, no crypto), one at a time; the ratio is exchange / floor.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "400"))
SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", "200"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PRODUCERS = int(os.environ.get("BENCH_PRODUCERS", "2"))
# Messages each producer queues per transaction (`do_queue_messages`): 1 as a web request that
# sends one message, more as a bulk send.
GROUP = int(os.environ.get("BENCH_QUEUE_GROUP", "1"))
# Messages per second the producers offer between them, each group at its appointed time (0: as
# fast as they can). Offered faster than the node delivers, the outbox grows and every later
# message waits behind it: latency under load then measures the backlog, not the exchange. A
# goal of "N messages/s with p95 under 1 s" is measured at a rate of N.
RATE = float(os.environ.get("BENCH_RATE", "0"))
# The receiving node as a production node runs it: gunicorn processes with threads each.
SERVE_WORKERS = os.environ.get("BENCH_SERVE_WORKERS", "2")
SERVE_THREADS = os.environ.get("BENCH_SERVE_THREADS", "4")
# PostgreSQL server for the two nodes' throwaway databases; empty: each node on SQLite.
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
WORK = Path(tempfile.mkdtemp(prefix="tipnet-bench-exchange-"))
DROPS: list = []


def database(name: str) -> str:
    if not PG:
        return ""
    import uuid

    import psycopg

    db = f"tipnet_bench_exchange_{name}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')

    def drop():
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    DROPS.append(drop)
    return f"{PG}/{db}"


SENDER_DB = database("uz")
os.environ.update(
    TIPNET_DATA_DIR=str(WORK / "UZ-GPO"),
    TIPNET_NODE_ID="UZ-GPO",
    TIPNET_NODE_COUNTRY="UZ",
    DATABASE_URL=SENDER_DB,
    DJANGO_SETTINGS_MODULE="tipnet.settings",
    TIPNET_LOG_LEVEL="WARNING",
    TIPNET_EXCHANGE_POLL_SECONDS="0.02",
)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def network():
    from tipnet.exchange.localnet import LocalNode, prepare, publish

    sender = LocalNode("UZ-GPO", "UZ", "bench sender", free_port(), WORK / "UZ-GPO", SENDER_DB)
    receiver = LocalNode(
        "KG-GPO",
        "KG",
        "bench receiver",
        free_port(),
        WORK / "KG-GPO",
        database("kg"),
        env_extra={"TIPNET_LOG_LEVEL": "WARNING"},
    )
    entries = [prepare(sender), prepare(receiver)]
    publish(WORK, [sender, receiver], entries)
    receiver.start("serve", "serve", "--workers", SERVE_WORKERS, "--threads", SERVE_THREADS)
    from tipnet.exchange.localnet import wait_until_up

    try:
        # Its workers load WeasyPrint as they start: minutes on a busy machine.
        wait_until_up(
            receiver.base_url,
            receiver.processes["serve"][0],
            receiver.data_dir / "serve.log",
            seconds=600,
        )
    except BaseException:
        receiver.stop_all()
        raise
    return sender, receiver


def attachments(size: int):
    from tipnet.exchange.envelope import Attachment

    return [Attachment("evidence.pdf", "application/pdf", os.urandom(size))] if size else []


def percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def sequential(size: int) -> list[float]:
    from tipnet.exchange import worker
    from tipnet.exchange.actions import do_queue_message
    from tipnet.exchange.models import OutboxMessage

    files, latencies = attachments(size), []
    # One sender (threads and kept-alive connections) for all passes, as `tipnet exchange run`.
    sender = worker.Sender()
    try:
        for i in range(SEQUENTIAL):
            start = time.perf_counter()
            outbox = do_queue_message(None, "exchange.ping", "KG-GPO", {"n": i}, files)
            worker.drain(sender=sender)
            latencies.append(time.perf_counter() - start)
            assert OutboxMessage.objects.get(pk=outbox.pk).state == "delivered"
    finally:
        sender.close()
    return latencies


class Cpu:
    """CPU seconds used by processes, read from /proc (Linux); children are included once they
    have been waited for, as the kernel counts them."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    @classmethod
    def of(cls, pids: list[int]) -> float:
        total = 0.0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            total += sum(int(f) for f in fields[11:15]) / cls.TICK  # utime stime cutime cstime
        return total


def tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(parents.get(found[-1], []))
    return found


class PostgresCpu:
    """CPU seconds of the PostgreSQL backends serving the given databases, sampled every 50 ms
    from another thread so that backends that close before the end (the producers') count too.
    WAL writer, checkpointer and the other shared processes are not counted."""

    def __init__(self, databases: list[str]) -> None:
        import threading

        self.databases, self.seen, self.first = databases, {}, {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _pids(self, conn) -> list[int]:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
            [self.databases],
        ).fetchall()
        return [row[0] for row in rows]

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            started = False  # backends of the first round count from then, later ones whole
            while True:
                for pid in self._pids(conn):
                    used = Cpu.of([pid])
                    self.first.setdefault(pid, 0.0 if started else used)
                    self.seen[pid] = max(self.seen.get(pid, 0.0), used)
                started = True
                if self.stopped.wait(0.05):
                    return

    def __enter__(self) -> "PostgresCpu":
        self.thread.start()
        while not self.seen and self.thread.is_alive():
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()

    @property
    def used(self) -> float:
        return sum(self.seen[pid] - self.first[pid] for pid in self.seen)


def throughput(sender, receiver, size: int) -> tuple[float, float, float, float, float, dict]:
    """Messages/s end to end and their latency (p50, p95), queueing rate, pre-filled outbox rate,
    and the CPU seconds per message of each part end to end."""
    import contextlib
    import resource
    from datetime import timedelta

    from django.utils import timezone

    from tipnet.exchange.actions import do_queue_message
    from tipnet.exchange.models import OutboxMessage

    files = attachments(size)
    OutboxMessage.objects.all().delete()
    earlier = backends()
    for n in range(WORKERS):
        sender.start(f"worker{n}", "exchange", "run")
    wait_polled(sender, earlier)
    workers = [sender.processes[f"worker{n}"][0].pid for n in range(WORKERS)]
    server = tree(receiver.processes["serve"][0].pid)
    databases = [url.rsplit("/", 1)[1] for url in (SENDER_DB, receiver.database_url) if url]
    try:
        with PostgresCpu(databases) if PG else contextlib.nullcontext() as postgres:
            before = (Cpu.of(server), Cpu.of(workers), resource.getrusage(resource.RUSAGE_CHILDREN))
            own = resource.getrusage(resource.RUSAGE_SELF)
            start = time.perf_counter()
            produce(size)
            queued = time.perf_counter() - start
            children, mine = (
                resource.getrusage(resource.RUSAGE_CHILDREN),
                resource.getrusage(resource.RUSAGE_SELF),
            )
            wait_delivered()
            elapsed = time.perf_counter() - start
            after = (Cpu.of(server), Cpu.of(workers))
        cpu = {
            "receiver": after[0] - before[0],
            "workers": after[1] - before[1],
            # The forked producers, or this process when it produces alone.
            "producers": children.ru_utime
            + children.ru_stime
            - before[2].ru_utime
            - before[2].ru_stime
            + (mine.ru_utime + mine.ru_stime - own.ru_utime - own.ru_stime),
            "PostgreSQL": postgres.used if postgres else 0.0,
        }
        cpu = {part: used / MESSAGES for part, used in cpu.items()}
        rows = OutboxMessage.objects.values_list("created_at", "delivered_at")
        p50, p95 = percentiles([(done - made).total_seconds() for made, done in rows])
        # The delivery path alone: the same number of messages queued beforehand, made due at once.
        OutboxMessage.objects.all().delete()
        later = timezone.now() + timedelta(days=1)
        for i in range(MESSAGES):
            outbox = do_queue_message(None, "exchange.ping", "KG-GPO", {"n": i}, files)
            OutboxMessage.objects.filter(pk=outbox.pk).update(next_attempt_at=later)
        start = time.perf_counter()
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        wait_delivered()
        prefilled = MESSAGES / (time.perf_counter() - start)
    finally:
        for n in range(WORKERS):
            sender.stop(f"worker{n}")
    return MESSAGES / elapsed, p50, p95, MESSAGES / queued, prefilled, cpu


def backends() -> set[int]:
    """The PostgreSQL backends connected to the sending node's database (none on SQLite)."""
    if not PG:
        return set()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in cursor.fetchall()}


def wait_polled(sender, earlier: set[int], timeout: float = 120.0) -> None:
    """Wait until each worker has polled the outbox once, so that their start-up (Python,
    Django, keys, first connections) is not counted as delivery time.

    On PostgreSQL a worker that has polled has a connection to the sending node's database whose
    last statement read the outbox. On SQLite there is no such view: the workers' own start-up
    is timed instead, by one `exchange run --once` beforehand, and waited for twice over.
    """
    deadline = time.monotonic() + timeout
    if not PG:
        started = time.perf_counter()
        sender.run("exchange", "run", "--once")
        time.sleep(2 * (time.perf_counter() - started))
        return
    from django.db import connection

    polled = 0
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND query LIKE %s",
                ["%exchange_outboxmessage%"],
            )
            polled = len({row[0] for row in cursor.fetchall()} - earlier)
        if polled >= WORKERS:
            return
        time.sleep(0.05)
    raise SystemExit(f"only {polled} of {WORKERS} workers polled within {timeout:.0f} s")


def _produce(first: int, count: int, size: int, began: float) -> None:
    from tipnet.exchange.actions import Outgoing, do_queue_messages

    files = attachments(size)
    for start in range(first, first + count, GROUP):
        group = range(start, min(start + GROUP, first + count))
        if RATE:
            # This producer's share of the messages is spread evenly over the run: message n of
            # its share is due n * PRODUCERS / RATE seconds after the start.
            due = began + (start - first) * max(PRODUCERS, 1) / RATE
            time.sleep(max(0.0, due - time.time()))
        do_queue_messages(
            None, [Outgoing("exchange.ping", "KG-GPO", {"n": i}, files) for i in group]
        )


def produce(size: int) -> None:
    """Queue MESSAGES messages from PRODUCERS processes of the sending node at once."""
    import multiprocessing

    from django.db import connections

    began = time.time()
    if PRODUCERS <= 1:
        _produce(0, MESSAGES, size, began)
        return
    connections.close_all()  # each forked producer opens its own connection
    share = -(-MESSAGES // PRODUCERS)
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(
            target=_produce, args=(n * share, min(share, MESSAGES - n * share), size, began)
        )
        for n in range(PRODUCERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
        assert process.exitcode == 0, "a producer failed"


def wait_delivered() -> None:
    from tipnet.exchange.models import OutboxMessage

    while OutboxMessage.objects.exclude(state="delivered").exists():
        time.sleep(0.01)


def floor(size: int) -> list[float]:
    from tipnet.exchange import envelope
    from tipnet.exchange.keys import load_keys

    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(ROOT / "bench" / "exchange"),
            "floor_app:app",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.5)
        keys = load_keys()
        wire = envelope.seal(
            envelope.Message("exchange.ping", "UZ-GPO", "KG-GPO", {"n": 0}, attachments(size)),
            keys.signing,
            keys.encryption.public_key,
        )
        latencies = []
        for _ in range(SEQUENTIAL):
            start = time.perf_counter()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/", data=wire, method="POST")
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
                answer.read()
            latencies.append(time.perf_counter() - start)
        return latencies
    finally:
        server.terminate()
        server.wait()


def load() -> None:
    """Print the machine's load average: figures are only comparable at a similar load."""
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)  # noqa: S607


def main() -> None:
    try:
        sender, receiver = network()
    except BaseException:
        for drop in DROPS:
            drop()
        raise
    import django

    django.setup()
    try:
        load()
        print(
            f"{'PostgreSQL' if PG else 'SQLite'}; {SEQUENTIAL} messages one at a time, then "
            f"{MESSAGES} queued by {PRODUCERS} processes, {GROUP} per transaction, while "
            f"{WORKERS} workers run"
            + (f"; offered at {RATE:g} messages/s" if RATE else "; offered as fast as queued")
        )
        print(
            "| payload | one at a time p50 / p95 | floor p50 / p95 | ratio (p50) "
            "| messages/s | latency under load p50 / p95 | queued/s | pre-filled, messages/s "
            "| CPU per message: receiver / workers / producers / PostgreSQL = total "
            "| 2 cores at that cost, messages/s |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for label, size in (("no attachment", 0), ("100 KB attachment", 100 * 1024)):
            p50, p95 = percentiles(sequential(size))
            f50, f95 = percentiles(floor(size))
            rate, l50, l95, queued, prefilled, cpu = throughput(sender, receiver, size)
            total = sum(cpu.values())
            parts = " / ".join(f"{used * 1000:.2f}" for used in cpu.values())
            print(
                f"| {label} | {p50 * 1000:.1f} / {p95 * 1000:.1f} ms | {f50 * 1000:.1f} / "
                f"{f95 * 1000:.1f} ms | {p50 / f50:.0f}x | {rate:.0f} | {l50 * 1000:.0f} / "
                f"{l95 * 1000:.0f} ms | {queued:.0f} | {prefilled:.0f} | {parts} = "
                f"{total * 1000:.2f} ms | {2 / total:.0f} |",
                flush=True,
            )
        load()
    finally:
        receiver.stop_all()
        from django.db import connections

        connections.close_all()
        for drop in DROPS:
            drop()


if __name__ == "__main__":
    main()
