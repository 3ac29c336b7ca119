"""Envelopes: signed by the sender, encrypted to the recipient, acknowledged by signed receipts.

On the wire (format 2) a message is one binary frame, every length a 4-byte big-endian unsigned
integer:

    b"TNX\x02" | length | head | length | sealed payload | (length | sealed attachment)...

`head` is the UTF-8 JSON object `{"header": {...}, "signature": b64}`; the sealed payload and
one sealed part per attachment the header lists follow as raw bytes, and nothing after them.
`header` holds the routing and evidence fields and, for the payload and every attachment, the
SHA-256 of the plaintext and of the sealed bytes. The sender's Ed25519 signature covers the RFC 8785
canonical bytes of the header, so it covers every part by hash. The payload (JSON, with the
attachments' file names and types) and each attachment are sealed to the recipient's X25519 key
(PyNaCl SealedBox: X25519 + XSalsa20-Poly1305). Any changed byte fails the framing, the
signature, a hash or the decryption.

Format 1 carried the sealed parts as base64 inside one JSON object: a 100 KB attachment became
137 KB of text to encode, parse, decode and store. It is refused with a clear reason.
"""

import hashlib
import json
import struct
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from django.utils import timezone
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from .canonical import dumps as canonical_json
from .keys import b64, unb64

SCHEMA_VERSION = "1"
# The first bytes of every message on the wire: "TNX" and the wire format's version.
MAGIC = b"TNX\x02"
_LENGTH = struct.Struct(">I")
HEADER_FIELDS = {
    "message_id",
    "conversation_id",
    "in_reply_to",
    "type",
    "schema_version",
    "sender",
    "recipient",
    "created_at",
    "handling",
    "payload",
    "attachments",
}
HEAD_FIELDS = {"header", "signature"}


class EnvelopeError(Exception):
    """A message or receipt that must be refused; `code` names the reason for the JSON error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class NotForThisKey(EnvelopeError):
    """A part that does not open with the key tried (sealed to another key, or altered)."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class Message:
    """A message in the clear: what the sender wrote and the receiver reads."""

    type: str
    sender: str
    recipient: str
    payload: dict[str, Any]
    attachments: list[Attachment] = field(default_factory=list)
    message_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    conversation_id: str = ""
    in_reply_to: str = ""
    handling: dict[str, Any] = field(default_factory=dict)
    created_at: str = field(default_factory=lambda: timezone.now().isoformat())


def sha256(raw: bytes | memoryview) -> str:
    return hashlib.sha256(raw).hexdigest()


def _part(plain: bytes, sealed: bytes) -> dict[str, Any]:
    return {"sha256": sha256(plain), "sealed_sha256": sha256(sealed), "size": len(plain)}


def seal(message: Message, signing: SigningKey, recipient_key: PublicKey) -> bytes:
    """Sign and encrypt `message`; return the wire bytes."""
    return seal_with_digest(message, signing, recipient_key)[0]


def seal_with_digest(
    message: Message, signing: SigningKey, recipient_key: PublicKey
) -> tuple[bytes, str]:
    """`seal`, also returning the header's SHA-256 (`header_hash`), computed once on the way."""
    box = SealedBox(recipient_key)
    body: dict[str, Any] = {
        "body": message.payload,
        "files": [
            {"filename": a.filename, "content_type": a.content_type} for a in message.attachments
        ],
    }
    plain = canonical_json(body)
    sealed_payload = box.encrypt(plain)
    sealed_files = [box.encrypt(a.content) for a in message.attachments]
    header: dict[str, Any] = {
        "message_id": message.message_id,
        "conversation_id": message.conversation_id or message.message_id,
        "in_reply_to": message.in_reply_to,
        "type": message.type,
        "schema_version": SCHEMA_VERSION,
        "sender": message.sender,
        "recipient": message.recipient,
        "created_at": message.created_at,
        "handling": message.handling,
        "payload": _part(plain, sealed_payload),
        "attachments": [
            _part(a.content, s) for a, s in zip(message.attachments, sealed_files, strict=True)
        ],
    }
    canonical = canonical_json(header)
    signature = b64(signing.sign(canonical).signature)
    return pack(header, signature, sealed_payload, sealed_files), sha256(canonical)


def pack(header: dict[str, Any], signature: str, payload: bytes, attachments: list[bytes]) -> bytes:
    """The wire frame of a header, its signature (base64) and the sealed parts, as they are.

    `seal` writes every message this way; tests use it to build altered or forged frames.
    """
    head = json.dumps(
        {"header": header, "signature": signature}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    chunks = [MAGIC, _LENGTH.pack(len(head)), head]
    for part in (payload, *attachments):
        chunks += (_LENGTH.pack(len(part)), part)
    return b"".join(chunks)


def _fail(code: str, message: str) -> NoReturn:
    raise EnvelopeError(code, message)


def _frame_part(raw: memoryview, at: int, what: str) -> tuple[memoryview, int]:
    """The length-prefixed part of `raw` at offset `at`, and the offset after it."""
    if at + 4 > len(raw):
        _fail("malformed", f"The message is truncated: {what} has no length.")
    (length,) = _LENGTH.unpack_from(raw, at)
    at += 4
    if length > len(raw) - at:
        _fail(
            "malformed",
            f"The message is truncated: {what} should have {length} bytes, "
            f"{len(raw) - at} are left.",
        )
    return raw[at : at + length], at + length


def parse(raw: bytes | memoryview) -> dict[str, Any]:
    """The wire frame's header, signature and sealed parts, checked for shape only (nothing
    verified yet)."""
    view = memoryview(raw)
    if view[: len(MAGIC)].tobytes() != MAGIC:
        if view[:1].tobytes() == b"{":
            _fail(
                "malformed",
                "Wire format 1 (JSON) is no longer accepted; the sender must send format 2.",
            )
        _fail("malformed", "The message is not an exchange wire frame (format 2).")
    head_bytes, at = _frame_part(view, len(MAGIC), "the head")
    try:
        head = json.loads(bytes(head_bytes))
    except (ValueError, UnicodeDecodeError):
        _fail("malformed", "The message's head is not JSON.")
    if not isinstance(head, dict) or set(head) != HEAD_FIELDS:
        _fail("malformed", "The message's head must have exactly header and signature.")
    header = head["header"]
    if not isinstance(header, dict) or set(header) != HEADER_FIELDS:
        _fail("malformed", "The message header has missing or unknown fields.")
    if not isinstance(header["attachments"], list):
        _fail("malformed", "The header's attachments must be a list.")
    sealed = []
    for n in range(1 + len(header["attachments"])):
        part, at = _frame_part(view, at, f"attachment {n}" if n else "the payload")
        sealed.append(bytes(part))
    if at != len(view):
        _fail(
            "malformed",
            f"The message has {len(view) - at} bytes after the parts its header lists.",
        )
    try:
        signature = unb64(head["signature"])
    except (ValueError, TypeError, AttributeError):
        _fail("malformed", "The signature is not base64.")
    return {
        "header": header,
        "signature": signature,
        "payload": sealed[0],
        "attachments": sealed[1:],
    }


def header_hash(header: dict[str, Any]) -> str:
    """SHA-256 of the canonical header: the message's fingerprint in receipts and logs."""
    return sha256(canonical_json(header))


def verify_signature(parts: dict[str, Any], sender_key: VerifyKey) -> str:
    """Check the sender's signature over the canonical header; return the header's SHA-256."""
    canonical = canonical_json(parts["header"])
    try:
        sender_key.verify(canonical, parts["signature"])
    except (BadSignatureError, ValueError, TypeError):
        _fail("bad_signature", "The sender's signature does not verify.")
    return sha256(canonical)


def check_fresh(
    header: dict[str, Any], max_age: float, skew: float, now: datetime | None = None
) -> None:
    """Refuse a message whose sender clock time is too old (a replay) or in the future."""
    try:
        created = datetime.fromisoformat(str(header["created_at"]))
    except ValueError:
        _fail("malformed", "created_at is not an ISO 8601 time.")
    if created.tzinfo is None:
        _fail("malformed", "created_at must carry a time zone.")
    age = ((now or timezone.now()) - created).total_seconds()
    if age > max_age:
        _fail("stale", f"The message is {int(age)} s old; at most {int(max_age)} s are accepted.")
    if age < -skew:
        _fail("stale", "The message is dated in the future.")


def _open_part(box: SealedBox[PrivateKey], sealed: bytes, expected: object) -> bytes:
    if not isinstance(expected, dict) or sha256(sealed) != expected.get("sealed_sha256"):
        _fail("tampered", "A sealed part does not match its hash in the signed header.")
    try:
        plain = box.decrypt(sealed)
    except CryptoError:
        raise NotForThisKey(
            "tampered", "A part cannot be decrypted with this node's key."
        ) from None
    if sha256(plain) != expected.get("sha256"):
        _fail("tampered", "A decrypted part does not match its hash in the signed header.")
    return plain


def decrypt(parts: dict[str, Any], private: PrivateKey | list[PrivateKey]) -> Message:
    """Decrypt a message whose signature has been verified; check every part against its hash.

    `private` may list several keys (after a rotation, the current and the previous one): the
    key that opens the payload opens the attachments too.
    """
    header = parts["header"]
    keys = private if isinstance(private, list) else [private]
    if not keys:
        raise ValueError("no key to decrypt with")
    for n, key in enumerate(keys):
        box = SealedBox(key)
        try:
            plain = _open_part(box, parts["payload"], header["payload"])
            break
        except NotForThisKey:
            if n == len(keys) - 1:
                raise
    try:
        body = json.loads(plain)
        files = [(str(f["filename"]), str(f["content_type"])) for f in body.get("files", [])]
        payload = body["body"]
    except (ValueError, KeyError, TypeError, AttributeError):
        _fail("malformed", "The decrypted payload is not a message body.")
    if len(files) != len(parts["attachments"]):
        _fail("tampered", "The payload does not name every attachment.")
    attachments = [
        Attachment(filename, content_type, _open_part(box, sealed, expected))
        for (filename, content_type), sealed, expected in zip(
            files, parts["attachments"], header["attachments"], strict=True
        )
    ]
    return Message(
        type=header["type"],
        sender=header["sender"],
        recipient=header["recipient"],
        payload=payload,
        attachments=attachments,
        message_id=header["message_id"],
        conversation_id=header["conversation_id"],
        in_reply_to=header["in_reply_to"],
        handling=header["handling"],
        created_at=header["created_at"],
    )


def make_receipt(
    header: dict[str, Any], receiver: str, signing: SigningKey, header_sha256: str = ""
) -> dict[str, Any]:
    """A signed receipt naming the message and the exact content hashes that were received.

    `header_sha256`, when the caller has it already, saves hashing the header again.
    """
    body = {
        "message_id": header["message_id"],
        "sender": header["sender"],
        "receiver": receiver,
        "received_at": timezone.now().isoformat(),
        "header_sha256": header_sha256 or header_hash(header),
        "payload_sha256": header["payload"]["sha256"],
        "attachments_sha256": [a["sha256"] for a in header["attachments"]],
        "status": "delivered",
    }
    return {"receipt": body, "signature": b64(signing.sign(canonical_json(body)).signature)}


def verify_receipt(
    receipt: object, header: dict[str, Any], receiver_key: VerifyKey
) -> dict[str, Any]:
    """Check a receipt's signature and that it names exactly the message that was sent."""
    return check_receipt(receipt, header_hash(header), header["recipient"], receiver_key)


def check_receipt(
    receipt: object, header_sha256: str, recipient: str, receiver_key: VerifyKey
) -> dict[str, Any]:
    """`verify_receipt` against the sent header's hash and recipient, as the outbox keeps them."""
    if not isinstance(receipt, dict) or not isinstance(receipt.get("receipt"), dict):
        _fail("bad_receipt", "The answer is not a receipt.")
    body: dict[str, Any] = receipt["receipt"]
    try:
        receiver_key.verify(canonical_json(body), unb64(str(receipt.get("signature", ""))))
    except (BadSignatureError, ValueError, TypeError):
        _fail("bad_receipt", "The receipt's signature does not verify.")
    if body.get("header_sha256") != header_sha256 or body.get("receiver") != recipient:
        _fail("bad_receipt", "The receipt names another message.")
    return body
