"""Field-level encryption and keyed search hashes, with the node's field key.

The key lives in TIPNET_FIELD_KEY_FILE, outside the database, so that a copy of the database
file (or a dump of it) names no victim. PyNaCl's SecretBox (XSalsa20-Poly1305) gives
authenticated encryption with a random nonce per value: equal names do not produce equal
ciphertexts and a tampered value fails to decrypt.

Because equal values encrypt differently, SQL cannot find them. Where an exact lookup is needed
(a victim's name keys and identifiers), `keyed_hash` gives an HMAC-SHA256 under a search key
derived from the field key: equal inputs give equal hashes, and without the key file a hash
cannot be tested against a list of guessed names.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

PREFIX = "nacl1:"
# Separates the search key from the encryption key: the same key file, another purpose.
SEARCH_KEY_LABEL = b"tipnet search keys v1"


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(random_bytes(SecretBox.KEY_SIZE))


@lru_cache(maxsize=4)
def _box(path: str) -> SecretBox:
    key_path = Path(path)
    if not key_path.exists():
        _create_key(key_path)
    key = key_path.read_bytes()
    if len(key) != SecretBox.KEY_SIZE:
        raise RuntimeError(f"{path} must hold exactly {SecretBox.KEY_SIZE} bytes")
    return SecretBox(key)


@lru_cache(maxsize=4)
def _search_key(path: str) -> bytes:
    return hmac.new(bytes(_box(path)), SEARCH_KEY_LABEL, hashlib.sha256).digest()


def clear_cache() -> None:
    """Forget the keys read so far (after TIPNET_FIELD_KEY_FILE changed, in tests)."""
    _box.cache_clear()
    _search_key.cache_clear()


def box() -> SecretBox:
    """The SecretBox for TIPNET_FIELD_KEY_FILE, creating the key file (mode 0600) if absent."""
    return _box(str(settings.TIPNET_FIELD_KEY_FILE))


def encrypt(text: str) -> str:
    """Encrypt `text` into an ASCII token; the empty string stays empty."""
    if not text:
        return ""
    sealed = box().encrypt(text.encode("utf-8"))
    return PREFIX + base64.b64encode(bytes(sealed)).decode("ascii")


def decrypt(token: str) -> str:
    """Decrypt a token made by `encrypt`; raises nacl.exceptions.CryptoError if tampered."""
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise ValueError("not an encrypted field value")
    return box().decrypt(base64.b64decode(token[len(PREFIX) :])).decode("utf-8")


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 (hex, 64 characters) of `value` for one `purpose`, under the search key.

    Examples:
        >>> keyed_hash("name", "krmv") == keyed_hash("name", "krmv")
        True
        >>> keyed_hash("name", "krmv") == keyed_hash("identifier", "krmv")
        False
    """
    key = _search_key(str(settings.TIPNET_FIELD_KEY_FILE))
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
