import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tipnet.exchange.keys import NodeKeyError, init_keys, load_keys, rotate_encryption_key


class Command(BaseCommand):
    help = (
        "This node's identity. `tipnet node init` creates its Ed25519 signing and X25519 "
        "encryption keys (files of mode 0600 in TIPNET_EXCHANGE_KEY_DIR) when absent; "
        "`tipnet node rotate` replaces the encryption key, still accepting the previous one; "
        "`tipnet node show` prints its public entry for the network registry."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["init", "rotate", "show"])
        parser.add_argument("--base-url", default="", help="URL other nodes reach this node at")
        parser.add_argument("--agency", default="", help="agency named in the registry entry")
        parser.add_argument(
            "--central-authority",
            action="store_true",
            help="mark the entry as its country's MLA central authority",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "init":
                keys, created = init_keys()
                self.stderr.write(
                    f"keys {'created' if created else 'already present'} in "
                    f"{settings.TIPNET_EXCHANGE_KEY_DIR}"
                )
            elif options["action"] == "rotate":
                keys = rotate_encryption_key()
                self.stderr.write(
                    "new encryption key; publish this entry in a new registry. Messages sealed "
                    "to the previous key are still accepted until the next rotation."
                )
            else:
                keys = load_keys()
        except NodeKeyError as exc:
            raise CommandError(str(exc)) from exc
        entry = {
            "id": settings.TIPNET_NODE_ID,
            "country": settings.TIPNET_NODE_COUNTRY,
            "agency": options["agency"],
            "base_url": options["base_url"] or f"http://{settings.TIPNET_BIND}",
            **keys.public_entry(),
            "central_authority": options["central_authority"],
        }
        self.stdout.write(json.dumps(entry, indent=2))
