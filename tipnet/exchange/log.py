"""The hash-chained message log (the X-Road message-log pattern) and its verification."""

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from tipnet.audit.heads import lock_head, move_head

from .canonical import dumps as canonical_json
from .models import GENESIS_HASH, LogEntry, LogHead


def entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(fields)).hexdigest()


def append(
    kind: str, message_id: str | uuid.UUID = "", type: str = "", peer: str = "", **detail: Any
) -> LogEntry:
    """Append one record to the message log, chained to the one before it."""
    return append_many([(kind, message_id, type, peer, detail)])[0]


def append_many(
    records: Sequence[tuple[str, str | uuid.UUID, str, str, dict[str, Any]]],
) -> list[LogEntry]:
    """Append (kind, message_id, type, peer, detail) records in order, locking the head once.

    One lock and one insert for a whole batch: the head row serialises every writer of the log,
    so the less often and the shorter it is held, the more messages a node can record per second.
    """
    # No savepoint inside a caller's transaction: a failure here fails that transaction anyway.
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = lock_head(LogHead)
        entries, now = [], timezone.now()
        for kind, message_id, type, peer, detail in records:
            entry = LogEntry(
                seq=last_seq + 1,
                occurred_at=now,
                kind=kind,
                message_id=str(message_id),
                type=type,
                peer=peer,
                detail=detail,
                prev_hash=last_hash,
            )
            entry.hash = entry_hash(entry.chained_fields())
            last_seq, last_hash = entry.seq, entry.hash
            entries.append(entry)
        LogEntry.objects.bulk_create(entries)
        move_head(LogHead, last_seq, last_hash)
    return entries


def verify(entries: Iterable[LogEntry]) -> tuple[int, str]:
    """Walk entries in sequence order; return (records checked, first problem or "")."""
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return checked, f"record #{expected_seq} is missing"
        if entry.prev_hash != expected_prev:
            return checked, f"record #{entry.seq}: link to the previous record is broken"
        if entry_hash(entry.chained_fields()) != entry.hash:
            return checked, f"record #{entry.seq}: content does not match its hash"
        expected_prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    head = LogHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return checked, f"the log ends at #{checked} but its head says #{head.last_seq}"
    return checked, ""
