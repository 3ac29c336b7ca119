"""The agreement's signed text, its hash, and each party's signature over it.

The text is the RFC 8785 (JSON canonicalisation) bytes of what the parties negotiate, so every
node computes the same bytes from its own copy. A party signs, with its node's Ed25519 key
(tipnet.exchange.keys), a statement naming the agreement, the version and the text's SHA-256, the
signer and the time; any node verifies it with the signing key the network registry publishes for
that party's node.
"""

import hashlib
from typing import Any

import rfc8785
from nacl.exceptions import BadSignatureError

from tipnet.exchange.keys import b64, load_keys, unb64
from tipnet.exchange.registry import RegistryError, current

TEXT_FORMAT = "tipnet-jit-agreement/1"
SIGNATURE_DOMAIN = b"tipnet-jit-signature/1\n"
TEXT_FIELDS = (
    "kind",
    "title",
    "purpose",
    "governing_law",
    "confidentiality",
    "victim_support",
    "costs",
)


def text_of(agreement) -> dict[str, Any]:
    """The negotiated fields of `agreement` as the JSON object every party signs."""
    text: dict[str, Any] = {name: getattr(agreement, name) for name in TEXT_FIELDS}
    text |= {
        "format": TEXT_FORMAT,
        "uid": str(agreement.uid),
        "version": agreement.version,
        "period": {
            "start": agreement.period_start.isoformat(),
            "end": agreement.period_end.isoformat(),
        },
        "parties": agreement.parties,
    }
    # Named only when set, so the texts signed before it existed keep their hashes.
    if agreement.retention_days is not None:
        text["retention_days"] = agreement.retention_days
    return text


def digest(text: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical bytes of `text`."""
    return hashlib.sha256(rfc8785.dumps(text)).hexdigest()


def statement(fields: dict[str, Any]) -> bytes:
    """The bytes a party signs: the agreement, version, text hash, node, signer and time."""
    names = ("agreement", "version", "text_sha256", "node", "signer", "role", "signed_at")
    return SIGNATURE_DOMAIN + rfc8785.dumps({name: fields[name] for name in names})


def sign(fields: dict[str, Any]) -> str:
    """This node's signature (base64) of the statement `fields`."""
    return b64(load_keys().signing.sign(statement(fields)).signature)


def verify(fields: dict[str, Any], value: str) -> bool:
    """True when `value` is the signature of `fields` by the key registered for fields["node"]."""
    try:
        node = current().node(fields["node"])
        raw = unb64(value)
    except (RegistryError, ValueError, KeyError):
        return False
    if node is None:
        return False
    try:
        node.signing_key.verify(statement(fields), raw)
    except (BadSignatureError, ValueError):
        return False
    return True


def signature_fields(signature) -> dict[str, Any]:
    """The signed statement of a stored Signature."""
    return {
        "agreement": str(signature.agreement.uid),
        "version": signature.version,
        "text_sha256": signature.text_sha256,
        "node": signature.node,
        "signer": signature.signer,
        "role": signature.signer_role,
        "signed_at": signature.signed_at.isoformat(),
    }
