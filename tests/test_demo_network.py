"""`tipnet demo --network` as a user starts it: three nodes answer, and a ping is delivered.

The command runs in its own process group on three free consecutive ports with its data folder
in tmp_path; the test stops the whole group (the nodes' servers and workers with it).
"""

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tipnet import demo_network
from tipnet.exchange import localnet

# Its processes run on SQLite whatever the pass's database, so one pass runs it.
pytestmark = pytest.mark.once


def _free_base_port() -> int:
    """A port p with p, p+1 and p+2 free on loopback, below the kernel's ephemeral range so
    that no outgoing connection of another process takes one while the demo sets up."""
    for _attempt in range(100):
        base = random.randrange(20000, 30000)
        try:
            for port in range(base, base + 3):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no three consecutive free ports")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - loopback
            return answer.status == 200
    except OSError:
        return False


def _wait(predicate, seconds: float, what: str, log) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def demo(tmp_path):
    base = _free_base_port()
    env = {**os.environ, "TIPNET_DATA_DIR": str(tmp_path), "DATABASE_URL": "", "DEBUG": "false"}
    log = tmp_path / "demo.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tipnet.cli", "demo", "--network", "--base-port", str(base)],
            env=env,
            cwd=localnet.ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield base, tmp_path / "network", log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_the_demo_network_starts_three_nodes_that_deliver_a_ping_and_keep_intact_audit_chains(
    demo,
):
    base, root, log = demo
    urls = [f"http://127.0.0.1:{base + offset}" for *_spec, offset in demo_network.NODES]
    _wait(lambda: all(_answers(u + "/accounts/login/") for u in urls), 300, "nodes up", log)
    _wait(lambda: "Demo network running" in log.read_text(), 300, "rounds played", log)
    # The start-up says what it is doing while it takes minutes.
    text = log.read_text()
    for step in (
        "UZ-GPO: creating its database",
        "UZ-GPO: loading the demo data",
        "KG-GPO: loading its directory, agency and demo users",
        "Signing the network registry",
        "AE-MOJ: serving on",
        "Playing the cross-border work",
    ):
        assert step in text, text

    uz = demo_network._node(root, base, *demo_network.NODES[0])
    message_id = json.loads(uz.run("exchange", "ping", "KG-GPO"))["queued"][0]
    _wait(lambda: uz.status()["outbox"].get(message_id) == "delivered", 30, "ping delivered", log)
    kg = demo_network._node(root, base, *demo_network.NODES[1])
    assert message_id in kg.status()["inbox_ids"]
    # Checked here rather than in a test of its own, which would start the network again.
    for spec in demo_network.NODES:
        out = demo_network._node(root, base, *spec).run("audit", "verify")
        assert "audit chain intact" in out and "checkpoint signed" in out, out


def test_a_second_demo_network_on_busy_ports_stops_with_a_clear_error(tmp_path):
    """A server already on the ports would answer in the new nodes' place; the demo refuses."""
    from django.core.management.base import CommandError

    base = _free_base_port()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", base + 1))
        holder.listen()
        assert demo_network.busy_ports(range(base, base + 3)) == [base + 1]
        with pytest.raises(CommandError, match=f"Port {base + 1} is already in use"):
            demo_network.run(tmp_path, None, base)
    assert not (tmp_path / "UZ-GPO").exists()  # refused before anything was set up
