"""Field-level encryption of victims' identities with a key kept outside the database.

PyNaCl's SecretBox (XSalsa20-Poly1305) gives authenticated encryption with a random nonce per
value, so equal names do not produce equal ciphertexts and a tampered value fails to decrypt.
"""

import base64
import os
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

PREFIX = "nacl1:"


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
