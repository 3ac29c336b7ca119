"""The network check key: a secret the member nodes share, issued by the secretariat per epoch.

The secretariat writes `network-check-key.json` beside the signed registry (see
`tipnet.exchange.localnet.issue_check_key`):

    {"epoch": 3, "issued_at": ISO, "sealed": {"UZ-GPO": b64, ...}, "signature": {"key", "value"}}

Each node's copy of the key is sealed to that node's X25519 encryption key (PyNaCl SealedBox),
and the whole file is signed by the secretariat's key, the registry's trust anchor. A node opens
its own copy in memory only: the key is never written to the database, logged or sent.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import SealedBox

from tipnet.exchange.keys import NodeKeyError, b64, load_keys, unb64
from tipnet.exchange.registry import RegistryError, read_anchor, signed_bytes

FILE_NAME = "network-check-key.json"


class CheckKeyError(Exception):
    """The check key is missing, badly signed, or not sealed to this node."""


@dataclass(frozen=True)
class CheckKey:
    epoch: int
    secret: bytes

    def __repr__(self) -> str:  # never print the secret
        return f"CheckKey(epoch={self.epoch})"


def key_file() -> Path:
    return Path(settings.TIPNET_NETWORK_REGISTRY_FILE).parent / FILE_NAME


def current() -> CheckKey:
    """This node's check key and its epoch; raises CheckKeyError when it has none."""
    path = key_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise CheckKeyError(f"no network check key at {path}") from exc
    return _open(str(path), stamp, settings.TIPNET_NODE_ID)


def has_key() -> bool:
    try:
        current()
    except CheckKeyError:
        return False
    return True


@functools.lru_cache(maxsize=4)
def _open(path: str, stamp: int, node_id: str) -> CheckKey:
    try:
        document = json.loads(Path(path).read_text())
        signature = document["signature"]
        anchor = read_anchor(Path(settings.TIPNET_NETWORK_ANCHOR_FILE))
        if signature["key"] != b64(bytes(anchor)):
            raise CheckKeyError("the check key is signed by a key other than the secretariat's")
        anchor.verify(signed_bytes(document), unb64(signature["value"]))
        sealed = unb64(document["sealed"][node_id])
        epoch = int(document["epoch"])
    except (OSError, ValueError, KeyError, TypeError, RegistryError) as exc:
        raise CheckKeyError(f"the check key file is unreadable: {type(exc).__name__}") from exc
    except BadSignatureError as exc:
        raise CheckKeyError("the check key's signature does not verify") from exc
    try:
        keys = load_keys()
    except NodeKeyError as exc:
        raise CheckKeyError(str(exc)) from exc
    for private in keys.decryption_keys():
        try:
            return CheckKey(epoch, SealedBox(private).decrypt(sealed))
        except CryptoError:
            continue
    raise CheckKeyError("the check key is not sealed to this node's encryption key")
