"""A real node served by `tipnet serve` in a subprocess, and Debian's Chromium driven by Playwright.

The node gets its own data folder and database (SQLite, or a throwaway PostgreSQL database when
DATABASE_URL points at PostgreSQL), loads the demo data and is stopped after the session.
A missing Chromium skips these tests, except under CI=true, where it fails them.

Every page runs under the node's Content-Security-Policy: a test fails when Chromium reports a
violation of it on the console, or when a page is served without it.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TIPNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


# What went wrong with the Content-Security-Policy during the current test, from every context.
CSP_PROBLEMS: list[str] = []


def _watch_csp(context) -> None:
    def on_console(message):
        if "Content Security Policy" in message.text:
            CSP_PROBLEMS.append(f"{message.page.url if message.page else ''}: {message.text}")

    def on_response(response):
        is_page = response.request.resource_type == "document"
        if is_page and "content-security-policy" not in response.headers:
            CSP_PROBLEMS.append(f"{response.url}: served without a Content-Security-Policy")

    context.on("console", on_console)
    context.on("response", on_response)


@pytest.fixture
def csp_problems():
    """The CSP violations reported so far in this test (a test that causes one must clear it)."""
    return CSP_PROBLEMS


@pytest.fixture(autouse=True)
def _fail_on_csp_problems():
    CSP_PROBLEMS.clear()
    yield
    problems = list(CSP_PROBLEMS)
    CSP_PROBLEMS.clear()
    if problems:
        pytest.fail("Content-Security-Policy problems:\n" + "\n".join(problems))


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"Chromium is missing at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _watch_csp(context)
            return context

        # Every context a test opens, through `page` or by itself, is watched.
        browser.new_context = watched_context
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_node):
    context = browser.new_context(base_url=live_node, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
