import json
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from tipnet.exchange import log, worker
from tipnet.exchange.actions import ExchangeError, Outgoing, do_queue_messages
from tipnet.exchange.handlers import PING
from tipnet.exchange.models import InboxMessage, LogEntry, OutboxMessage

# Pings of one command are queued in one transaction, so their number is bounded.
PING_MAX = 1000


class Command(BaseCommand):
    help = (
        "Node-to-node exchange. `run` drains the outbox until stopped (`--once`: one pass, for a "
        "scheduler); `verify` walks the message log's hash chain; `ping NODE` queues a "
        "connectivity message; `status` prints outbox and inbox counts as JSON."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["run", "verify", "ping", "status"])
        parser.add_argument("node", nargs="?", help="recipient node id (ping)")
        parser.add_argument("--once", action="store_true", help="one pass, then exit (run)")
        parser.add_argument(
            "--count", type=int, default=1, help=f"messages to queue (ping), at most {PING_MAX}"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, action)(options)

    def run(self, options: dict[str, Any]) -> None:
        sender = worker.Sender()  # its connections stay open from one pass to the next
        try:
            while True:
                counts = worker.drain(sender=sender)
                if counts:
                    self.stdout.write(json.dumps(counts), ending="\n")
                    self.stdout.flush()
                if options["once"]:
                    return
                if not counts:
                    time.sleep(settings.TIPNET_EXCHANGE_POLL_SECONDS)
        finally:
            sender.close()

    def verify(self, options: dict[str, Any]) -> None:
        checked, problem = log.verify(LogEntry.objects.order_by("seq").iterator(chunk_size=2000))
        if problem:
            raise CommandError(
                f"message log broken: {problem} ({checked} records verified before it)"
            )
        self.stdout.write(f"message log intact: {checked} records verified")

    def ping(self, options: dict[str, Any]) -> None:
        if not options["node"]:
            raise CommandError("ping needs the recipient node id")
        if not 1 <= options["count"] <= PING_MAX:
            raise CommandError(f"--count must be between 1 and {PING_MAX}")
        try:
            pings = [Outgoing(PING, options["node"], {"n": i}) for i in range(options["count"])]
            queued = [str(outbox.message_id) for outbox in do_queue_messages(None, pings)]
        except ExchangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"queued": queued}))

    def status(self, options: dict[str, Any]) -> None:
        outbox = OutboxMessage.objects.all()
        self.stdout.write(
            json.dumps(
                {
                    "node": settings.TIPNET_NODE_ID,
                    "outbox": {str(m.message_id): m.state for m in outbox},
                    "attempts": {str(m.message_id): m.attempts for m in outbox},
                    "inbox_ids": [
                        str(i) for i in InboxMessage.objects.values_list("message_id", flat=True)
                    ],
                    "log": {
                        r["kind"]: r["n"]
                        for r in LogEntry.objects.values("kind").annotate(n=Count("id"))
                    },
                    "rejected": [
                        e.detail.get("reason") for e in LogEntry.objects.filter(kind="rejected")
                    ],
                    "alerts": {
                        str(m.message_id): m.last_error
                        for m in outbox.filter(state="not_delivered")
                    },
                }
            )
        )
