import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from nacl.signing import SigningKey

from tipnet.exchange import registry
from tipnet.exchange.keys import NodeKeyError, b64, read_secret, write_secret


class Command(BaseCommand):
    help = (
        "The network registry. `keygen KEYFILE` creates a secretariat signing key (0600) and "
        "prints its public key, the trust anchor; `sign DRAFT.json --key KEYFILE --out FILE` "
        "signs a registry; `verify FILE [--anchor PUBFILE]` checks signature and validity."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["keygen", "sign", "verify"])
        parser.add_argument("file", help="key file (keygen), draft (sign) or registry (verify)")
        parser.add_argument("--key", help="the secretariat's private key file (sign)")
        parser.add_argument("--out", help="where to write the signed registry (sign)")
        parser.add_argument("--anchor", help="trust anchor file (verify; default: this node's)")

    def handle(self, *args: Any, action: str, file: str, **options: Any) -> None:
        try:
            getattr(self, action)(Path(file), options)
        except (registry.RegistryError, NodeKeyError, FileExistsError) as exc:
            raise CommandError(str(exc)) from exc

    def keygen(self, path: Path, options: dict[str, Any]) -> None:
        key = SigningKey.generate()
        write_secret(path, bytes(key))
        self.stdout.write(b64(bytes(key.verify_key)))

    def sign(self, path: Path, options: dict[str, Any]) -> None:
        if not options["key"] or not options["out"]:
            raise CommandError("sign needs --key and --out")
        key = SigningKey(read_secret(Path(options["key"])))
        signed = registry.sign(registry.read_document(path), key)
        Path(options["out"]).write_text(json.dumps(signed, indent=2) + "\n")
        self.stdout.write(f"registry signed: {len(signed['nodes'])} nodes -> {options['out']}")

    def verify(self, path: Path, options: dict[str, Any]) -> None:
        from django.conf import settings

        anchor = registry.read_anchor(
            Path(options["anchor"] or settings.TIPNET_NETWORK_ANCHOR_FILE)
        )
        parsed = registry.verify(registry.read_document(path), anchor)
        self.stdout.write(
            f"registry valid: network {parsed.network!r}, serial {parsed.serial}, "
            f"{len(parsed.nodes)} nodes, valid until {parsed.valid_until.isoformat()}"
        )
