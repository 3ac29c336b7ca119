from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class OutboxMessage(models.Model):
    """A message this node sends, sealed once at queueing so every retry sends the same bytes."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        SEND_FAILED = "send_failed", _("send failed")
        NOT_DELIVERED = "not_delivered", _("not delivered")

    message_id = models.UUIDField(unique=True)
    conversation_id = models.CharField(max_length=64, blank=True)
    in_reply_to = models.CharField(max_length=64, blank=True)
    type = models.CharField(_("type"), max_length=64)
    recipient = models.CharField(_("recipient"), max_length=32)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    header_sha256 = models.CharField(max_length=64)
    attachment_names = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("created"))
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    receipt = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        # The worker's two questions (what is due? what is overdue?) are answered from these
        # indexes alone. On SQLite a row is read in column order, so a query that had to read
        # the rows would follow `wire`'s overflow pages: 50 ms per poll with 800 queued 100 KB
        # messages, against about 1 ms from the index.
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at", "lease_until"], name="exchange_outbox_due"
            ),
            models.Index(fields=["state", "created_at", "lease_until"], name="exchange_outbox_age"),
        ]

    def __str__(self) -> str:
        return f"{self.type} to {self.recipient} ({self.state})"

    @property
    def wire(self) -> bytes:
        """The sealed bytes, exactly as sent on every attempt."""
        return bytes(self.sealed.wire)


class OutboxWire(models.Model):
    """The sealed bytes of an outbox message, kept apart from the row the worker keeps updating.

    SQLite rewrites a whole row, blob and all, on every update: with the bytes in the outbox row,
    claiming and recording 32 messages of 100 KB each copied 4 MB twice over.
    """

    outbox = models.OneToOneField(
        OutboxMessage, on_delete=models.CASCADE, primary_key=True, related_name="sealed"
    )
    wire = models.BinaryField()

    def __str__(self) -> str:
        return f"sealed bytes of {self.outbox_id}"


class InboxMessage(models.Model):
    """A message received and verified; stored once per message_id."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        HANDLED = "handled", _("handled")
        FAILED = "failed", _("failed")
        UNHANDLED = "unhandled", _("no handler")

    message_id = models.UUIDField(unique=True)
    conversation_id = models.CharField(max_length=64, blank=True)
    in_reply_to = models.CharField(max_length=64, blank=True)
    type = models.CharField(_("type"), max_length=64)
    sender = models.CharField(_("sender"), max_length=32)
    header = models.JSONField()
    header_sha256 = models.CharField(max_length=64)
    payload = models.JSONField()
    receipt = models.JSONField()
    received_at = models.DateTimeField(_("received"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} from {self.sender}"


class InboxAttachment(models.Model):
    message = models.ForeignKey(InboxMessage, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.filename


# Why a message was refused (the `reason` of a "rejected" record and of the refusal answered to
# the sender), as a node administrator reads it in the message log.
REFUSAL_LABELS = {
    "malformed": _("not a well-formed message"),
    "tampered": _("altered in transit"),
    "stale": _("dated too far from now"),
    "wrong_recipient": _("addressed to another node"),
    "unknown_sender": _("sender not in the registry"),
    "sender_revoked": _("sender's key revoked"),
    "sender_expired": _("sender's key expired"),
    "sender_not_yet_valid": _("sender's key not yet valid"),
    "bad_signature": _("signature does not verify"),
    "replay_conflict": _("a different message with the same id"),
    "too_large": _("too large"),
    "not_ready": _("this node was not ready"),
    "registry_unavailable": _("the registry was unavailable"),
    "bad_receipt": _("not a valid receipt"),
}


class LogEntry(models.Model):
    """One record of the hash-chained message log: what was sent, received, refused, given up."""

    class Kind(models.TextChoices):
        QUEUED = "queued", _("queued")
        DELIVERED = "delivered", _("delivered")
        RECEIVED = "received", _("received")
        DUPLICATE = "duplicate", _("duplicate")
        REJECTED = "rejected", _("rejected")
        SEND_FAILED = "send_failed", _("send failed")
        NOT_DELIVERED = "not_delivered", _("not delivered")

    seq = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(_("time"))
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    message_id = models.CharField(_("message"), max_length=64, blank=True, db_index=True)
    type = models.CharField(_("type"), max_length=64, blank=True)
    peer = models.CharField(_("peer node"), max_length=32, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.message_id}"

    @property
    def reason_label(self) -> str:
        """The record's reason in words: a refusal's label, or the text recorded."""
        reason = str((self.detail or {}).get("reason", ""))
        return str(REFUSAL_LABELS.get(reason, reason))

    def chained_fields(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "occurred_at": self.occurred_at.isoformat(),
            "kind": self.kind,
            "message_id": self.message_id,
            "type": self.type,
            "peer": self.peer,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }


class LogHead(models.Model):
    """A single row locked while a log record is appended, so concurrent writers chain in order."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"message log head #{self.last_seq}"
