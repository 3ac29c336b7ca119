"""The network registry: the signed list of member nodes (X-Road's "global configuration").

The secretariat signs the registry with its Ed25519 key; every node holds the secretariat's public
key (the trust anchor, `TIPNET_NETWORK_ANCHOR_FILE`) and refuses a registry whose signature fails,
whose signer is not the anchor, or that has expired. The file is JSON:

    {"network": "...", "serial": 3, "issued_at": ISO, "valid_until": ISO,
     "nodes": [{"id": "UZ-GPO", "country": "UZ", "agency": "...", "base_url": "http://...",
                "signing_key": b64, "encryption_key": b64, "valid_from": ISO, "valid_until": ISO,
                "revoked": false, "central_authority": true}],
     "signature": {"key": b64, "value": b64}}

The signature covers the RFC 8785 canonical bytes of everything but "signature".
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import rfc8785
from django.conf import settings
from django.utils import timezone
from nacl.exceptions import BadSignatureError
from nacl.public import PublicKey
from nacl.signing import SigningKey, VerifyKey

from .keys import b64, unb64

NODE_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,16}$")
NODE_FIELDS = ("id", "country", "agency", "base_url", "signing_key", "encryption_key")


class RegistryError(Exception):
    """The registry is missing, malformed, badly signed or expired."""


@dataclass(frozen=True)
class Node:
    id: str
    country: str
    agency: str
    base_url: str
    signing_key: VerifyKey
    encryption_key: PublicKey
    valid_from: datetime | None
    valid_until: datetime | None
    revoked: bool
    central_authority: bool

    def problem(self, now: datetime) -> str:
        """Why this node may not exchange messages now, or "" when it may."""
        if self.revoked:
            return "revoked"
        if self.valid_from and now < self.valid_from:
            return "not_yet_valid"
        if self.valid_until and now > self.valid_until:
            return "expired"
        return ""


@dataclass(frozen=True)
class Registry:
    network: str
    serial: int
    valid_until: datetime
    nodes: dict[str, Node]

    def node(self, node_id: str) -> Node | None:
        return self.nodes.get(node_id)

    def central_authority(self, country: str) -> Node | None:
        """The node registered as `country`'s central authority for MLA, if any."""
        for node in self.nodes.values():
            if node.country == country and node.central_authority and not node.revoked:
                return node
        return None


def signed_bytes(document: dict[str, Any]) -> bytes:
    """The canonical bytes a registry signature covers."""
    return rfc8785.dumps({k: v for k, v in document.items() if k != "signature"})


def sign(document: dict[str, Any], secretariat: SigningKey) -> dict[str, Any]:
    """Return `document` with a fresh secretariat signature (after checking its structure)."""
    unsigned = {k: v for k, v in document.items() if k != "signature"}
    parse(unsigned, check_expiry=False)
    value = secretariat.sign(signed_bytes(unsigned)).signature
    return {
        **unsigned,
        "signature": {"key": b64(bytes(secretariat.verify_key)), "value": b64(value)},
    }


def _time(value: object, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise RegistryError(f"{field} is not an ISO 8601 time") from exc
    if parsed.tzinfo is None:
        raise RegistryError(f"{field} must carry a time zone")
    return parsed


def _node(entry: object) -> Node:
    if not isinstance(entry, dict) or any(not isinstance(entry.get(f), str) for f in NODE_FIELDS):
        raise RegistryError(f"a node entry lacks one of {', '.join(NODE_FIELDS)}")
    if not NODE_ID.match(entry["id"]):
        raise RegistryError(f"node id {entry['id']!r} is not like UZ-GPO")
    try:
        signing, encryption = (
            VerifyKey(unb64(entry["signing_key"])),
            PublicKey(unb64(entry["encryption_key"])),
        )
    except (ValueError, TypeError) as exc:
        raise RegistryError(f"node {entry['id']} has a malformed key") from exc
    return Node(
        id=entry["id"],
        country=entry["country"].upper(),
        agency=entry["agency"],
        base_url=entry["base_url"].rstrip("/"),
        signing_key=signing,
        encryption_key=encryption,
        valid_from=_time(entry.get("valid_from"), f"{entry['id']}.valid_from"),
        valid_until=_time(entry.get("valid_until"), f"{entry['id']}.valid_until"),
        revoked=bool(entry.get("revoked", False)),
        central_authority=bool(entry.get("central_authority", False)),
    )


def parse(document: object, check_expiry: bool = True) -> Registry:
    """Check the structure of an (unsigned or signed) registry document and return it parsed."""
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise RegistryError("the registry must be an object with a list of nodes")
    valid_until = _time(document.get("valid_until"), "valid_until")
    if valid_until is None:
        raise RegistryError("the registry has no valid_until")
    if check_expiry and timezone.now() > valid_until:
        raise RegistryError(f"the registry expired at {valid_until.isoformat()}")
    nodes = [_node(entry) for entry in document["nodes"]]
    if len({n.id for n in nodes}) != len(nodes):
        raise RegistryError("a node id appears twice")
    return Registry(
        network=str(document.get("network", "")),
        serial=int(document.get("serial", 0)),
        valid_until=valid_until,
        nodes={n.id: n for n in nodes},
    )


def verify(document: object, anchor: VerifyKey) -> Registry:
    """Verify the secretariat's signature against `anchor` and the validity; return the registry."""
    signature = document.get("signature") if isinstance(document, dict) else None
    if not isinstance(signature, dict):
        raise RegistryError("the registry is not signed")
    if signature.get("key") != b64(bytes(anchor)):
        raise RegistryError("the registry is signed by a key other than the secretariat's")
    # Only a dict has a signature (the first line above), so `document` is one here.
    document = cast(dict[str, Any], document)
    try:
        anchor.verify(signed_bytes(document), unb64(str(signature.get("value", ""))))
    except (BadSignatureError, ValueError) as exc:
        raise RegistryError("the registry signature does not verify") from exc
    return parse(document)


def read_anchor(path: Path) -> VerifyKey:
    """The secretariat's public key from its file (base64 of 32 bytes)."""
    try:
        return VerifyKey(unb64(path.read_text().strip()))
    except OSError as exc:
        raise RegistryError(f"cannot read the trust anchor {path}: {exc.strerror}") from exc
    except (ValueError, TypeError) as exc:
        raise RegistryError(f"the trust anchor {path} is not a base64 Ed25519 key") from exc


def read_document(path: Path) -> Any:  # any JSON value: parse() checks its shape
    try:
        return json.loads(path.read_text())
    except OSError as exc:
        raise RegistryError(f"cannot read the registry {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise RegistryError(f"the registry {path} is not JSON") from exc


_cache: dict[str, Any] = {}


def in_network() -> bool:
    """Whether this node is installed in a network (its registry and trust anchor are present).

    A node outside any network works alone; once it is in one, a message that cannot be sent
    is an error, never a silent skip.
    """
    return (
        Path(settings.TIPNET_NETWORK_REGISTRY_FILE).exists()
        and Path(settings.TIPNET_NETWORK_ANCHOR_FILE).exists()
    )


def current() -> Registry:
    """The verified registry of this node, re-read when its file changes; raises RegistryError."""
    path, anchor_path = (
        Path(settings.TIPNET_NETWORK_REGISTRY_FILE),
        Path(settings.TIPNET_NETWORK_ANCHOR_FILE),
    )
    try:
        stamp = (path.stat().st_mtime_ns, anchor_path.stat().st_mtime_ns, str(path))
    except OSError as exc:
        raise RegistryError(f"the registry or its trust anchor is missing: {exc.filename}") from exc
    # One (stamp, registry) pair replaced as a whole, so sending threads never see half of it.
    cached = _cache.get("verified")
    if cached is None or cached[0] != stamp:
        cached = (stamp, verify(read_document(path), read_anchor(anchor_path)))
        _cache["verified"] = cached
    registry = cached[1]
    if timezone.now() > registry.valid_until:
        raise RegistryError(f"the registry expired at {registry.valid_until.isoformat()}")
    return registry
