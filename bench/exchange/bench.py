"""Benchmark of node-to-node delivery: sign + encrypt + deliver + signed receipt, on loopback.

    nice -n 10 .venv/bin/python bench/exchange/bench.py

Starts a receiving node (KG-GPO: `tipnet serve`, 2 gunicorn workers, its own data folder and
SQLite database) and acts as the sending node (UZ-GPO) in this process, with its own data folder
and database, under one signed registry. It measures, with and without a 100 KB attachment:

* latency: one message at a time, from queueing (seal: sign + encrypt + outbox row) through
  delivery to the verified receipt being recorded (p50, p95);
* throughput: BENCH_MESSAGES messages queued, then drained by BENCH_THREADS worker threads;
* the floor: the same wire bytes POSTed with the same client to a bare WSGI app under the same
  server (no Django, no database, no crypto), one at a time; the ratio is exchange / floor.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "400"))
SEQUENTIAL = int(os.environ.get("BENCH_SEQUENTIAL", "200"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
WORK = Path(tempfile.mkdtemp(prefix="tipnet-bench-exchange-"))
os.environ.update(
    TIPNET_DATA_DIR=str(WORK / "UZ-GPO"),
    TIPNET_NODE_ID="UZ-GPO",
    TIPNET_NODE_COUNTRY="UZ",
    DATABASE_URL="",
    DJANGO_SETTINGS_MODULE="tipnet.settings",
    TIPNET_LOG_LEVEL="WARNING",
)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def network():
    from tipnet.exchange.localnet import LocalNode, prepare, publish

    sender = LocalNode("UZ-GPO", "UZ", "bench sender", free_port(), WORK / "UZ-GPO")
    receiver = LocalNode(
        "KG-GPO",
        "KG",
        "bench receiver",
        free_port(),
        WORK / "KG-GPO",
        env_extra={"TIPNET_LOG_LEVEL": "WARNING"},
    )
    entries = [prepare(sender), prepare(receiver)]
    publish(WORK, [sender, receiver], entries)
    receiver.start("serve", "serve", "--workers", "2")
    from tipnet.exchange.localnet import wait_until_up

    wait_until_up(
        receiver.base_url, receiver.processes["serve"][0], receiver.data_dir / "serve.log"
    )
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
    for i in range(SEQUENTIAL):
        start = time.perf_counter()
        outbox = do_queue_message(None, "exchange.ping", "KG-GPO", {"n": i}, files)
        worker.drain()
        latencies.append(time.perf_counter() - start)
        assert OutboxMessage.objects.get(pk=outbox.pk).state == "delivered"
    return latencies


def throughput(size: int) -> float:
    from django.db import connection

    from tipnet.exchange import worker
    from tipnet.exchange.actions import do_queue_message
    from tipnet.exchange.models import OutboxMessage

    files = attachments(size)
    start = time.perf_counter()
    for i in range(MESSAGES):
        do_queue_message(None, "exchange.ping", "KG-GPO", {"n": i}, files)

    def drain():
        worker.drain()
        connection.close()

    threads = [threading.Thread(target=drain) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    assert OutboxMessage.objects.exclude(state="delivered").count() == 0
    return MESSAGES / elapsed


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


def main() -> None:
    _sender, receiver = network()
    import django

    django.setup()
    try:
        print(f"messages {MESSAGES} (throughput, {THREADS} threads), {SEQUENTIAL} one at a time")
        print(
            "| payload | exchange p50 | exchange p95 | floor p50 | floor p95 | p50 ratio "
            "| messages/s |"
        )
        print("|---|---|---|---|---|---|---|")
        for label, size in (("no attachment", 0), ("100 KB attachment", 100 * 1024)):
            p50, p95 = percentiles(sequential(size))
            f50, f95 = percentiles(floor(size))
            rate = throughput(size)
            print(
                f"| {label} | {p50 * 1000:.1f} ms | {p95 * 1000:.1f} ms | {f50 * 1000:.1f} ms | "
                f"{f95 * 1000:.1f} ms | {p50 / f50:.1f}x | {rate:.0f} |",
                flush=True,
            )
    finally:
        receiver.stop_all()


if __name__ == "__main__":
    main()
