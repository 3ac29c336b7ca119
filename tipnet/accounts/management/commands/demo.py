from importlib import import_module
from importlib.util import find_spec
from io import StringIO
from pathlib import Path
from types import ModuleType

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
    "tipnet.cooperation.demo",
    "tipnet.jit.demo",
    "tipnet.checks.demo",
    "tipnet.stats.demo",
]


def _loaders(function: str) -> list[tuple[str, ModuleType]]:
    """The demo modules (of LOADERS, in order) that exist and define `function`."""
    found = []
    for dotted in LOADERS:
        if find_spec(dotted) is not None:
            module = import_module(dotted)
            if hasattr(module, function):
                found.append((dotted.split(".")[1], module))
    return found


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
        parser.add_argument(
            "--network-round",
            type=int,
            default=0,
            metavar="N",
            help="run round N of the apps' cross-border demo on this node of the demo network",
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
            for app, module in _loaders("load_partner"):
                self.stdout.write(f"{app}: {module.load_partner(country)}")
            return
        if options["network_round"]:
            # Each app's step of the cross-border demo: idempotent, it queues its messages in
            # the transaction of the change they report, and returns one summary line.
            for app, module in _loaders("network_round"):
                summary = module.network_round(options["network_round"])
                if summary:
                    self.stdout.write(f"{app}: {summary}")
            return
        # The node's signing key first, so that its audit chain is checkpointed from the start
        # and a removal of the newest demo events is caught by `tipnet audit verify`.
        init_keys()
        for app, module in _loaders("load"):
            self.stdout.write(f"{app}: {module.load()}")
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
        from tipnet.accounts.demo import print_logins

        print_logins(self.stdout)
