"""The receiving endpoint: what it stores, what it refuses and why (in the one JSON error shape)."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.exchange import envelope
from tipnet.exchange.envelope import Attachment
from tipnet.exchange.keys import load_keys
from tipnet.exchange.models import InboxMessage, LogEntry

from .conftest import new_keys

pytestmark = pytest.mark.django_db


def post(raw: bytes):
    return Client().post("/exchange/inbox/", data=raw, content_type="application/json")


def _refused(raw: bytes, status: int, code: str):
    response = post(raw)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert InboxMessage.objects.count() == 0
    assert LogEntry.objects.filter(kind="rejected", detail__reason=code).exists()
    return response


def test_it_stores_a_valid_message_and_answers_with_a_signed_receipt(network):
    letter = Attachment("letter.pdf", "application/pdf", b"%PDF fictional")
    raw = network.wire(attachments=[letter])
    response = post(raw)
    assert response.status_code == 200
    header = envelope.parse(raw)["header"]
    body = envelope.verify_receipt(response.json(), header, network.me.signing.verify_key)
    assert body["attachments_sha256"] == [envelope.sha256(letter.content)]
    stored = InboxMessage.objects.get()
    assert stored.sender == "KG-GPO" and stored.state == "handled"
    stored_file = stored.files.get()
    assert stored_file.content == letter.content
    assert stored_file.sha256 == hashlib.sha256(letter.content).hexdigest()
    assert AuditEvent.objects.filter(tag="exchange:message:receive").count() == 1


def test_a_second_delivery_of_the_same_message_changes_nothing(network):
    raw = network.wire()
    first = post(raw).json()
    second = post(raw)
    assert second.status_code == 200 and second.json() == first
    assert InboxMessage.objects.count() == 1
    assert LogEntry.objects.filter(kind="received").count() == 1
    assert LogEntry.objects.filter(kind="duplicate").count() == 1


def test_it_refuses_a_flipped_byte_and_logs_it(network):
    raw = bytearray(network.wire(attachments=[Attachment("a.txt", "text/plain", b"x" * 500)]))
    raw[len(raw) // 2] ^= 0x04
    response = post(bytes(raw))
    assert response.status_code in (400, 403)
    assert InboxMessage.objects.count() == 0
    assert LogEntry.objects.filter(kind="rejected").count() == 1


def test_it_refuses_an_unknown_sender(network):
    network.extra["TJ-GPO"] = new_keys()
    _refused(network.wire(sender="TJ-GPO"), 403, "unknown_sender")


def test_it_refuses_a_revoked_sender(network):
    network.publish(**{"KG-GPO": {"revoked": True}})
    _refused(network.wire(), 403, "sender_revoked")


def test_it_refuses_a_sender_signing_with_a_key_not_in_the_registry(network):
    network.extra["KG-GPO"] = new_keys()
    real = network.peers.pop("KG-GPO")
    raw = network.wire()
    network.peers["KG-GPO"] = real
    _refused(raw, 403, "bad_signature")


def test_it_refuses_a_message_for_another_node(network):
    _refused(network.wire(recipient="AE-MOJ"), 400, "wrong_recipient")


def test_it_refuses_a_replayed_old_message(network):
    old = (timezone.now() - timedelta(days=3)).isoformat()
    _refused(network.wire(created_at=old), 400, "stale")


def test_it_refuses_a_message_reusing_a_stored_message_id_with_other_content(network):
    raw = network.wire(message_id="7b7b3c8e-8a0c-4a57-9b36-0d0b6c1f5a11")
    assert post(raw).status_code == 200
    other = network.wire(message_id="7b7b3c8e-8a0c-4a57-9b36-0d0b6c1f5a11", payload={"x": 1})
    response = post(other)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "replay_conflict"
    assert InboxMessage.objects.get().payload == {"hello": "Toshkent"}


def test_it_refuses_an_oversized_message_before_reading_it(network, settings):
    settings.TIPNET_EXCHANGE_MAX_MB = 1
    big = Attachment("big.bin", "application/octet-stream", b"\0" * (1024 * 1024))
    _refused(network.wire(attachments=[big]), 413, "too_large")


def test_it_refuses_garbage(network):
    _refused(b"<xml>not a message</xml>", 400, "malformed")
    assert post(b'{"header": {}}').json()["error"]["code"] == "malformed"


def test_it_refuses_everything_when_its_registry_has_expired(network):
    doc = json.loads((network.tmp_path / "network.json").read_text())
    doc["valid_until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    network.publish({k: v for k, v in doc.items() if k != "signature"})
    _refused(network.wire(), 503, "registry_unavailable")


def test_it_answers_only_post(network):
    assert Client().get("/exchange/inbox/").status_code == 405


def test_after_a_rotation_it_opens_messages_sealed_to_the_previous_key_and_no_older(network):
    from tipnet.exchange.keys import rotate_encryption_key

    letter = Attachment("letter.pdf", "application/pdf", b"%PDF fictional")
    to_a = network.wire(attachments=[letter], payload={"n": 1})  # sealed to the first key, A
    also_to_a = network.wire(payload={"n": 2})
    rotate_encryption_key()  # B current, A previous
    assert post(to_a).status_code == 200
    assert InboxMessage.objects.get().files.get().content == letter.content
    network.me = load_keys()
    to_b = network.wire(payload={"n": 3})
    rotate_encryption_key()  # C current, B previous, A gone
    network.me = load_keys()
    to_c = network.wire(payload={"n": 4})
    assert post(to_b).status_code == 200
    assert post(to_c).status_code == 200
    response = post(also_to_a)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "tampered"
    assert InboxMessage.objects.count() == 3
    assert LogEntry.objects.filter(kind="rejected", detail__reason="tampered").count() == 1
