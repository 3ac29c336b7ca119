"""`tipnet jit expire` (for a scheduler such as cron): tombstone what the other parties shared
once an ended or expired agreement's period to return or delete it has passed."""

from django.core.management.base import BaseCommand

from tipnet.jit.actions import do_expire_items
from tipnet.jit.enums import State
from tipnet.jit.models import Agreement


class Command(BaseCommand):
    help = "Remove the other parties' items of ended or expired agreements (see docs/jit.md)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["expire"])

    def handle(self, *args, **options):
        total = 0
        agreements = Agreement.objects.exclude(state__in=[State.PROPOSED, State.AMENDED])
        for agreement in agreements.select_related("agency"):
            count = do_expire_items(agreement)
            if count:
                self.stdout.write(f"{agreement.uid}\t{count} items removed")
            total += count
        self.stdout.write(f"{total} items removed")
