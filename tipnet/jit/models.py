"""Joint and parallel investigations: the agreement each party's node holds, its signatures,
its local members, and the items of the shared workspace.

Every party's node keeps its own copy of the agreement and of the workspace, in step through
messages (link.py). The signed text is `text.canonical(agreement)`: the RFC 8785 bytes of the
fields below that the parties negotiate; each version has its own SHA-256.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.sealedfields import EncryptedTextField

from .enums import ItemKind, Kind, State


class Agreement(models.Model):
    """One joint or parallel investigation, as this node holds it."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("form"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(_("title"), max_length=200)
    purpose = EncryptedTextField(_("purpose"), max_length=4000)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    governing_law = models.TextField(_("law governing the gathering of evidence"), max_length=2000)
    confidentiality = models.TextField(_("confidentiality and data protection"), max_length=2000)
    victim_support = models.TextField(_("protection and support of victims"), max_length=2000)
    costs = models.TextField(_("costs"), max_length=2000)
    # [{"node", "country", "agency", "leader", "members": [names]}], in the order proposed.
    parties = models.JSONField(default=list)
    text_sha256 = models.CharField(max_length=64)
    proposed_by_node = models.CharField(max_length=40)
    # Set by an extension after the agreement came into force; the signed period stays as is.
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    # Days after the end within which each party returns or deletes what the others shared
    # (part of the signed text when set; retention.DEFAULT_DAYS when an older text is silent).
    retention_days = models.PositiveSmallIntegerField(
        _("days to return or delete shared items after the end"), null=True, blank=True
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # This node's party: its agency, and the case it works the investigation in.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("agreement")

    def __str__(self) -> str:
        return self.title

    def nodes(self) -> list[str]:
        return [party["node"] for party in self.parties]

    def party(self, node: str) -> dict | None:
        return next((p for p in self.parties if p["node"] == node), None)

    @property
    def is_sharing(self) -> bool:
        # In force and within its period: an expired agreement shares no more, like an ended one.
        period_end = self.extended_until or self.period_end
        in_period = timezone.localdate() <= period_end
        return self.state in (State.IN_FORCE, State.EXTENDED) and in_period


class Signature(models.Model):
    """One party's signature of one version of the agreement, made with its node's key."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    node = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    text_sha256 = models.CharField(max_length=64)
    signer = models.CharField(max_length=200)
    signer_role = models.CharField(max_length=40)
    signed_at = models.DateTimeField()
    value = models.CharField(max_length=200)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "node", "version"], name="jit_one_signature_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node} v{self.version}"


class Member(models.Model):
    """A user of this node who may see and work the agreement's workspace."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="jit_unique_member")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Item(models.Model):
    """One item of the shared workspace, owned by the node that shared it.

    A withdrawn item is kept as a tombstone (no body): a withdrawal that overtakes its item
    must still win when the item arrives afterwards. Another party's item whose time to be
    returned or deleted after the end has passed is a tombstone too (`expired_at`).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="items")
    uid = models.UUIDField(unique=True)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    owner_node = models.CharField(max_length=40)
    revision = models.PositiveIntegerField(default=1)
    # The item's JSON (names of persons among it), encrypted at rest.
    body = EncryptedTextField(blank=True)
    is_withdrawn = models.BooleanField(default=False)
    # Set when the period to return or delete another party's item after the end had passed:
    # the body is gone and the tombstone says why (retention.py).
    expired_at = models.DateTimeField(null=True, blank=True)
    # For a person this node shared: the case row it came from (never sent).
    source = models.ForeignKey(
        "cases.CasePerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.uid}"
