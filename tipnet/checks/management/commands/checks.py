import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from nacl.signing import SigningKey

from tipnet.exchange import registry
from tipnet.exchange.keys import NodeKeyError, read_secret
from tipnet.exchange.localnet import issue_check_key

from ... import actions, index, netkey


class Command(BaseCommand):
    help = (
        "Person checks. `status` shows this node's key epoch and index; `rebuild` re-encodes "
        "the index under the current key and encoding version (after a rotation or an "
        "upgrade that changes the encodings); `issue REGISTRY --key KEYFILE "
        "--state DIR --out FILE [--rotate]` is the secretariat's: it seals the network check "
        "key (a new one under the next epoch with --rotate) to every node of a signed registry "
        "and signs the file each node installs as network-check-key.json."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["status", "rebuild", "issue"])
        parser.add_argument("registry", nargs="?", help="the signed registry (issue)")
        parser.add_argument("--key", help="the secretariat's private key file (issue)")
        parser.add_argument("--state", help="folder of the check key and its epoch (issue)")
        parser.add_argument("--out", help="where to write the check key file (issue)")
        parser.add_argument("--rotate", action="store_true", help="a new key, next epoch")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, action)(options)
        except (netkey.CheckKeyError, registry.RegistryError, NodeKeyError) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def status(self, options: dict[str, Any]) -> None:
        key = netkey.current() if netkey.has_key() else None
        self.stdout.write(
            json.dumps(
                {
                    "key_epoch": key.epoch if key else None,
                    "index_epoch": index.indexed_epoch(),
                    "encoding_version": index.encoding_version(),
                    "index_encoding_version": index.indexed_encoding_version(),
                    "entries": index.IndexEntry.objects.count(),
                }
            )
        )

    def rebuild(self, options: dict[str, Any]) -> None:
        count = actions.do_rebuild(None)
        self.stdout.write(
            f"{count} persons encoded under epoch {netkey.current().epoch}, "
            f"encoding version {index.encoding_version()}"
        )

    def issue(self, options: dict[str, Any]) -> None:
        if not (options["registry"] and options["key"] and options["state"] and options["out"]):
            raise CommandError("issue needs REGISTRY, --key, --state and --out")
        document = registry.read_document(Path(options["registry"]))
        secretariat = SigningKey(read_secret(Path(options["key"])))
        registry.verify(document, secretariat.verify_key)
        state = Path(options["state"])
        state.mkdir(parents=True, exist_ok=True)
        issued = issue_check_key(state, secretariat, document["nodes"], options["rotate"])
        Path(options["out"]).write_text(json.dumps(issued) + "\n")
        self.stdout.write(
            f"check key epoch {issued['epoch']} sealed to {len(issued['sealed'])} nodes"
        )
