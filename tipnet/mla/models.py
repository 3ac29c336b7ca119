"""MLA: treaty facts per state and pair, requests with their persons, measures, events and files.

Treaty facts are data (loaded from data/treaties.yaml, editable by node administrators); each
carries its source and a verified mark. A request exists on both nodes under the same `uid`:
"outgoing" on the requesting node, "incoming" on the requested one.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.sealedfields import EncryptedCharField, EncryptedTextField

from .enums import (
    Confidentiality,
    Direction,
    Instrument,
    PartyStatus,
    PersonKind,
    Proceedings,
    State,
    Urgency,
)


class StateProfile(models.Model):
    """One state's MLA facts: accepted languages, central authority and channels, each sourced."""

    country = models.OneToOneField(
        "directory.Country", on_delete=models.CASCADE, primary_key=True, related_name="mla_profile"
    )
    # ISO 639-1 codes of the languages accepted for incoming requests.
    languages = models.JSONField(_("accepted languages"), default=list, blank=True)
    languages_source = models.CharField(_("source"), max_length=500, blank=True)
    languages_verified = models.BooleanField(_("verified"), default=False)
    central_authority = models.ForeignKey(
        "directory.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("central authority"),
    )
    central_authority_source = models.CharField(_("source"), max_length=500, blank=True)
    central_authority_verified = models.BooleanField(_("verified"), default=False)
    # Channel codes (enums.Channel) in order of preference.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    channels_source = models.CharField(_("source"), max_length=500, blank=True)
    channels_verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["country_id"]
        verbose_name = _("state MLA profile")
        verbose_name_plural = _("state MLA profiles")

    def __str__(self) -> str:
        return str(self.country_id)


class TreatyStatus(models.Model):
    """Whether a state is party to one multilateral instrument, since when, and on whose word."""

    profile = models.ForeignKey(StateProfile, on_delete=models.CASCADE, related_name="parties")
    instrument = models.CharField(_("instrument"), max_length=16, choices=Instrument.choices)
    status = models.CharField(_("status"), max_length=12, choices=PartyStatus.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500)
    is_verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["profile_id", "instrument"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "instrument"], name="mla_unique_status")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.instrument}: {self.status}"


class BilateralTreaty(models.Model):
    """A bilateral MLA treaty in force between two states (stored with state_a < state_b)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=500)
    state_a = models.CharField(max_length=2)
    state_b = models.CharField(max_length=2)
    in_force_on = models.DateField(_("in force since"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=500)
    is_verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["state_a", "state_b", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state_a__lt=models.F("state_b")), name="mla_treaty_pair_order"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DeadlinePolicy(models.Model):
    """Target days per legal basis: acknowledge, decide and execute (reminders only)."""

    basis = models.CharField(_("legal basis"), max_length=80, unique=True)
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (days)"), default=7)
    decide_days = models.PositiveSmallIntegerField(_("decide within (days)"), default=30)
    execute_days = models.PositiveSmallIntegerField(_("execute within (days)"), default=90)

    class Meta:
        ordering = ["basis"]
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")

    def __str__(self) -> str:
        return self.basis


class MlaRequest(models.Model):
    """A request for mutual legal assistance, outgoing or incoming, through its whole lifecycle."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    # The counterpart's own reference, once it has given one.
    counterpart_ref = models.CharField(_("counterpart reference"), max_length=80, blank=True)
    requesting_state = models.CharField(_("requesting state"), max_length=2)
    requested_state = models.CharField(_("requested state"), max_length=2, blank=True)
    # The other node's id, such as AE-MOJ; blank until known.
    counterpart_node = models.CharField(_("counterpart node"), max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Outgoing: the drafting agency. Incoming: blank; every central-authority officer handles it.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="mla_requests"
    )
    requesting_authority = models.CharField(_("requesting authority"), max_length=300, blank=True)
    requested_authority = models.CharField(_("requested authority"), max_length=300, blank=True)
    conducting_authority = models.CharField(
        _("authority conducting the proceedings (name and functions)"), max_length=500, blank=True
    )
    proceedings = models.CharField(
        _("nature of the proceedings"), max_length=16, choices=Proceedings.choices, blank=True
    )
    subject = models.TextField(_("subject matter of the proceedings"), blank=True)
    case_number = models.CharField(_("case number"), max_length=80, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=80, blank=True)
    basis_rule = models.TextField(_("rule that decided the basis"), blank=True)
    language = models.CharField(_("language of the letter"), max_length=3, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    # Sent and answered outside the network (on paper, through the diplomatic bag): its steps are
    # recorded here by hand, and none of them sends a message to another node.
    is_off_network = models.BooleanField(_("handled outside the network"), default=False)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_reason = models.TextField(_("reason for the deadline"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, blank=True
    )
    # Encrypted at rest: it starts as the case's summary (encrypted in cases) and names victims.
    facts = EncryptedTextField(_("summary of the facts"), blank=True)
    offences = models.TextField(_("offences and legal qualification"), blank=True)
    purpose = models.TextField(_("purpose of the request"), blank=True)
    procedures = models.TextField(_("procedures to be followed"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    assurances = models.TextField(_("assurances (speciality, confidentiality)"), blank=True)
    annexes = models.TextField(_("annexes (one per line)"), blank=True)
    signatory = models.CharField(_("signatory (name and position)"), max_length=300, blank=True)
    refusal_ground = models.CharField(_("ground of refusal"), max_length=20, blank=True)
    refusal_reasons = models.TextField(_("reasons for refusal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("MLA request")
        verbose_name_plural = _("MLA requests")
        indexes = [
            models.Index(fields=["direction", "state"], name="mla_direction_state"),
            models.Index(fields=["agency", "direction"], name="mla_agency_direction"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def counterpart_state(self) -> str:
        if self.direction == Direction.OUTGOING:
            return self.requested_state
        return self.requesting_state

    @property
    def is_cis_basis(self) -> bool:
        return self.legal_basis in ("MINSK_1993", "CHISINAU_2002")


class MlaPerson(models.Model):
    """A person concerned by a request, as described in it (snapshot taken from the case)."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="persons")
    case_person = models.ForeignKey(
        "cases.CasePerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("role"), max_length=8, choices=PersonKind.choices)
    # Encrypted at rest, like a victim in cases: a copy of the database names nobody. None of
    # these columns can be searched or ordered in SQL.
    full_name = EncryptedCharField(_("surname, name, patronymic"), max_length=200)
    birth_date = EncryptedCharField(_("date of birth"), max_length=10, blank=True)
    birth_place = EncryptedCharField(_("place of birth"), max_length=200, blank=True)
    citizenship = EncryptedCharField(_("citizenship"), max_length=100, blank=True)
    residence = EncryptedCharField(_("residence or location"), max_length=300, blank=True)
    occupation = EncryptedCharField(_("occupation"), max_length=200, blank=True)
    parents_names = EncryptedCharField(_("parents' names"), max_length=300, blank=True)

    class Meta:
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return self.full_name


class MlaMeasure(models.Model):
    """One measure of assistance sought, with the fields its module asks for (see measures.py)."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=24)
    fields = models.JSONField(default=dict)

    class Meta:
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return self.kind


class MlaEvent(models.Model):
    """One transition of a request, local or applied from the counterpart node."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=24)
    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    side = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Blank for a local transition; the counterpart's node id for one applied from a message.
    from_node = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request_id", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.transition}"


class MlaFile(models.Model):
    """A file of a request: the signed letter, an annex or a result of execution."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request_id", "id"]

    def __str__(self) -> str:
        return self.filename


class Reminder(models.Model):
    """A raised reminder that a clock of a request has run out; never changes its state."""

    request = models.ForeignKey(MlaRequest, on_delete=models.CASCADE, related_name="reminders")
    clock = models.CharField(max_length=16)
    due_on = models.DateField()
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "clock", "due_on"], name="mla_unique_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.clock} {self.due_on}"
