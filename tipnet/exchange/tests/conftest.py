"""A small network around this node (UZ-GPO): two peers, a secretariat and a signed registry.

The peers' keys live in memory, so a test can write messages "from" KG-GPO or AE-MOJ and check
how this node answers them; multi-process tests (test_delivery_*.py) start real nodes instead.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from tipnet.exchange import envelope, registry
from tipnet.exchange.keys import NodeKeys, b64, init_keys


def entry(node_id: str, keys: NodeKeys, base_url: str = "http://127.0.0.1:9", **extra) -> dict:
    return {
        "id": node_id,
        "country": node_id[:2],
        "agency": f"{node_id} (fictional)",
        "base_url": base_url,
        **keys.public_entry(),
        "central_authority": True,
        **extra,
    }


def draft(entries: list[dict], days: int = 30) -> dict:
    now = timezone.now()
    return {
        "network": "test",
        "serial": 1,
        "issued_at": now.isoformat(),
        "valid_until": (now + timedelta(days=days)).isoformat(),
        "nodes": entries,
    }


@dataclass
class Network:
    tmp_path: Path
    me: NodeKeys
    secretariat: SigningKey
    peers: dict[str, NodeKeys] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def publish(self, document: dict | None = None, **overrides) -> dict:
        """Sign and install a registry (by default: this node and the peers)."""
        if document is None:
            entries = [entry("UZ-GPO", self.me)] + [
                entry(n, k, **overrides.get(n, {})) for n, k in self.peers.items()
            ]
            document = draft(entries)
        signed = registry.sign(document, self.secretariat)
        (self.tmp_path / "network.json").write_text(json.dumps(signed))
        registry._cache.clear()
        return signed

    def wire(self, sender: str = "KG-GPO", recipient: str = "UZ-GPO", **fields) -> bytes:
        """Wire bytes of a message from a peer, sealed to this node (or to `recipient`'s key)."""
        attachments = fields.pop("attachments", [])
        message = envelope.Message(
            type=fields.pop("type", "exchange.ping"),
            sender=sender,
            recipient=recipient,
            payload=fields.pop("payload", {"hello": "Toshkent"}),
            attachments=attachments,
            **fields,
        )
        signing = self.peers[sender].signing if sender in self.peers else self.extra[sender].signing
        target = self.me if recipient == "UZ-GPO" else self.peers[recipient]
        return envelope.seal(message, signing, target.encryption.public_key)


def new_keys() -> NodeKeys:
    return NodeKeys(SigningKey.generate(), PrivateKey.generate())


@pytest.fixture
def network(tmp_path, settings):
    settings.TIPNET_NODE_ID = "UZ-GPO"
    settings.TIPNET_EXCHANGE_KEY_DIR = str(tmp_path / "keys")
    settings.TIPNET_NETWORK_REGISTRY_FILE = str(tmp_path / "network.json")
    settings.TIPNET_NETWORK_ANCHOR_FILE = str(tmp_path / "anchor.pub")
    me, _created = init_keys()
    net = Network(tmp_path, me, SigningKey.generate())
    net.peers = {"KG-GPO": new_keys(), "AE-MOJ": new_keys()}
    (tmp_path / "anchor.pub").write_text(b64(bytes(net.secretariat.verify_key)))
    net.publish()
    yield net
    registry._cache.clear()
