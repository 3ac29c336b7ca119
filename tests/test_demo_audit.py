"""`make demo`, then `tipnet audit verify`, as an operator runs them: the chain of a fresh demo
node verifies, and since the demo gives the node its keys and signs a checkpoint, removing its
newest events is caught."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Its processes run on SQLite whatever the pass's database, so one pass runs it.
pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parent.parent


def _tipnet(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TIPNET_DATA_DIR": str(data_dir), "DATABASE_URL": "", "DEBUG": "false"}
    return subprocess.run(
        [sys.executable, "-m", "tipnet.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _ok(data_dir: Path, *args: str) -> str:
    done = _tipnet(data_dir, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _remove_newest_events(database: Path, keep: int) -> None:
    """Delete the events after `keep` and move the head back, past the triggers."""
    with sqlite3.connect(database) as db:
        db.execute("DROP TRIGGER audit_event_no_delete")
        last_hash = db.execute("SELECT hash FROM audit_auditevent WHERE seq = ?", [keep]).fetchone()
        db.execute("DELETE FROM audit_auditevent WHERE seq > ?", [keep])
        db.execute("UPDATE audit_audithead SET last_seq = ?, last_hash = ?", [keep, last_hash[0]])


@pytest.mark.slow
def test_a_demo_node_s_audit_chain_verifies_and_a_cut_is_caught(tmp_path):
    _ok(tmp_path, "migrate", "--no-input")
    _ok(tmp_path, "createcachetable")
    _ok(tmp_path, "demo")
    out = _ok(tmp_path, "audit", "verify")
    assert "audit chain intact" in out and "checkpoint signed" in out
    count = int(out.split("intact: ")[1].split(" events")[0])
    _remove_newest_events(tmp_path / "tipnet.sqlite3", keep=count - 3)
    cut = _tipnet(tmp_path, "audit", "verify")
    assert cut.returncode != 0
    assert f"event #{count} is missing; the newest events were removed" in cut.stderr
