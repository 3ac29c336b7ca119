"""Hashing and verification of the audit chain (no Django writes here)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import rfc8785

from .models import GENESIS_HASH, AuditEvent


def event_hash(fields: dict) -> str:
    """SHA-256 (hex) of the RFC 8785 canonical JSON of an event's chained fields."""
    return hashlib.sha256(rfc8785.dumps(fields)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    ok: bool
    seq: int | None = None
    problem: str = ""


def verify_chain(events: Iterable[AuditEvent]) -> ChainReport:
    """Walk events in sequence order and report the first broken or missing link."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(checked, False, expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, False, event.seq, "link to the previous event is broken")
        if event_hash(event.chained_fields()) != event.hash:
            return ChainReport(checked, False, event.seq, "content does not match its hash")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    return ChainReport(checked, True)
