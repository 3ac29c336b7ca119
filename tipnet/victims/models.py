"""Victims on the National Referral Mechanism: identification, consent, referrals, assistance,
return and hotline intake. Names, contact details and every free text written about a victim
(notes, reasons, goals, follow-ups, return arrangements) are encrypted at rest (see fields.py);
everything else refers to a victim by a pseudonymous code.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedCharField, EncryptedTextField


class Status(models.TextChoices):
    # HTCDS TraffickingStatus / Eurostat "registered victim": see reference 8.2 (IS).
    POTENTIAL = "potential", _("Potential victim")
    PRESUMED = "presumed", _("Presumed victim")
    IDENTIFIED = "identified", _("Identified victim")
    NOT_VICTIM = "not_victim", _("Not a victim")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Purpose(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance and referral to services")
    DATA_SHARING = "data_sharing", _("Sharing identity with a named agency")
    PROCEEDINGS = "proceedings", _("Participation in proceedings")
    RETURN = "return", _("Return to the country of origin")
    # The "is this missing or trafficked person known?" check with partner countries' nodes
    # (tipnet.checks): only keyed encodings of the name leave the node.
    BORDER_CHECK = "border_check", _("Asking partner countries whether they know the person")


class ServiceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    REINTEGRATION = "reintegration", _("Reintegration")
    EDUCATION = "education", _("Education and vocational training")
    FINANCIAL = "financial", _("Financial support")
    # A guardian or the child-protection service: required on the child pathway (children.py).
    CHILD_PROTECTION = "child_protection", _("Guardian or child-protection service")


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Exploitation(models.TextChoices):
    # The same codes as the cases app's forms of exploitation (tipnet.cases.enums), so the
    # statistics count victims and cases under one vocabulary.
    LABOUR = "labour", _("Forced labour")
    SEXUAL = "sexual", _("Sexual exploitation")
    CRIMINALITY = "criminality", _("Forced criminal activity")
    BEGGING = "begging", _("Begging")
    DOMESTIC = "domestic", _("Domestic servitude")
    MARRIAGE = "marriage", _("Forced marriage")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    OTHER = "other", _("Other")


def validate_exploitation_forms(value) -> None:
    if not isinstance(value, list) or any(v not in Exploitation.values for v in value):
        raise ValidationError(_("Choose forms of exploitation from the list."))


def new_code() -> str:
    # Random rather than sequential, so a code says nothing about who or when.
    return "V-" + secrets.token_hex(4).upper()


class Victim(models.Model):
    """A person assisted or screened on this node, known outside their caseworkers by `code`."""

    code = models.CharField(_("code"), max_length=16, unique=True, default=new_code)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    contact_notes = EncryptedTextField(_("address and other contacts"), blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    nationality = models.CharField(_("citizenship"), max_length=2, blank=True)
    status = models.CharField(
        _("identification status"), max_length=16, choices=Status.choices, default=Status.POTENTIAL
    )
    # Exploitation codes (several allowed) and the ISO code of the country where it took place.
    exploitation_forms = models.JSONField(
        _("forms of exploitation"),
        default=list,
        blank=True,
        validators=[validate_exploitation_forms],
    )
    exploitation_country = models.CharField(_("country of exploitation"), max_length=2, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    # A victim may be assisted without any criminal case, or linked to one.
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("criminal case"),
    )

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("victim")
        verbose_name_plural = _("victims")

    def __str__(self) -> str:
        return self.code

    @property
    def exploitation_labels(self) -> list[str]:
        labels = dict(Exploitation.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_forms]


class StatusDecision(models.Model):
    """One decision on a victim's identification status, with the authority that took it."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    authority = models.CharField(_("deciding authority"), max_length=255, blank=True)
    decided_on = models.DateField(_("date of decision"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.status}"


class Screening(models.Model):
    """An identification screening: which indicators were observed, and its suggested status."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="screenings")
    indicators = models.JSONField(_("indicators observed"), default=list)
    suggested_status = models.CharField(max_length=16, choices=Status.choices)
    note = EncryptedTextField(_("note"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    screened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-screened_at"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.suggested_status}"


class Consent(models.Model):
    """Informed consent for one purpose; `withdrawn_at` ends it."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # For data sharing: the agency the victim agreed may learn their identity.
    recipient = models.ForeignKey(
        "directory.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency allowed to receive identity"),
    )
    given_on = models.DateField(_("date given"))
    language = models.CharField(_("language of explanation"), max_length=8)
    explained_by = models.CharField(_("explained by"), max_length=255)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class ServiceOffer(models.Model):
    """A service that an agency of the directory provides to victims."""

    provider = models.ForeignKey(
        "directory.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("provider")
    )
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "provider__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "kind"], name="unique_service_offer")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.provider.name_en}"


class Referral(models.Model):
    """An NRM referral of a victim to a service offer, accepted or declined by the provider."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(ServiceOffer, on_delete=models.PROTECT, related_name="referrals")
    reason = EncryptedTextField(_("reason for referral"))
    # Whether the provider may see the victim's name; needs data-sharing consent naming it.
    shares_identity = models.BooleanField(_("share the victim's identity"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    response = EncryptedTextField(_("reasons for the decision"), blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return f"{self.victim_id} → {self.offer_id}: {self.status}"


class ServiceDelivery(models.Model):
    """A service delivered to a victim, with its dates."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="services")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    provider_name = models.CharField(_("provider"), max_length=255)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.kind}"


class Goal(models.Model):
    """A goal of the victim's assistance plan."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="goals")
    text = EncryptedCharField(_("goal"), max_length=500)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    is_achieved = models.BooleanField(_("achieved"), default=False)

    class Meta:
        ordering = ["target_on", "pk"]

    def __str__(self) -> str:
        return self.text


class FollowUp(models.Model):
    """A follow-up of the assistance plan, due on a date, done when `done_at` is set."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due"))
    purpose = EncryptedCharField(_("purpose"), max_length=500)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.due_on}"


class SopStep(models.Model):
    """A step of this node's standard operating procedure, due some days after registration."""

    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("step"), max_length=255)
    due_days = models.PositiveSmallIntegerField(_("days after registration"))
    is_active = models.BooleanField(_("active"), default=True)
    # A best-interest step of the child pathway: listed only for victims who may be under 18.
    for_children = models.BooleanField(_("for children only"), default=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def due_for(self, victim: Victim):
        return (victim.registered_at + timedelta(days=self.due_days)).date()


class SopCompletion(models.Model):
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="sop_done")
    step = models.ForeignKey(SopStep, on_delete=models.CASCADE, related_name="+")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["victim", "step"], name="unique_sop_completion")
        ]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.step_id}"


class RepatriationPlan(models.Model):
    """A return from the destination country to the country of origin, handed over to a service."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="returns")
    from_country = models.CharField(_("from country"), max_length=2)
    to_country = models.CharField(_("to country"), max_length=2)
    receiving_service = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving service in the country of origin"),
    )
    travel_documents = EncryptedCharField(_("travel documents"), max_length=255)
    escort = EncryptedCharField(_("escort"), max_length=255, blank=True)
    reception_point = EncryptedCharField(_("reception at border or airport"), max_length=255)
    shelter_on_arrival = EncryptedCharField(_("shelter on arrival"), max_length=255, blank=True)
    travel_on = models.DateField(_("travel date"))
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-travel_on"]

    def __str__(self) -> str:
        return f"{self.victim_id}: {self.from_country} → {self.to_country}"


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    MESSENGER = "messenger", _("Messenger")
    EMAIL = "email", _("E-mail")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web form")


class CallerType(models.TextChoices):
    PERSON = "person", _("Person concerned")
    RELATIVE = "relative", _("Relative or friend")
    PROFESSIONAL = "professional", _("Professional")
    ANONYMOUS = "anonymous", _("Anonymous")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Outcome(models.TextChoices):
    INFORMATION = "information", _("Information given")
    SCREENING = "screening", _("Screening opened")
    REFERRAL = "referral", _("Referral to a service")
    CASE = "case", _("Passed to law enforcement for a case")
    NONE = "none", _("No further action")


class HotlineCall(models.Model):
    """One call or message to the hotline. What was reported is encrypted: it may name people."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    caller_type = models.CharField(_("caller"), max_length=16, choices=CallerType.choices)
    summary = EncryptedTextField(_("what was reported"))
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    victim = models.ForeignKey(Victim, null=True, blank=True, on_delete=models.SET_NULL)
    # The case a call with the outcome "case" opened at the agency it was passed to.
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.received_at:%Y-%m-%d}"


class OutgoingHandOver(models.Model):
    """A hand-over of a return plan sent as a message to the node of the receiving service.

    Holds which parts travelled, never the body itself; `received_at` is the receiving
    caseworker's acknowledgement, which comes back as a message.
    """

    plan = models.ForeignKey(RepatriationPlan, on_delete=models.CASCADE, related_name="sendings")
    message_id = models.UUIDField(unique=True)
    recipient_node = models.CharField(_("receiving node"), max_length=32)
    has_identity = models.BooleanField(_("identity sent"), default=False)
    has_assistance = models.BooleanField(_("assistance sent"), default=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.plan_id} → {self.recipient_node}"


class IncomingHandOver(models.Model):
    """A returning victim handed over to a service of this node by another node.

    Known by the sender's pseudonymous code; the name (present only when the victim consented
    to share it with the receiving service) and the assistance details are encrypted at rest.
    """

    message_id = models.UUIDField(unique=True)
    from_node = models.CharField(_("sending node"), max_length=32)
    code = models.CharField(_("code"), max_length=16)
    status = models.CharField(_("identification status"), max_length=16, choices=Status.choices)
    receiving_service = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+"
    )
    from_country = models.CharField(_("from country"), max_length=2)
    to_country = models.CharField(_("to country"), max_length=2)
    travel_documents = EncryptedCharField(_("travel documents"), max_length=255)
    escort = EncryptedCharField(_("escort"), max_length=255, blank=True)
    reception_point = EncryptedCharField(_("reception at border or airport"), max_length=255)
    shelter_on_arrival = EncryptedCharField(_("shelter on arrival"), max_length=255, blank=True)
    travel_on = models.DateField(_("travel date"))
    has_identity = models.BooleanField(_("identity received"), default=False)
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    nationality = models.CharField(_("citizenship"), max_length=2, blank=True)
    # JSON of the services and open goals; encrypted because goals are free text about a person.
    assistance = EncryptedTextField(_("assistance"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # This node's own record of the victim, once the receiving service took the case over.
    taken_over_as = models.OneToOneField(
        Victim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taken_over_from",
        verbose_name=_("taken over as"),
    )

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.code} from {self.from_node}"
