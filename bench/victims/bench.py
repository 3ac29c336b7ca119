"""Benchmark of the victims app: field encryption, registration and the caseworker's pages.

    nice -n 10 .venv/bin/python bench/victims/bench.py

Runs against a fresh SQLite file in a temporary data folder (migrated on start), so it never
touches a node's data. Measures: SecretBox encrypt + decrypt per name, beside PyNaCl's
SecretBox alone on the same names (the peer: what the field tokens add); registering victims
through `do_register_victim` (validation, encryption, audit event) per victim; and the warm
p50/p95 of the caseworker's page and the victim list with BENCH_VICTIMS victims, beside the
same pages of a caseworker with none (the floor: the request stack, the menu and the page's
frame), through Django's full request stack in process. One client: latencies, not throughput.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = tempfile.mkdtemp(prefix="tipnet-bench-victims-")
os.environ.update({"TIPNET_DATA_DIR": DATA, "DATABASE_URL": ""})
# Django's in-process client calls itself "testserver".
os.environ["TIPNET_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")

VICTIMS = int(os.environ.get("BENCH_VICTIMS", "500"))
CRYPTO_OPS = int(os.environ.get("BENCH_CRYPTO_OPS", "20000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "50"))


def _crypto() -> tuple[float, float]:
    """µs per encrypt + decrypt of one name: tipnet's field tokens, then PyNaCl alone."""
    from nacl.secret import SecretBox
    from nacl.utils import random

    from tipnet.victims import crypto

    start = time.perf_counter()
    for i in range(CRYPTO_OPS):
        assert crypto.decrypt(crypto.encrypt(f"Гулнора Каримова {i}")).endswith(str(i))
    ours = (time.perf_counter() - start) / CRYPTO_OPS * 1e6
    peer = SecretBox(random(SecretBox.KEY_SIZE))
    start = time.perf_counter()
    for i in range(CRYPTO_OPS):
        sealed = peer.encrypt(f"Гулнора Каримова {i}".encode())
        assert peer.decrypt(sealed).decode().endswith(str(i))
    return ours, (time.perf_counter() - start) / CRYPTO_OPS * 1e6


def _caseworker(username: str, code: str):
    from tipnet.accounts.models import Agency, User, UserRole

    agency = Agency.objects.create(code=code, name=f"{code} (fictional)", country="UZ")
    user = User.objects.create_user(username, agency=agency)
    UserRole.objects.create(user=user, role="caseworker")
    return user


def _register():
    from tipnet.victims.actions import do_register_victim

    user = _caseworker("bench_caseworker", "UZ-NGO")
    start = time.perf_counter()
    for i in range(VICTIMS):
        data = {"given_name": f"Dilnoza {i}", "family_name": "Rakhimova", "sex": "female"}
        do_register_victim(user, data | {"phone": f"+99890{i:07d}"})
    return user, (time.perf_counter() - start) / VICTIMS * 1000


def _pages(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    out = {}
    for url in ["/victims/", "/victims/all/"]:
        assert client.get(url).status_code == 200  # warm
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        out[url] = (statistics.median(times), times[int(len(times) * 0.95) - 1])
    return out


def main() -> None:
    try:
        _run()
    finally:
        shutil.rmtree(DATA, ignore_errors=True)


def _run() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    ours, peer = _crypto()
    print(f"encrypt+decrypt one name: {ours:.1f} µs; PyNaCl SecretBox alone {peer:.1f} µs")
    user, per_victim = _register()
    print(f"do_register_victim: {per_victim:.2f} ms per victim ({VICTIMS} victims, audited)")
    floor = _pages(_caseworker("bench_caseworker_empty", "UZ-NGO2"))
    for url, (p50, p95) in _pages(user).items():
        print(
            f"GET {url} with {VICTIMS} victims: p50 {p50:.1f} ms, p95 {p95:.1f} ms;"
            f" with none (floor): p50 {floor[url][0]:.1f} ms, p95 {floor[url][1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
