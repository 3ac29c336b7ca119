"""Field-level encryption of victims' identities: see tipnet.lib.fieldkey, shared with cases."""

from tipnet.lib.fieldkey import PREFIX, _box, box, clear_cache, decrypt, encrypt, keyed_hash

__all__ = ["PREFIX", "_box", "box", "clear_cache", "decrypt", "encrypt", "keyed_hash"]
