from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from nacl.signing import SigningKey


class ExchangeConfig(AppConfig):
    name = "tipnet.exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        # The domain apps register their message types in their own ready(); the exchange
        # knows none of them.
        from tipnet.audit import checkpoint

        # The audit log signs its daily checkpoints with the node's key; it cannot import this
        # app (this app imports it), so it is handed the function that reads the key.
        checkpoint.use_signing_key(_signing_key_or_none)


def _signing_key_or_none() -> "SigningKey | None":
    from .keys import SIGNING_FILE, key_dir, load_keys

    # A fresh node, before `tipnet node init`, has no key yet: no checkpoint then.
    return load_keys().signing if (key_dir() / SIGNING_FILE).exists() else None
