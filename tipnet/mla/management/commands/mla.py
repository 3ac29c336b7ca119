"""`tipnet mla load-treaties [FILE]` and `tipnet mla remind` (for a scheduler such as cron)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipnet.mla.actions import do_load_treaties, do_raise_reminder
from tipnet.mla.deadlines import overdue
from tipnet.mla.models import MlaRequest


class Command(BaseCommand):
    help = "Load the MLA treaty data, or raise reminders for expired clocks (see docs/mla.md)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load-treaties", "remind"])
        parser.add_argument("file", nargs="?", type=Path, help="treaty file (load-treaties)")

    def handle(self, *args, **options):
        if options["action"] == "load-treaties":
            return self._load(options["file"])
        return self._remind()

    def _load(self, path: Path | None) -> None:
        if path is not None and not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            counts = do_load_treaties(None, path)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{counts['states']} states, {counts['bilateral']} bilateral treaties")

    def _remind(self) -> None:
        raised = 0
        for due in overdue(MlaRequest.objects.all()):
            if do_raise_reminder(due.request, due.clock, due.due_on) is not None:
                raised += 1
                self.stdout.write(
                    f"{due.request.reference}\t{due.clock}\tdue {due.due_on}"
                    f"\t{due.days_overdue} days overdue"
                )
        self.stdout.write(f"{raised} reminders raised")
