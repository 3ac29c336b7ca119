"""`tipnet cases import FILE [--dry-run] --as USER`: import cases from CSV or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tipnet.accounts.models import User
from tipnet.cases.access import WRITER_ROLES
from tipnet.cases.importer import import_file


class Command(BaseCommand):
    help = "Import cases and persons from a CSV or XLSX file (see docs/cases.md)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--as", dest="username", required=True, help="the investigator or prosecutor importing"
        )

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None or not user.agency_id or not user.has_role(*WRITER_ROLES):
            raise CommandError("--as must name an active investigator or prosecutor")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        report = import_file(user, path.name, path.read_bytes(), dry_run=options["dry_run"])
        for row, column, problem in report.problems:
            self.stdout.write(f"row {row}\tcolumn {column or '-'}\t{problem}")
        summary = f"{report.rows} rows, {report.cases} cases, {report.persons} persons"
        if not report.is_valid:
            raise CommandError(f"{len(report.problems)} problems; nothing was written ({summary})")
        verb = "written" if report.written else "valid (dry run; nothing written)"
        self.stdout.write(f"{summary}: {verb}")
