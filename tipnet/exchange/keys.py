"""This node's own keys: an Ed25519 signing key and an X25519 encryption key.

The private keys live in files outside the database (mode 0600), in `TIPNET_EXCHANGE_KEY_DIR`,
so a database dump or backup never carries them. Keys are 32 raw bytes, base64 in the files.
"""

import base64
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from nacl.public import PrivateKey
from nacl.signing import SigningKey

SIGNING_FILE = "signing.key"
ENCRYPTION_FILE = "encryption.key"
# The encryption key before the last rotation, still accepted for messages sealed to it.
PREVIOUS_ENCRYPTION_FILE = "encryption.previous.key"


class NodeKeyError(Exception):
    """Raised when this node's keys are missing or unreadable."""


def b64(raw: bytes) -> str:
    """Standard base64 text of `raw`."""
    return base64.b64encode(raw).decode("ascii")


def unb64(text: str) -> bytes:
    """Bytes of base64 `text`; raises ValueError on anything that is not canonical base64.

    Re-encoding and comparing rejects the variants that differ only in unused padding bits, so a
    flipped character can never decode to the same bytes.
    """
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    # Whole groups of four letters (validate=True allows "=" only at the end) spell their three
    # bytes in one way only: only the last group can hide unused bits or stray padding, so
    # re-encoding the bytes it holds is the whole check, not re-encoding a 100 KB part.
    groups, extra = divmod(len(text), 4)
    if extra or (groups and b64(raw[3 * (groups - 1) :]) != text[-4:]):
        raise ValueError("not canonical base64")
    return raw


@dataclass(frozen=True)
class NodeKeys:
    signing: SigningKey
    encryption: PrivateKey
    previous_encryption: PrivateKey | None = None

    def decryption_keys(self) -> list[PrivateKey]:
        """The keys a message to this node may be sealed to: the current, then the previous."""
        return [self.encryption] + ([self.previous_encryption] if self.previous_encryption else [])

    def public_entry(self) -> dict[str, Any]:
        """The public half, as it appears in a node's entry of the network registry."""
        return {
            "signing_key": b64(bytes(self.signing.verify_key)),
            "encryption_key": b64(bytes(self.encryption.public_key)),
        }


def key_dir() -> Path:
    return Path(settings.TIPNET_EXCHANGE_KEY_DIR)


def write_secret(path: Path, raw: bytes) -> None:
    """Write `raw` (base64) to a new file readable by its owner only; never overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(b64(raw) + "\n")


def read_secret(path: Path) -> bytes:
    """Read a key file written by `write_secret`, refusing one that others may read."""
    try:
        mode = path.stat().st_mode & 0o777
        text = path.read_text().strip()
    except OSError as exc:
        raise NodeKeyError(f"cannot read key file {path}: {exc.strerror}") from exc
    if mode & 0o077:
        raise NodeKeyError(f"key file {path} is readable by others (mode {mode:o}); chmod 600 it")
    try:
        raw = unb64(text)
    except ValueError as exc:
        raise NodeKeyError(f"key file {path} is not base64") from exc
    if len(raw) != 32:
        raise NodeKeyError(f"key file {path} does not hold a 32-byte key")
    return raw


def init_keys(directory: Path | None = None) -> tuple[NodeKeys, bool]:
    """Create the node's keys when absent; return them and whether they were created."""
    directory = directory or key_dir()
    signing, encryption = directory / SIGNING_FILE, directory / ENCRYPTION_FILE
    created = False
    if not signing.exists():
        write_secret(signing, bytes(SigningKey.generate()))
        created = True
    if not encryption.exists():
        write_secret(encryption, bytes(PrivateKey.generate()))
        created = True
    _load.cache_clear()
    return load_keys(directory), created


def rotate_encryption_key(directory: Path | None = None) -> NodeKeys:
    """Replace the encryption key by a new one and keep the old one as the previous key.

    Messages sealed to the old key, which senders use until the registry lists the new one and
    which may wait in their outboxes for longer, still open. The key before the previous one is
    deleted: a message sealed to it can no longer be read.
    """
    directory = Path(directory or key_dir())
    current, previous = directory / ENCRYPTION_FILE, directory / PREVIOUS_ENCRYPTION_FILE
    old = read_secret(current)
    fresh = directory / (ENCRYPTION_FILE + ".new")
    fresh.unlink(missing_ok=True)
    write_secret(fresh, bytes(PrivateKey.generate()))
    kept = directory / (PREVIOUS_ENCRYPTION_FILE + ".new")
    kept.unlink(missing_ok=True)
    write_secret(kept, old)
    # Renames are atomic: a crash leaves the old key in one of the two files, never lost.
    os.replace(kept, previous)
    os.replace(fresh, current)
    _load.cache_clear()
    return load_keys(directory)


def load_keys(directory: Path | None = None) -> NodeKeys:
    """This node's keys (from `directory`, by default TIPNET_EXCHANGE_KEY_DIR).

    Read once, and again when a key file changes: `tipnet node rotate` runs in a process of its
    own, and the web server's and workers' processes must open messages sealed to the new key
    as soon as senders have it, without a restart.
    """
    directory = Path(directory or key_dir())
    return _load(directory, _stamp(directory))


def _stamp(directory: Path) -> tuple[tuple[int, int] | None, ...]:
    stamps: list[tuple[int, int] | None] = []
    for name in (SIGNING_FILE, ENCRYPTION_FILE, PREVIOUS_ENCRYPTION_FILE):
        try:
            info = (directory / name).stat()
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((info.st_ino, info.st_mtime_ns))
    return tuple(stamps)


@functools.lru_cache(maxsize=4)
def _load(directory: Path, stamp: tuple[tuple[int, int] | None, ...]) -> NodeKeys:
    previous = directory / PREVIOUS_ENCRYPTION_FILE
    return NodeKeys(
        signing=SigningKey(read_secret(directory / SIGNING_FILE)),
        encryption=PrivateKey(read_secret(directory / ENCRYPTION_FILE)),
        previous_encryption=PrivateKey(read_secret(previous)) if previous.exists() else None,
    )
