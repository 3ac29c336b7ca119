from importlib import import_module

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

    def handle(self, *args, **options):
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
