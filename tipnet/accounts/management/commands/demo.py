from importlib import import_module
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo loader, in dependency order. Each `load()` is idempotent and returns a short
# summary line; it writes through the app's `do_*` actions so the demo data is audited too.
LOADERS = [
    "tipnet.directory.demo",
    "tipnet.accounts.demo",
    "tipnet.cases.demo",
    "tipnet.victims.demo",
    "tipnet.mla.demo",
    "tipnet.exchange.demo",
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

    def handle(self, *args, **options):
        if options["network"]:
            from django.conf import settings

            from tipnet.exchange.demo_network import run

            run(Path(settings.DATA_DIR) / "network", self.stdout, options["base_port"])
            return
        for dotted in LOADERS:
            try:
                module = import_module(dotted)
            except ModuleNotFoundError as exc:
                if exc.name != dotted:
                    raise
                continue
            with transaction.atomic():
                summary = module.load()
            self.stdout.write(f"{dotted.split('.')[1]}: {summary}")
        from tipnet.accounts.demo import print_logins

        print_logins(self.stdout)
