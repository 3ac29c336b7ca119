"""Queueing: several messages in one transaction, all of them or none."""

import pytest
from django.core.management import CommandError, call_command

from tipnet.audit.chain import verify_chain
from tipnet.audit.models import AuditEvent
from tipnet.exchange import envelope, log
from tipnet.exchange.actions import ExchangeError, Outgoing, do_queue_messages
from tipnet.exchange.envelope import Attachment
from tipnet.exchange.models import LogEntry, OutboxMessage, OutboxWire

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        OutboxMessage.objects.count(),
        OutboxWire.objects.count(),
        LogEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_it_queues_several_messages_in_order_each_sealed_to_its_recipient(network):
    letter = Attachment("letter.pdf", "application/pdf", b"%PDF-1.7 fictional")
    outgoing = [
        Outgoing("exchange.ping", "KG-GPO", {"n": 0}),
        Outgoing("exchange.ping", "AE-MOJ", {"n": 1}, [letter], conversation_id="c-1"),
        Outgoing("exchange.ping", "KG-GPO", {"n": 2}, in_reply_to="m-0"),
    ]
    rows = do_queue_messages(None, outgoing)

    stored = list(OutboxMessage.objects.order_by("id").select_related("sealed"))
    assert [r.pk for r in rows] == [s.pk for s in stored]
    assert [s.recipient for s in stored] == ["KG-GPO", "AE-MOJ", "KG-GPO"]
    assert [s.state for s in stored] == ["queued"] * 3
    assert stored[1].attachment_names == ["letter.pdf"] and stored[1].conversation_id == "c-1"
    for row, item in zip(stored, outgoing, strict=True):
        parts = envelope.parse(row.wire)
        peer = network.peers[item.recipient]
        digest = envelope.verify_signature(parts, network.me.signing.verify_key)
        assert digest == row.header_sha256
        opened = envelope.decrypt(parts, peer.encryption)
        assert opened.payload == item.payload and opened.in_reply_to == item.in_reply_to
        assert [a.content for a in opened.attachments] == [a.content for a in item.attachments]

    entries = list(LogEntry.objects.order_by("seq"))
    assert [(e.kind, e.message_id) for e in entries] == [
        ("queued", str(s.message_id)) for s in stored
    ]
    assert log.verify(entries) == (3, "")
    events = AuditEvent.objects.filter(tag="exchange:message:queue").order_by("seq")
    assert [e.object_id for e in events] == [str(s.pk) for s in stored]
    assert verify_chain(AuditEvent.objects.order_by("seq")).ok


def test_one_unknown_recipient_queues_none_of_them(network):
    before = _counts()
    with pytest.raises(ExchangeError, match="TJ-GPO is not a member"):
        do_queue_messages(
            None,
            [
                Outgoing("exchange.ping", "KG-GPO", {"n": 0}),
                Outgoing("exchange.ping", "TJ-GPO", {"n": 1}),
            ],
        )
    assert _counts() == before


def test_one_oversized_message_queues_none_of_them(network, settings):
    settings.TIPNET_EXCHANGE_MAX_MB = 1
    big = Attachment("scan.tif", "image/tiff", b"\0" * (1024 * 1024))
    before = _counts()
    with pytest.raises(ExchangeError, match="larger than 1 MB"):
        do_queue_messages(
            None,
            [
                Outgoing("exchange.ping", "KG-GPO", {"n": 0}),
                Outgoing("exchange.ping", "KG-GPO", {"n": 1}, [big]),
            ],
        )
    assert _counts() == before


def test_nothing_to_queue_writes_nothing(network):
    before = _counts()
    assert do_queue_messages(None, []) == []
    assert _counts() == before


def test_ping_queues_its_count_in_one_call_and_refuses_a_count_out_of_bounds(network, capsys):
    call_command("exchange", "ping", "KG-GPO", "--count", "3")
    assert OutboxMessage.objects.filter(recipient="KG-GPO", type="exchange.ping").count() == 3
    before = _counts()
    for count in ("0", "-5", "1001"):
        with pytest.raises(CommandError, match="--count must be between 1 and 1000"):
            call_command("exchange", "ping", "KG-GPO", "--count", count)
    assert _counts() == before


def test_sealed_bytes_and_received_attachments_are_stored_uncompressed_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL compresses large values")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attname, attstorage FROM pg_attribute "
            "WHERE (attrelid = 'exchange_outboxwire'::regclass AND attname = 'wire') "
            "OR (attrelid = 'exchange_inboxattachment'::regclass AND attname = 'content')"
        )
        storage = {(table, column): kind for table, column, kind in cursor.fetchall()}
    assert storage == {
        ("exchange_outboxwire", "wire"): "e",
        ("exchange_inboxattachment", "content"): "e",
    }


def test_a_running_worker_looks_for_overdue_messages_once_per_interval(network, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from tipnet.exchange import worker

    def overdue() -> OutboxMessage:
        # Failed long ago and waiting for its next attempt: only expiry can touch it.
        [outbox] = do_queue_messages(None, [Outgoing("exchange.ping", "KG-GPO", {})])
        long_ago, later = timezone.now() - timedelta(days=2), timezone.now() + timedelta(hours=1)
        OutboxMessage.objects.filter(pk=outbox.pk).update(
            state="send_failed", created_at=long_ago, next_attempt_at=later
        )
        return outbox

    sender = worker.Sender()
    try:
        first = overdue()
        worker.drain(sender=sender)
        assert OutboxMessage.objects.get(pk=first.pk).state == "not_delivered"
        second = overdue()
        worker.drain(sender=sender)  # the same running worker, at once: no second look
        assert OutboxMessage.objects.get(pk=second.pk).state == "send_failed"
        assert sender.expired_at is not None
        sender.expired_at -= worker.EXPIRY_EVERY  # the interval has passed
        worker.drain(sender=sender)
        assert OutboxMessage.objects.get(pk=second.pk).state == "not_delivered"
        third = overdue()
        worker.drain()  # a pass of its own (`exchange run --once`) always looks
        assert OutboxMessage.objects.get(pk=third.pk).state == "not_delivered"
    finally:
        sender.close()
