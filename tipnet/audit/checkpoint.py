"""Signed checkpoints of the audit chain's head, kept in a file outside the database.

The hash chain shows that no stored event was edited, removed or re-linked, but not that the
newest events are all still there: someone who deletes the last events and moves the head back
leaves a shorter chain that is intact. So the node signs, with its Ed25519 signing key, the count
of events and the hash of the last one, with the time, and appends the line to a file in its data
folder (TIPNET_AUDIT_CHECKPOINT_FILE), as X-Road's security servers sign and time-stamp their
message logs. `tipnet audit verify` writes one each time it finds the chain intact, and `record`
writes one after its transaction commits when the newest is older than
TIPNET_AUDIT_CHECKPOINT_HOURS. The verifier then checks every line: its signature, and that the
chain still holds that many events with that hash at that position.

This module does not import the exchange app (which imports the audit log): the signing key is
passed in, and the exchange app names once, at start-up, the function that reads it
(`use_signing_key`).
"""

import base64
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import rfc8785
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from .models import AuditHead

logger = logging.getLogger("tipnet.audit")

# Signed bytes start with this, so that a checkpoint's signature can never pass for the
# signature of a message envelope made with the same key, nor the other way round.
DOMAIN = b"tipnet audit checkpoint v1\n"

_signing_key: Callable[[], SigningKey | None] | None = None


def use_signing_key(provider: Callable[[], SigningKey | None]) -> None:
    """Name the function that returns this node's signing key, or None while it has none."""
    global _signing_key  # set once, at start-up, by the exchange app
    _signing_key = provider


@dataclass(frozen=True)
class Checkpoint:
    line: int
    node: str
    count: int
    head: str
    at: str
    key: str
    signature: str

    def signed_bytes(self) -> bytes:
        return _signed_bytes(self.node, self.count, self.head, self.at)


def _signed_bytes(node: str, count: int, head: str, at: str) -> bytes:
    return DOMAIN + rfc8785.dumps({"node": node, "count": count, "head": head, "at": at})


def path() -> Path:
    return Path(settings.TIPNET_AUDIT_CHECKPOINT_FILE)


def write(key: SigningKey, count: int, head: str) -> dict[str, object]:
    """Sign `count` events ending in `head` for this node, now, and append the line; return it."""
    node, at = settings.TIPNET_NODE_ID, timezone.now().isoformat()
    entry = {
        "node": node,
        "count": count,
        "head": head,
        "at": at,
        "key": base64.b64encode(bytes(key.verify_key)).decode("ascii"),
        "signature": base64.b64encode(
            key.sign(_signed_bytes(node, count, head, at)).signature
        ).decode("ascii"),
    }
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # One write of one short line to a file opened for appending: lines of concurrent writers
    # never interleave, and nothing before them is rewritten.
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(entry, sort_keys=True) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def read() -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in the file, and a problem for every line that is not one."""
    try:
        lines = path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return [], []
    found, problems = [], []
    for number, line in enumerate(lines, start=1):
        try:
            data = json.loads(line)
            found.append(
                Checkpoint(
                    number,
                    str(data["node"]),
                    int(data["count"]),
                    str(data["head"]),
                    str(data["at"]),
                    str(data["key"]),
                    str(data["signature"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint line {number} of {path()} is not a checkpoint")
    return found, problems


def check(
    found: list[Checkpoint], verify_key: VerifyKey | None, hashes: dict[int, str]
) -> list[str]:
    """A problem for every checkpoint whose signature fails or whose head the chain lost.

    Args:
        found: the checkpoints `read` returned.
        verify_key: this node's public signing key, or None when the node has no keys (the
            positions are still checked, the signatures cannot be).
        hashes: the stored hash of the event at each checkpoint's position, where one exists.
    """
    problems = []
    for point in found:
        where = f"checkpoint line {point.line} ({point.at}, {point.count} events)"
        if verify_key is not None and not _signed_by(point, verify_key):
            problems.append(f"{where}: signature does not verify with this node's signing key")
            continue
        if point.node != settings.TIPNET_NODE_ID:
            problems.append(f"{where}: made by node {point.node}, not {settings.TIPNET_NODE_ID}")
        if point.count == 0:
            continue
        stored = hashes.get(point.count)
        if stored is None:
            problems.append(
                f"{where}: event #{point.count} is missing; the newest events were removed"
            )
        elif stored != point.head:
            problems.append(f"{where}: event #{point.count} is not the event that was signed")
    return problems


def _signed_by(point: Checkpoint, verify_key: VerifyKey) -> bool:
    try:
        if base64.b64decode(point.key, validate=True) != bytes(verify_key):
            return False
        verify_key.verify(point.signed_bytes(), base64.b64decode(point.signature, validate=True))
    except (BadSignatureError, ValueError):
        return False
    return True


def is_due() -> bool:
    """Whether the newest checkpoint is older than TIPNET_AUDIT_CHECKPOINT_HOURS (or absent)."""
    try:
        written = path().stat().st_mtime
    except FileNotFoundError:
        return True
    return time.time() - written >= settings.TIPNET_AUDIT_CHECKPOINT_HOURS * 3600


def after_commit_if_due() -> None:
    """Sign the chain's head once the current transaction commits, if a checkpoint is due.

    Costs one stat() per recorded batch; the head is read and signed at most once a period.
    """
    if _signing_key is not None and is_due():
        transaction.on_commit(_write_if_due, robust=True)


def _write_if_due() -> None:
    key = _signing_key() if _signing_key is not None else None
    # Another batch of the same transaction, or another process, may have written it meanwhile.
    if key is None or not is_due():
        return
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None:
        write(key, head.last_seq, head.last_hash)
