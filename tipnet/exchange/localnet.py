"""Real nodes on one machine: data folders, keys, one signed registry, `tipnet serve` processes.

Used by `tipnet demo --network`, by the multi-process delivery tests and by the benchmark, so
all three run the same set-up. Every node is a separate process with its own data folder and
database, reached over loopback HTTP exactly as remote nodes are.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from nacl.public import PublicKey, SealedBox
from nacl.signing import SigningKey

from . import registry
from .keys import b64, read_secret, unb64, write_secret

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LocalNode:
    node_id: str
    country: str
    agency: str
    port: int
    data_dir: Path
    database_url: str = ""
    env_extra: dict[str, Any] = field(default_factory=dict)
    processes: dict[str, Any] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self, **extra: str) -> dict[str, Any]:
        return {
            **os.environ,
            "TIPNET_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
            "TIPNET_NODE_ID": self.node_id,
            "TIPNET_NODE_COUNTRY": self.country,
            "TIPNET_BIND": f"127.0.0.1:{self.port}",
            "DEBUG": "false",
            **self.env_extra,
            **extra,
        }

    def run(self, *args: str, timeout: float = 300, **extra: str) -> str:
        """Run one `tipnet` command as this node and return its standard output."""
        done = subprocess.run(  # noqa: S603 - our own interpreter and CLI
            [sys.executable, "-m", "tipnet.cli", *args],
            env=self.env(**extra),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{self.node_id}: tipnet {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
        """Start a long-running `tipnet` command (serve, exchange run) logged to the data folder."""
        log = open(self.data_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tipnet.cli", *args],
            env=self.env(**extra),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes[name] = (process, log)
        return process

    def serve(self, workers: int = 1, **extra: str) -> None:
        self.start("serve", "serve", "--workers", str(workers), **extra)
        wait_until_up(self.base_url, self.processes["serve"][0], self.data_dir / "serve.log")

    def stop(self, name: str, kill: bool = False) -> None:
        process, log = self.processes.pop(name, (None, None))
        if process is None:
            return
        process.kill() if kill else process.terminate()
        process.wait(timeout=30)
        log.close()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def status(self) -> dict[str, Any]:
        counts: dict[str, Any] = json.loads(self.run("exchange", "status"))
        return counts


def wait_until_up(
    base: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60
) -> None:
    """Wait until the node answers its login page; fail with its log when it dies or hangs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the node did not start:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not answer within {seconds} s")


def prepare(
    node: LocalNode, demo: bool = False, say: Callable[[str], object] = lambda _line: None
) -> dict[str, Any]:
    """Create the node's database and keys; return its registry entry. `say` hears each step."""
    node.data_dir.mkdir(parents=True, exist_ok=True)
    say(f"{node.node_id}: creating its database")
    node.run("migrate", "--no-input")
    node.run("createcachetable")
    if demo:
        say(f"{node.node_id}: loading the demo data (cases, victims, requests over three years)")
        node.run("demo")
    say(f"{node.node_id}: making its signing and encryption keys")
    args = ["node", "init", "--base-url", node.base_url, "--agency", node.agency]
    entry: dict[str, Any] = json.loads(node.run(*args, "--central-authority"))
    return entry


def issue_check_key(
    root: Path, secretariat: SigningKey, entries: list[dict[str, Any]], rotate: bool = False
) -> dict[str, Any]:
    """The network check key sealed to each node's encryption key, signed by the secretariat.

    The key (32 random bytes) and its epoch stay in `root`; `rotate` draws a new key under the
    next epoch. Each node opens only its own sealed copy (see tipnet.checks.netkey).
    """
    key_file, epoch_file = root / "network-check.key", root / "network-check.epoch"
    epoch = int(epoch_file.read_text()) if epoch_file.exists() else 0
    if rotate or not key_file.exists():
        key_file.unlink(missing_ok=True)
        write_secret(key_file, os.urandom(32))
        epoch += 1
        epoch_file.write_text(f"{epoch}\n")
    secret = read_secret(key_file)
    sealed = {
        e["id"]: b64(SealedBox(PublicKey(unb64(e["encryption_key"]))).encrypt(secret))
        for e in entries
    }
    document = {"epoch": epoch, "issued_at": timezone.now().isoformat(), "sealed": sealed}
    value = secretariat.sign(registry.signed_bytes(document)).signature
    return {
        **document,
        "signature": {"key": b64(bytes(secretariat.verify_key)), "value": b64(value)},
    }


def publish(
    root: Path,
    nodes: list[LocalNode],
    entries: list[dict[str, Any]],
    days: int = 365,
    rotate_check_key: bool = False,
) -> None:
    """Sign a registry of `entries` with a secretariat key kept in `root` and install it,
    with the network check key sealed to every node beside it."""
    key_file = root / "secretariat.key"
    if not key_file.exists():
        write_secret(key_file, bytes(SigningKey.generate()))
    secretariat = SigningKey(read_secret(key_file))
    now = timezone.now()
    document = {
        "network": "tipnet-local",
        "serial": int(now.timestamp()),
        "issued_at": now.isoformat(),
        "valid_until": (now + timedelta(days=days)).isoformat(),
        "nodes": entries,
    }
    signed = json.dumps(registry.sign(document, secretariat), indent=2)
    anchor = b64(bytes(secretariat.verify_key))
    check_key = json.dumps(issue_check_key(root, secretariat, entries, rotate_check_key))
    for node in nodes:
        (node.data_dir / "network.json").write_text(signed)
        (node.data_dir / "network-anchor.pub").write_text(anchor + "\n")
        (node.data_dir / "network-check-key.json").write_text(check_key)
