"""Sealing and opening envelopes, and the mutation tests: one changed byte is always refused."""

import json
import random
import struct

import pytest

from tipnet.exchange import envelope
from tipnet.exchange.envelope import Attachment, EnvelopeError, Message
from tipnet.exchange.keys import b64

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


def _repacked(parts, **changes):
    """The wire frame of `parts` (as parse gives them) with some of them replaced."""
    parts = {**parts, **changes}
    return envelope.pack(
        parts["header"], b64(parts["signature"]), parts["payload"], parts["attachments"]
    )


def test_a_sealed_message_opens_with_payload_and_attachment_intact():
    sender, recipient = new_keys(), new_keys()
    message = _open(_sealed(sender, recipient, handling={"code": "H2"}), sender, recipient)
    assert message.payload == {"summary": "Fictional facts", "uid": "1"}
    assert message.attachments[0].content == LETTER.content
    assert message.handling == {"code": "H2"}


def test_the_header_names_every_attachment_hash_and_hides_the_content():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    header = envelope.parse(raw)["header"]
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
    parts = envelope.parse(_sealed(sender, recipient))
    for name in parts["header"]:
        changed = json.loads(json.dumps(parts["header"]))
        changed[name] = "X" if changed[name] != "X" else "Y"
        with pytest.raises(EnvelopeError):
            _open(_repacked(parts, header=changed), sender, recipient)


def test_an_attachment_swapped_for_another_sealed_to_the_same_recipient_is_refused():
    sender, recipient = new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    forged = envelope.parse(
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
    with pytest.raises(EnvelopeError) as caught:
        _open(_repacked(parts, attachments=forged["attachments"]), sender, recipient)
    assert caught.value.code == "tampered"


def test_a_receipt_names_the_exact_message_and_verifies_with_the_receivers_key():
    sender, recipient = new_keys(), new_keys()
    header = envelope.parse(_sealed(sender, recipient))["header"]
    receipt = envelope.make_receipt(header, "UZ-GPO", recipient.signing)
    body = envelope.verify_receipt(receipt, header, recipient.signing.verify_key)
    assert body["attachments_sha256"] == [envelope.sha256(LETTER.content)]
    other = envelope.parse(_sealed(sender, recipient))["header"]
    with pytest.raises(EnvelopeError, match="another message"):
        envelope.verify_receipt(receipt, other, recipient.signing.verify_key)
    receipt["receipt"]["status"] = "refused"
    with pytest.raises(EnvelopeError, match="does not verify"):
        envelope.verify_receipt(receipt, header, recipient.signing.verify_key)


# ------------------------------------------------------------- hostile frames (wire format 2)


def _malformed(raw, sender, recipient) -> str:
    with pytest.raises(EnvelopeError) as caught:
        _open(raw, sender, recipient)
    assert caught.value.code == "malformed", caught.value
    return str(caught.value)


def test_the_wire_is_a_binary_frame_with_the_attachment_as_raw_bytes():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    parts = envelope.parse(raw)
    assert raw.startswith(envelope.MAGIC)
    assert raw.endswith(parts["attachments"][0])
    assert parts["payload"] in raw
    # No base64 of the parts: the frame is the head plus each part and its 4-byte length.
    (head,) = struct.unpack_from(">I", raw, 4)
    assert len(raw) == 4 + 4 + head + 4 + len(parts["payload"]) + 4 + len(LETTER.content) + 48


def test_a_frame_cut_short_anywhere_is_refused_as_truncated():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    (head,) = struct.unpack_from(">I", raw, 4)
    cuts = {0, 3, 4, 6, 8, 8 + head // 2, 8 + head, 8 + head + 2, len(raw) // 2, len(raw) - 1}
    for cut in sorted(cuts):
        message = _malformed(raw[:cut], sender, recipient)
        assert cut < 4 or "truncated" in message, (cut, message)


@pytest.mark.parametrize("delta", [-1, 1, 2**31])
def test_a_wrong_length_is_refused(delta):
    sender, recipient = new_keys(), new_keys()
    raw = bytearray(_sealed(sender, recipient))
    (head,) = struct.unpack_from(">I", raw, 4)
    payload_at = 8 + head
    for at in (4, payload_at):
        mutated = bytearray(raw)
        (length,) = struct.unpack_from(">I", mutated, at)
        struct.pack_into(">I", mutated, at, (length + delta) % 2**32)
        with pytest.raises(EnvelopeError) as caught:
            _open(bytes(mutated), sender, recipient)
        assert caught.value.code in ("malformed", "tampered"), (at, caught.value)


def test_bytes_after_the_listed_parts_are_refused():
    sender, recipient = new_keys(), new_keys()
    raw = _sealed(sender, recipient)
    assert "after the parts" in _malformed(raw + b"\0", sender, recipient)
    extra = raw + struct.pack(">I", 3) + b"abc"  # a part the header does not list
    assert "after the parts" in _malformed(extra, sender, recipient)


def test_a_part_missing_from_the_frame_is_refused():
    sender, recipient = new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    assert "truncated" in _malformed(_repacked(parts, attachments=[]), sender, recipient)


def test_wire_format_1_and_other_bodies_are_refused_with_a_clear_reason():
    sender, recipient = new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    old = json.dumps(
        {
            "header": parts["header"],
            "signature": b64(parts["signature"]),
            "payload": b64(parts["payload"]),
            "attachments": [b64(a) for a in parts["attachments"]],
        }
    ).encode()
    assert "format 1" in _malformed(old, sender, recipient)
    assert "not an exchange wire frame" in _malformed(b"<xml/>", sender, recipient)
    assert "not an exchange wire frame" in _malformed(b"", sender, recipient)


@pytest.mark.parametrize(
    "head",
    [
        b"not json",
        b"[]",
        b'{"header": {}, "signature": ""}',
        b'{"header": {}, "signature": "", "payload": ""}',
    ],
)
def test_a_head_that_is_not_the_header_and_signature_is_refused(head):
    sender, recipient = new_keys(), new_keys()
    raw = envelope.MAGIC + struct.pack(">I", len(head)) + head + struct.pack(">I", 0)
    _malformed(raw, sender, recipient)


def test_a_signature_that_is_not_canonical_base64_is_refused():
    sender, recipient = new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    forged = envelope.pack(
        parts["header"], b64(parts["signature"]) + "\n", parts["payload"], parts["attachments"]
    )
    assert "base64" in _malformed(forged, sender, recipient)


def test_a_header_re_signed_by_another_key_is_refused():
    sender, recipient, forger = new_keys(), new_keys(), new_keys()
    parts = envelope.parse(_sealed(sender, recipient))
    header = {**parts["header"], "handling": {"code": "forged"}}
    signature = forger.signing.sign(envelope.canonical_json(header)).signature
    with pytest.raises(EnvelopeError) as caught:
        _open(_repacked(parts, header=header, signature=signature), sender, recipient)
    assert caught.value.code == "bad_signature"
