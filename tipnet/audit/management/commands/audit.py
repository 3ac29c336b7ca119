from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from nacl.signing import SigningKey

from tipnet.audit import checkpoint
from tipnet.audit.chain import verify_chain
from tipnet.audit.models import AuditEvent, AuditHead

# The command, not the audit app, reads the node's keys: the exchange app imports the audit log,
# so the audit app's modules must not import the exchange app.
from tipnet.exchange.keys import SIGNING_FILE, NodeKeyError, key_dir, load_keys


class Command(BaseCommand):
    help = (
        "Audit log tools. `tipnet audit verify` walks the hash chain, checks the signed "
        "checkpoints of its head, reports every broken or missing link, and signs a new "
        "checkpoint when all is well."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        key, problems = self._signing_key()
        # In this order, on a node that keeps recording: every checkpoint read was signed at or
        # before the head read, and every event up to that head is committed, so the walk stops
        # there and leaves later appends, which no check here is about, to the next run.
        found, unreadable = checkpoint.read()
        problems += unreadable
        head = AuditHead.objects.filter(pk=1).first()
        events = AuditEvent.objects.order_by("seq")
        if head is not None:
            events = events.filter(seq__lte=head.last_seq)
        report = verify_chain(
            events.iterator(chunk_size=2000), positions={point.count for point in found}
        )
        problems += report.problems + _head_problems(head, report.last_seq, report.last_hash)
        problems += checkpoint.check(found, key.verify_key if key else None, report.hashes)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"audit chain broken: {len(problems)} problem(s) found in {report.checked} events"
            )
        self.stdout.write(
            f"audit chain intact: {report.checked} events verified, "
            f"{len(found)} signed checkpoint(s) hold"
        )
        if key is None:
            self.stdout.write(
                "this node has no signing key yet (run `tipnet node init`): no checkpoint was "
                "signed, so removal of the newest events cannot be detected until it has one"
            )
            return
        checkpoint.write(key, report.last_seq, report.last_hash)
        self.stdout.write(f"checkpoint signed: {report.last_seq} events, in {checkpoint.path()}")

    def _signing_key(self) -> tuple[SigningKey | None, list[str]]:
        if not (key_dir() / SIGNING_FILE).exists():
            return None, []
        try:
            return load_keys().signing, []
        except NodeKeyError as exc:
            return None, [f"cannot check or sign checkpoints: {exc}"]


def _head_problems(head: AuditHead | None, last_seq: int, last_hash: str) -> list[str]:
    if head is None:
        return ["the chain's head row is missing"] if last_seq else []
    if (head.last_seq, head.last_hash) == (last_seq, last_hash):
        return []
    return [
        f"the chain's head names event #{head.last_seq}, but the last stored event is "
        f"#{last_seq}" + ("" if head.last_seq != last_seq else " with another hash")
    ]
