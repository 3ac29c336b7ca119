"""Police-to-police threads (SIENA model): a thread starts with an information request or a
spontaneous information and continues with replies and consent messages.

Both nodes keep their own copy of a thread under the same uid; `direction` says which side
started it. Subjects, bodies and the persons carried are personal data: sealed at rest.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.sealedfields import EncryptedBinaryField, EncryptedTextField


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("outgoing")
    INCOMING = "incoming", _("incoming")


class Kind(models.TextChoices):
    REQUEST = "request", _("information request")
    SPONTANEOUS = "spontaneous", _("spontaneous information")


class Priority(models.TextChoices):
    ROUTINE = "routine", _("routine")
    URGENT = "urgent", _("urgent")
    VERY_URGENT = "very_urgent", _("very urgent")


class MessageKind(models.TextChoices):
    OPENING = "opening", _("first message")
    REPLY = "reply", _("reply")
    CONSENT_REQUEST = "consent_request", _("consent requested")
    CONSENT_GRANTED = "consent_granted", _("consent given")
    CONSENT_REFUSED = "consent_refused", _("consent refused")
    REFUSED = "refused", _("refused by the receiving node")


class Consent(models.TextChoices):
    NONE = "", _("not asked")
    REQUESTED = "requested", _("requested")
    GRANTED = "granted", _("given")
    REFUSED = "refused", _("refused")


class Thread(models.Model):
    """One exchange between an agency of this node and one other node."""

    uid = models.UUIDField(default=uuid.uuid4)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    counterpart_ref = models.CharField(_("their reference"), max_length=80, blank=True)
    # This node's side: the agency that sent or received it, and the case it came from.
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="coop_threads"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="coop_threads"
    )
    counterpart_node = models.CharField(_("other node"), max_length=32)
    counterpart_agency = models.CharField(_("other agency"), max_length=300, blank=True)
    subject = EncryptedTextField(_("subject"), max_length=300)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    handling_code = models.CharField(_("handling code"), max_length=8)
    consent = models.CharField(
        _("consent to pass on"), max_length=10, choices=Consent.choices, blank=True
    )
    # Set when this thread forwards an incoming one (allowed only as its code permits).
    forwarded_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwards"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coop_assigned",
        verbose_name=_("assigned to"),
    )
    is_closed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uid", "counterpart_node"], name="coop_unique_thread_per_node"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class Message(models.Model):
    """One message of a thread, either way; `outbox_id` ties a sent one to its delivery state."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    uid = models.UUIDField(default=uuid.uuid4, unique=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("type"), max_length=16, choices=MessageKind.choices)
    body = EncryptedTextField(_("text"), max_length=20000, blank=True)
    sender_name = models.CharField(_("from"), max_length=200, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outbox_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uid}"


class Item(models.Model):
    """A person (with chosen identifiers) carried by a message, as the case held it.

    On the receiving side `attached_*` records where it was put, keeping its origin (the
    thread's node, agency, reference and handling code).
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    # {"full_name", "sex", "birth", "citizenships", "role", "chain_role",
    #  "identifiers": [{"kind", "value", "country"}]}, sealed.
    data = EncryptedTextField()
    source_case_person = models.ForeignKey(
        "cases.CasePerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="coop_items"
    )
    attached_person = models.ForeignKey(
        "cases.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coop_items",
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["message_id", "position"]

    def __str__(self) -> str:
        return f"item {self.position} of {self.message_id}"


class Attachment(models.Model):
    """A file of a message, sealed at rest like the rest of the thread; `sha256` is of the clear
    bytes (the hash the envelope signed)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="files")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = EncryptedBinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ReadMark(models.Model):
    """When a user last read a thread: newer messages are unread for them."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="coop_unique_read_mark")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"
