"""`tipnet serve` loads WeasyPrint in each worker when it starts, before any request, so the
first PDF letter does not wait for the library."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Its processes run on SQLite whatever the pass's database, so one pass runs it.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _node_env(tmp_path) -> dict[str, str]:
    """A node of its own on SQLite in `tmp_path`."""
    return dict(
        os.environ,
        TIPNET_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="tipnet.settings",
    )


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _loaded_pango(pid: int) -> bool:
    try:
        return "libpango" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_each_worker_loads_weasyprint_before_its_first_request(tmp_path):
    env = _node_env(tmp_path)
    port = _free_port()
    command = [sys.executable, "-m", "tipnet.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        [*command, "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert not _loaded_pango(server.pid)  # the master stays without it
        deadline = time.monotonic() + 90
        workers: list[int] = []
        while time.monotonic() < deadline and server.poll() is None:
            workers = _children(server.pid)
            if len(workers) == 2 and all(_loaded_pango(pid) for pid in workers):
                break
            time.sleep(0.2)
        assert server.poll() is None, "the server stopped"
        assert len(workers) == 2 and all(_loaded_pango(pid) for pid in workers)
        assert not _loaded_pango(server.pid)
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_second_server_on_a_taken_port_refuses_to_start(tmp_path):
    env = _node_env(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        bind = f"127.0.0.1:{taken.getsockname()[1]}"
        done = subprocess.run(
            [sys.executable, "-m", "tipnet.cli", "serve", "--bind", bind],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    assert f"{bind} is in use" in done.stderr
