"""The encrypted fields victims' models use; they live in tipnet.lib so that cases shares them."""

from tipnet.lib.sealedfields import EncryptedCharField, EncryptedTextField

__all__ = ["EncryptedCharField", "EncryptedTextField"]
