"""Hashing and verification of the audit chain (no Django writes here)."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .jcs import dumps as canonical_json
from .models import GENESIS_HASH, AuditEvent


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 (hex) of the RFC 8785 canonical JSON of an event's chained fields.

    The bytes are RFC 8785's whichever encoder writes them (`jcs`), so events hashed by the
    `rfc8785` library alone, before the fast path, verify unchanged.
    """
    return hashlib.sha256(canonical_json(fields)).hexdigest()


@dataclass
class ChainReport:
    """What a walk of the chain found: every problem, not only the first."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    # The stored hash at each position asked for (the checkpoints' positions).
    hashes: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"event #{first} is missing"
    return f"events #{first} to #{last} are missing"


def verify_chain(events: Iterable[AuditEvent], positions: Iterable[int] = ()) -> ChainReport:
    """Walk events in sequence order and report every missing event, broken link and edited row.

    A missing event is named once (the link over the gap cannot be checked); an event whose
    `prev_hash` is not the stored hash of the one before, and an event whose content does not
    give its stored hash, are each named. `positions` are sequence numbers whose stored hash
    the report keeps, for the checkpoints.
    """
    report, wanted = ChainReport(), set(positions)
    for event in events:
        if event.seq != report.last_seq + 1:
            report.problems.append(_missing(report.last_seq + 1, event.seq - 1))
        elif event.prev_hash != report.last_hash:
            report.problems.append(f"event #{event.seq}: link to the previous event is broken")
        try:
            intact = event_hash(event.chained_fields()) == event.hash
        except ValueError:  # a value edited into one that canonical JSON cannot hold
            intact = False
        if not intact:
            report.problems.append(f"event #{event.seq}: content does not match its hash")
        if event.seq in wanted:
            report.hashes[event.seq] = event.hash
        report.checked += 1
        report.last_seq, report.last_hash = event.seq, event.hash
    return report
