import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tipnet.accounts.actions import do_create_user
from tipnet.accounts.models import Agency, Role, User


class Command(BaseCommand):
    help = "Create a user of this node with one or more roles."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="code of one of this node's agencies")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=Role.values,
            dest="roles",
            help="repeat for several roles",
        )
        parser.add_argument("--full-name", default="")

    def handle(self, *args, username, agency, roles, full_name, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"no agency with code {agency!r} on this node")
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"user {username!r} already exists")
        password = os.environ.get("TIPNET_PASSWORD") or self._ask_password()
        try:
            do_create_user(None, username, password, found, roles, full_name)
        except ValidationError as exc:
            raise CommandError("password refused: " + " ".join(exc.messages)) from exc
        self.stdout.write(f"created {username} ({', '.join(roles)}) at {agency}")

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords differ")
        return first
