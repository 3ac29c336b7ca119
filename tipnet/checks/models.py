"""Cross-border person checks: this node's encoded index, the checks it asks, those it answers.

Requesting side: `OutgoingCheck`, one per person and partner node, with the answer when it comes.
Answering side: `IncomingCheck` for every query received (answered, held or refused), `Hit` for
a match with its opaque reference, and `Alert` for a burst or a pattern of queries a node admin
should look at. `IndexEntry` holds the encodings of the persons this node lets others check,
under the network check key's epoch; `CheckPolicy` says which roles are checkable and whether
hits wait for an officer. No name, date or case number is stored in any of these tables.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # A suspect (or another checkable role) in an investigation.
    PERSON = "person", _("Is this person known?")
    # A caseworker's question about a victim, with the person's consent recorded.
    MISSING = "missing", _("Is this missing or trafficked person known?")


class LegalBasis(models.TextChoices):
    UNTOC_27 = "untoc_27", _("UNTOC art. 27 (law-enforcement cooperation)")
    TIP_10 = "tip_10", _("TIP Protocol art. 10 (information exchange)")
    BILATERAL = "bilateral", _("Bilateral agreement")


class Result(models.TextChoices):
    PENDING = "pending", _("Waiting for the answer")
    NO_HIT = "no_hit", _("No hit")
    HIT = "hit", _("Hit")
    HELD = "held", _("Held for review")
    REFUSED = "refused", _("Refused")


class Strength(models.TextChoices):
    IDENTIFIER = "identifier", _("Identifier")
    STRONG = "strong", _("Strong")
    POSSIBLE = "possible", _("Possible")


class Refusal(models.TextChoices):
    NO_CASE = "no_case", _("The query names no case")
    TOO_FEW_FIELDS = "too_few_fields", _("The query has too few fields (a surname alone)")
    EPOCH_EXPIRED = "epoch_expired", _("The query was encoded under an expired key epoch")
    EPOCH_UNKNOWN = "epoch_unknown", _("The query was encoded under a key epoch not known here")
    NO_KEY = "no_key", _("The answering node holds no network check key")
    OVER_QUOTA = "over_quota", _("The requesting node is over its daily quota")
    NOT_ANSWERED = "not_answered", _("The answering node does not answer this type of check")
    MALFORMED = "malformed", _("The query is malformed")
    UNKNOWN_NODE = "unknown_node", _("The node is not a member of the network")
    ENCODING_VERSION = (
        "encoding_version",
        _("The query was encoded with another version of the encodings"),
    )


class Decision(models.TextChoices):
    UNDECIDED = "", _("Not decided")
    CONFIRMED = "confirmed", _("Confirmed: the hit is answered")
    REJECTED = "rejected", _("Not the same person: answered as no hit")


class Sharing(models.TextChoices):
    UNDECIDED = "", _("Not decided")
    ON_REQUEST = "on_request", _("Share on a formal follow-up request")
    NOT_SHARED = "not_shared", _("Do not share")


class CheckPolicy(models.Model):
    """This node's policy (one row): which roles may be checked and whether hits wait."""

    # PersonRole codes whose persons answer "is this person known?" (suspects by default).
    checkable_roles = models.JSONField(_("checkable roles"), default=list)
    # Victims are never found by a person check; only by the missing-person check, if allowed.
    answer_missing = models.BooleanField(
        _("answer missing or trafficked person checks"), default=False
    )
    hold_hits = models.BooleanField(_("hold hits for an officer's review"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"checks policy: {', '.join(self.checkable_roles)}"


class IndexState(models.Model):
    """The epoch and encoding version the index is built under (one row); a new one of either
    means a rebuild."""

    epoch = models.PositiveIntegerField(default=0)
    # tipnet.linkage.encoding.ENCODING_VERSION of the entries (1: before versions were kept)
    encoding_version = models.PositiveIntegerField(default=1)
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"index at epoch {self.epoch}"


class IndexEntry(models.Model):
    """One person's encodings under the network check key (no name, no date, no number)."""

    person = models.OneToOneField(
        "cases.Person", on_delete=models.CASCADE, related_name="check_entry"
    )
    epoch = models.PositiveIntegerField()
    # The roles the person holds in this node's cases (PersonRole codes).
    roles = models.JSONField(default=list)
    name_clk = models.BinaryField()
    person_clk = models.BinaryField()
    # Keyed tokens of the person's exact identifiers.
    tokens = models.JSONField(default=list)
    # Whether a birth date or a sex went into person_clk.
    has_details = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["epoch"], name="checks_entry_epoch")]

    def __str__(self) -> str:
        return f"index entry of person {self.person_id}"


class OutgoingCheck(models.Model):
    """A question this node asked one partner node about one person of one of its cases."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="checks")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.PERSON)
    legal_basis = models.CharField(_("legal basis"), max_length=12, choices=LegalBasis.choices)
    consent_recorded = models.BooleanField(default=False)
    # A missing-person check relies on the victim's consent to cross-border checks recorded in
    # the victims register (tipnet.victims Consent, purpose "border_check").
    consent = models.ForeignKey(
        "victims.Consent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("consent relied on"),
    )
    node = models.CharField(_("node"), max_length=32)
    epoch = models.PositiveIntegerField(default=0)
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.PENDING
    )
    strength = models.CharField(_("strength"), max_length=12, choices=Strength.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    reference_expires_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=Refusal.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-created_at"], name="checks_out_case"),
            models.Index(fields=["created_by", "created_at"], name="checks_out_user_day"),
        ]

    def __str__(self) -> str:
        return f"check {self.uid} to {self.node}: {self.result}"

    @property
    def reference_is_valid(self) -> bool:
        expires = self.reference_expires_at
        return bool(self.reference and expires and expires > timezone.now())


class IncomingCheck(models.Model):
    """A query another node sent here, and what this node answered."""

    uid = models.UUIDField(unique=True)
    sender = models.CharField(_("node"), max_length=32)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices, default=Kind.PERSON)
    legal_basis = models.CharField(_("legal basis"), max_length=12, blank=True)
    # The requesting node's opaque id of its case: it names nothing here.
    purpose = models.CharField(max_length=64, blank=True)
    epoch = models.PositiveIntegerField(default=0)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Refusal.choices, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["sender", "received_at"], name="checks_in_sender_day")]

    def __str__(self) -> str:
        return f"query {self.uid} from {self.sender}: {self.result}"

    @property
    def legal_basis_label(self) -> str:
        """The legal basis the asking node named, in words; an unknown code as it came."""
        return str(dict(LegalBasis.choices).get(self.legal_basis, self.legal_basis))


class Hit(models.Model):
    """A match on this node: the opaque reference answered, and the person it points to."""

    reference = models.CharField(max_length=64, unique=True)
    incoming = models.OneToOneField(IncomingCheck, on_delete=models.CASCADE, related_name="hit")
    person = models.ForeignKey("cases.Person", on_delete=models.CASCADE, related_name="+")
    strength = models.CharField(_("strength"), max_length=12, choices=Strength.choices)
    expires_at = models.DateTimeField(_("valid until"))
    decision = models.CharField(
        _("review"), max_length=12, choices=Decision.choices, blank=True, default=""
    )
    sharing = models.CharField(
        _("sharing"), max_length=12, choices=Sharing.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"hit {self.reference}"


class AlertKind(models.TextChoices):
    BURST = "burst", _("A burst of queries")
    NO_CASE = "no_case", _("Queries without a case")
    REFUSED = "refused", _("Repeated refused queries")


class Alert(models.Model):
    """Something about another node's queries that this node's admin should look at."""

    sender = models.CharField(_("node"), max_length=32)
    kind = models.CharField(_("type"), max_length=8, choices=AlertKind.choices)
    count = models.PositiveIntegerField(_("queries"), default=0)
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)
    is_open = models.BooleanField(default=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-last_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} alert on {self.sender}"
