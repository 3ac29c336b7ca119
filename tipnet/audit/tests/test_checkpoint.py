"""Signed checkpoints of the chain's head catch the removal of the newest events."""

import json
import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tipnet.audit import checkpoint
from tipnet.audit.actions import record
from tipnet.audit.chain import event_hash
from tipnet.audit.models import AuditEvent
from tipnet.exchange.keys import init_keys

from .test_chain import _drop_triggers, _verify_problems


@pytest.fixture
def keys(db, settings, tmp_path):
    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path / "keys")
    return init_keys()[0]


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def _lines() -> list[dict]:
    return [json.loads(line) for line in checkpoint.path().read_text().splitlines()]


def _cut_back_to(seq: int) -> None:
    """Remove the events after `seq` and move the head back to it, as a careful intruder would."""
    _drop_triggers()
    last = AuditEvent.objects.get(seq=seq)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq > %s", [seq])
        cur.execute("UPDATE audit_audithead SET last_seq = %s, last_hash = %s", [seq, last.hash])


def test_verify_signs_a_checkpoint_of_the_head_with_the_node_key(keys):
    events = [record("test:thing:made", n=i) for i in range(3)]
    assert "checkpoint signed: 3 events" in _verify()
    [line] = _lines()
    assert (line["count"], line["head"]) == (3, events[-1].hash)
    assert oct(checkpoint.path().stat().st_mode & 0o777) == "0o600"


def test_verify_catches_the_newest_events_removed_with_the_head_moved_back(keys):
    [record("test:thing:made", n=i) for i in range(5)]
    _verify()
    _cut_back_to(3)
    [problem] = _verify_problems()
    assert "event #5 is missing; the newest events were removed" in problem


def test_verify_catches_the_newest_events_replaced_by_others(keys):
    [record("test:thing:made", n=i) for i in range(3)]
    _verify()
    _cut_back_to(2)
    record("test:thing:forged")
    [problem] = _verify_problems()
    assert "event #3 is not the event that was signed" in problem


def test_verify_catches_the_last_event_rewritten_with_its_head(keys):
    events = [record("test:thing:made", n=i) for i in range(3)]
    _verify()
    _drop_triggers()
    forged = event_hash(events[2].chained_fields() | {"actor": "mallory"})
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET actor = 'mallory', hash = %s WHERE seq = 3", [forged]
        )
        cur.execute("UPDATE audit_audithead SET last_hash = %s", [forged])
    [problem] = _verify_problems()
    assert "event #3 is not the event that was signed" in problem


def test_every_checkpoint_is_checked_not_only_the_latest(
    keys, settings, django_capture_on_commit_callbacks
):
    [record("test:thing:made", n=i) for i in range(4)]
    _verify()
    _cut_back_to(2)
    # The node's own daily checkpoint then signs the shortened chain; the older one still speaks.
    settings.TIPNET_AUDIT_CHECKPOINT_HOURS = 0
    with django_capture_on_commit_callbacks(execute=True):
        record("test:thing:after")
    assert [c["count"] for c in _lines()] == [4, 3]
    [problem] = _verify_problems()
    assert problem.startswith("checkpoint line 1 (")
    assert "event #4 is missing; the newest events were removed" in problem


def test_a_checkpoint_with_a_forged_signature_is_refused(keys):
    [record("test:thing:made", n=i) for i in range(3)]
    _verify()
    line = _lines()[0] | {"count": 2, "head": AuditEvent.objects.get(seq=2).hash}
    checkpoint.path().write_text(json.dumps(line) + "\n")
    [problem] = _verify_problems()
    assert "signature does not verify" in problem


def test_a_line_that_is_not_a_checkpoint_is_reported(keys):
    record("test:thing:made")
    checkpoint.path().write_text("{not json\n")
    assert _verify_problems() == [f"checkpoint line 1 of {checkpoint.path()} is not a checkpoint"]


def test_a_node_without_keys_is_told_so_and_still_passes(db, settings, tmp_path):
    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path / "no-keys")
    record("test:thing:made")
    out = _verify()
    assert "audit chain intact: 1 events verified" in out
    assert "no signing key yet (run `tipnet node init`)" in out
    assert not checkpoint.path().exists()


def test_recording_signs_a_checkpoint_when_the_last_is_older_than_the_period(
    keys, settings, django_capture_on_commit_callbacks
):
    settings.TIPNET_AUDIT_CHECKPOINT_HOURS = 24
    with django_capture_on_commit_callbacks(execute=True):
        first = record("test:thing:made")
    assert [(c["count"], c["head"]) for c in _lines()] == [(1, first.hash)]
    with django_capture_on_commit_callbacks(execute=True):
        record("test:thing:made")
    assert len(_lines()) == 1  # not due again within the day
    day_ago = time.time() - 24 * 3600 - 1
    os.utime(checkpoint.path(), (day_ago, day_ago))
    with django_capture_on_commit_callbacks(execute=True):
        third = record("test:thing:made")
    assert [(c["count"], c["head"]) for c in _lines()][-1] == (3, third.hash)


def test_recording_without_node_keys_signs_nothing(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path / "no-keys")
    with django_capture_on_commit_callbacks(execute=True):
        record("test:thing:made")
    assert not Path(checkpoint.path()).exists()
