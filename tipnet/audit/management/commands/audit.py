from django.core.management.base import BaseCommand, CommandError

from tipnet.audit.chain import verify_chain
from tipnet.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Audit log tools. `tipnet audit verify` walks the hash chain and reports the first break."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        report = verify_chain(AuditEvent.objects.order_by("seq").iterator(chunk_size=2000))
        if not report.ok:
            raise CommandError(
                f"audit chain broken at event #{report.seq}: {report.problem} "
                f"({report.checked} events verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events verified")
