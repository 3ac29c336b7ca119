"""A real node served by `tipnet serve` in a subprocess, and Debian's Chromium driven by Playwright.

The node gets its own data folder and database (SQLite, or a throwaway PostgreSQL database when
DATABASE_URL points at PostgreSQL), loads the demo data and is stopped after the session.
A missing Chromium skips these tests, except under CI=true, where it fails them.

Chromium itself (`browser`) and the Content-Security-Policy watch are in `fixtures.py`, a plugin of
the whole suite, so that the browser tests of the apps share the one Chromium of the session.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _throwaway_postgres(url: str):
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    name = f"tipnet_browser_{uuid.uuid4().hex[:8]}"

    def admin() -> psycopg.Connection:
        return psycopg.connect(
            host=params["HOST"],
            port=params["PORT"] or 5432,
            user=params["USER"],
            password=params["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        )

    with admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    base = url.rsplit("/", 1)[0]
    return f"{base}/{name}", drop


def _run(env, *args):
    subprocess.run(
        [sys.executable, "-m", "tipnet.cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def live_node(tmp_path_factory):
    port = _free_port()
    env = {
        **os.environ,
        "TIPNET_DATA_DIR": str(tmp_path_factory.mktemp("node")),
        "TIPNET_BIND": f"127.0.0.1:{port}",
        "DEBUG": "false",
        "DATABASE_URL": "",
    }
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], drop = _throwaway_postgres(os.environ["DATABASE_URL"])
    _run(env, "migrate", "--no-input")
    _run(env, "createcachetable")
    _run(env, "demo")
    log = open(tmp_path_factory.mktemp("log") / "serve.log", "w+")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "tipnet.cli", "serve", "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server, log)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        if drop:
            drop()


def _wait_until_up(base, server, log):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError("the node did not start:\n" + log.read())
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the node did not answer within 60 s")


@pytest.fixture
def page(browser, live_node):
    context = browser.new_context(base_url=live_node, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
