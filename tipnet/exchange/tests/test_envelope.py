"""Sealing and opening envelopes, and the mutation tests: one changed byte is always refused."""

import json
import random

import pytest

from tipnet.exchange import envelope
from tipnet.exchange.envelope import Attachment, EnvelopeError, Message

from .conftest import new_keys

LETTER = Attachment("letter.pdf", "application/pdf", b"%PDF-1.7 fictional letter of request " * 40)


def _sealed(sender, recipient, **fields):
    message = Message(
        type="mla.request",
        sender="KG-GPO",
        recipient="UZ-GPO",
        payload={"summary": "Fictional facts", "uid": "1"},
        attachments=[LETTER],
        **fields,
    )
    return envelope.seal(message, sender.signing, recipient.encryption.public_key)


def _open(raw, sender, recipient):
    parts = envelope.parse(raw)
    envelope.verify_signature(parts, sender.signing.verify_key)
    return envelope.decrypt(parts, recipient.encryption)


def test_a_sealed_message_opens_with_payload_and_attachment_intact():
    sender, recipient = new_keys(), new_keys()
    message = _open(_sealed(sender, recipient, handling={"code": "H2"}), sender, recipient)
    assert message.payload == {"summary": "Fictional facts", "uid": "1"}
    assert message.attachments[0].content == LETTER.content
    assert message.handling == {"code": "H2"}


def test_the_header_names_every_attachment_hash_and_hides_the_content():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    header = json.loads(raw)["header"]
    assert header["attachments"][0]["sha256"] == envelope.sha256(LETTER.content)
    assert b"Fictional facts" not in raw and b"letter.pdf" not in raw


def test_only_the_recipient_can_decrypt():
    sender, recipient, other = new_keys(), new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    with pytest.raises(EnvelopeError) as caught:
        envelope.decrypt(parts, other.encryption)
    assert caught.value.code == "tampered"


def test_a_signature_by_another_key_is_refused():
    sender, recipient = new_keys(), new_keys()
    with pytest.raises(EnvelopeError) as caught:
        _open(_sealed(sender, recipient), new_keys(), recipient)
    assert caught.value.code == "bad_signature"


def test_one_flipped_bit_anywhere_in_the_wire_bytes_is_refused():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    rng = random.Random(20261201)
    positions = sorted({*rng.sample(range(len(raw)), 600), 0, len(raw) - 1})
    accepted = []
    for position in positions:
        for bit in (0, 5):
            mutated = bytearray(raw)
            mutated[position] ^= 1 << bit
            try:
                _open(bytes(mutated), sender, recipient)
                accepted.append((position, bit))
            except EnvelopeError:
                pass
    assert accepted == []


def test_every_field_of_the_header_is_covered_by_the_signature():
    sender, recipient = new_keys(), new_keys()
    wire = json.loads(_sealed(sender, recipient))
    for name in wire["header"]:
        changed = json.loads(json.dumps(wire))
        changed["header"][name] = "X" if changed["header"][name] != "X" else "Y"
        with pytest.raises(EnvelopeError):
            _open(json.dumps(changed).encode(), sender, recipient)


def test_an_attachment_swapped_for_another_sealed_to_the_same_recipient_is_refused():
    sender, recipient = new_keys(), new_keys()
    wire = json.loads(_sealed(sender, recipient))
    forged = json.loads(
        envelope.seal(
            Message(
                type="x",
                sender="KG-GPO",
                recipient="UZ-GPO",
                payload={},
                attachments=[Attachment("letter.pdf", "application/pdf", b"forged")],
            ),
            sender.signing,
            recipient.encryption.public_key,
        )
    )
    wire["attachments"] = forged["attachments"]
    with pytest.raises(EnvelopeError) as caught:
        _open(json.dumps(wire).encode(), sender, recipient)
    assert caught.value.code == "tampered"


def test_a_receipt_names_the_exact_message_and_verifies_with_the_receivers_key():
    sender, recipient = new_keys(), new_keys()
    header = json.loads(_sealed(sender, recipient))["header"]
    receipt = envelope.make_receipt(header, "UZ-GPO", recipient.signing)
    body = envelope.verify_receipt(receipt, header, recipient.signing.verify_key)
    assert body["attachments_sha256"] == [envelope.sha256(LETTER.content)]
    other = json.loads(_sealed(sender, recipient))["header"]
    with pytest.raises(EnvelopeError, match="another message"):
        envelope.verify_receipt(receipt, other, recipient.signing.verify_key)
    receipt["receipt"]["status"] = "refused"
    with pytest.raises(EnvelopeError, match="does not verify"):
        envelope.verify_receipt(receipt, header, recipient.signing.verify_key)
