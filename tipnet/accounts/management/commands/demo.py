from importlib import import_module
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tipnet.exchange.keys import init_keys

# Each app's demo loader, in dependency order. Each `load()` is idempotent and returns a short
# summary line; it writes through the app's `do_*` actions, each in its own transaction, so the
# demo data is audited too and a loader stopped half-way is simply run again.
LOADERS = [
    "tipnet.directory.demo",
    "tipnet.accounts.demo",
    "tipnet.cases.demo",
    "tipnet.victims.demo",
    "tipnet.mla.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (fictional). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--network",
            action="store_true",
            help="run three demo nodes (UZ-GPO, KG-GPO, AE-MOJ on ports 8000-8002) instead",
        )
        parser.add_argument("--base-port", type=int, default=8000, help="first of the three ports")
        parser.add_argument(
            "--partner",
            metavar="AGENCY",
            default="",
            help="seed this node as a partner of the demo network instead: the directory, "
            "the agency AGENCY and its demo users",
        )

    def handle(self, *args, **options):
        if options["network"]:
            from tipnet.demo_network import run

            run(Path(settings.DATA_DIR) / "network", self.stdout, options["base_port"])
            return
        if options["partner"]:
            from tipnet.demo_network import load_partner

            node, country = settings.TIPNET_NODE_ID, settings.TIPNET_NODE_COUNTRY
            self.stdout.write(load_partner(node, country, options["partner"]))
            return
        # The node's signing key first, so that its audit chain is checkpointed from the start
        # and a removal of the newest demo events is caught by `tipnet audit verify`.
        init_keys()
        for dotted in LOADERS:
            summary = import_module(dotted).load()
            self.stdout.write(f"{dotted.split('.')[1]}: {summary}")
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
        from tipnet.accounts.demo import print_logins

        print_logins(self.stdout)
