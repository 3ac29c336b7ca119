"""TIP cases: the case, the persons in it and their roles, identifiers, route, timeline, documents.

Persons are kept apart from their roles (one person may be a victim in one case and a witness in
another): `Person` holds the names and identifiers, `CasePerson` the role in one case.

A person's names, birth date and identifier values are encrypted at rest with the field key
(tipnet.lib.fieldkey), so a copy of the database names no one. They are found through keys:
identifiers by a keyed hash (HMAC) of their normalised form, names by their phonetic keys, stored
in clear for fuzzy search only while the person has never been a victim, and as keyed hashes
from the moment a person has the victim role (`is_sealed`, which is never cleared).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.sealedfields import EncryptedIntegerField, EncryptedTextField

from .enums import (
    ChainRole,
    Confidentiality,
    DatePrecision,
    EventKind,
    ExploitationForm,
    GrantLevel,
    IdentifierKind,
    LegKind,
    Outcome,
    PersonRole,
    Sex,
    Stage,
    SuspectStatus,
)


class Case(models.Model):
    """A trafficking case owned by one agency of this node."""

    # Such as UZ-MVD-2026-000123: the owning agency's code, the year and a serial per both.
    reference = models.CharField(_("reference"), max_length=80, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField()
    serial = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    offence_articles = models.CharField(_("offence articles"), max_length=200, blank=True)
    # A list of ExploitationForm codes.
    exploitation_forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    # Encrypted: investigators name people in it, and a hotline report's summary lands here.
    summary = EncryptedTextField(_("summary"), blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.CONFIDENTIAL,
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.DETECTION
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "serial"], name="cases_unique_serial_per_agency_year"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "-opened_on", "-id"], name="cases_agency_opened"),
            models.Index(fields=["stage", "-opened_on"], name="cases_stage_opened"),
            # The list filtered by stage: its page and bounded count read this index only.
            models.Index(
                fields=["agency", "stage", "-opened_on", "-id"], name="cases_agency_stage_opened"
            ),
            # The statistics' data version reads the latest change on every dashboard view.
            models.Index(fields=["updated_at"], name="cases_case_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def exploitation_labels(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_forms]


def age_group(birth_year: int | None, recorded_at) -> str:
    """A person's coarse age group in clear: "child" when under 18 in the year of recording."""
    if birth_year is None:
        return ""
    return "child" if birth_year > recorded_at.year - 18 else "adult"


def counted_attributes(person: "Person") -> dict[str, str]:
    """The person's clear attributes the statistics count suspects by, as a role keeps them."""
    first = person.citizenships[0] if person.citizenships else ""
    return {
        "person_sex": person.sex,
        "person_age_group": person.age_group,
        "person_citizenship": str(first)[:2],
    }


# The identifiers that join person rows into one person in the statistics (counted once).
DOCUMENT_KINDS = ("passport", "national_id")


def document_key(person_id: int) -> str:
    """The person row's smallest passport or national ID (its keyed hash), or "" if it has none:
    person rows with the same key are one person in the statistics."""
    documents = Identifier.objects.filter(person_id=person_id, kind__in=DOCUMENT_KINDS)
    return documents.exclude(keyed="").aggregate(key=models.Min("keyed"))["key"] or ""


class Person(models.Model):
    """A person as recorded on this node: names as written, a Latin form, sex, birth date.

    Names and birth date are encrypted at rest; see the module's docstring for how they are found.
    """

    full_name = EncryptedTextField(_("name as written"), max_length=200)
    # Computed on save from full_name (tipnet.cases.names); used for display and ranking.
    latin_name = EncryptedTextField(_("Latin form"), max_length=400, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = EncryptedIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = EncryptedIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = EncryptedIntegerField(_("day of birth"), null=True, blank=True)
    birth_precision = models.CharField(
        _("birth date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    # ISO 3166-1 alpha-2 codes.
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    # Kept in clear on purpose, beside the encrypted birth date, for the statistics' suspects by
    # age group: "child" (under 18 in the year the person was recorded), "adult", or "" when the
    # birth year is not known. Derived on every save, never entered.
    age_group = models.CharField(max_length=8, blank=True, default="", editable=False)
    # Set when the person first has the victim role, and kept: from then on the name keys are
    # keyed hashes, so a role removed later does not put a former victim's keys back in clear.
    is_sealed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # Names are encrypted, so SQL cannot sort by them; lists rank or sort in Python.
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        from .names import latin_form

        self.latin_name = latin_form(self.full_name)
        self.age_group = age_group(self.birth_year, self.created_at)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "latin_name", "age_group"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            # The roles' copies of the clear attributes follow the person (see CasePerson).
            self.case_roles.update(**counted_attributes(self))

    @property
    def birth_display(self) -> str:
        if self.birth_year is None:
            return ""
        if self.birth_day and self.birth_month:
            text = f"{self.birth_year:04d}-{self.birth_month:02d}-{self.birth_day:02d}"
        elif self.birth_month:
            text = f"{self.birth_year:04d}-{self.birth_month:02d}"
        else:
            text = f"{self.birth_year:04d}"
        return f"~{text}" if self.birth_precision == DatePrecision.ESTIMATED else text


class PersonNameKey(models.Model):
    """One search key of a person's name, searched in SQL: a phonetic key per name token, or
    its keyed hash (fieldkey.keyed_hash("name", key)) for a person who is sealed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="cases_unique_person_key")
        ]
        indexes = [models.Index(fields=["key", "person"], name="cases_key_person")]

    def __str__(self) -> str:
        return self.key


class CasePerson(models.Model):
    """The role of a person in one case; for suspects, the role in the chain and the status."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    chain_role = models.CharField(
        _("role in the chain"), max_length=20, choices=ChainRole.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=SuspectStatus.choices, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    # Copies of the person's clear sex, age group and first citizenship (Person.save and this
    # save keep them, in the same transaction), so that the statistics count a period's suspects
    # from the index below alone, without a lookup of each person row.
    person_sex = models.CharField(max_length=8, blank=True, default="", editable=False)
    person_age_group = models.CharField(max_length=8, blank=True, default="", editable=False)
    person_citizenship = models.CharField(max_length=2, blank=True, default="", editable=False)
    # A copy of document_key(person): this save and each save or delete of a document identifier
    # keep it, so that the statistics tell persons apart from the index below alone.
    person_document = models.CharField(
        max_length=64, blank=True, default="", db_default="", editable=False
    )

    class Meta:
        ordering = ["role", "id"]
        # The statistics read a case's suspects from this index alone.
        indexes = [
            models.Index(
                fields=["case"],
                include=[
                    "person",
                    "status",
                    "person_sex",
                    "person_age_group",
                    "person_citizenship",
                    "person_document",
                ],
                condition=models.Q(role="suspect"),
                name="cases_caseperson_suspects",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="cases_unique_person_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"

    def save(self, *args, **kwargs) -> None:
        copies = counted_attributes(self.person)
        copies["person_document"] = document_key(self.person_id)
        for name, value in copies.items():
            setattr(self, name, value)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *copies}
        super().save(*args, **kwargs)


class Identifier(models.Model):
    """A passport, phone, e-mail, handle, account or address of a person, normalised on entry."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type"), max_length=24, choices=IdentifierKind.choices)
    value = EncryptedTextField(_("value as entered"), max_length=300)
    # The form compared: E.164 for phones, upper-case without spaces for documents.
    normalised = EncryptedTextField(max_length=300)
    # The form searched: fieldkey.keyed_hash("identifier", normalised).
    keyed = models.CharField(max_length=64, default="")
    country = models.CharField(_("issuing country"), max_length=2, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["kind", "keyed"], name="cases_identifier_keyed")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs) -> None:
        from .names import identifier_key

        self.keyed = identifier_key(self.normalised)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "keyed"}
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._follow_roles()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            self._follow_roles()
        return deleted

    def _follow_roles(self) -> None:
        # The roles' copy of the person's document key (see CasePerson.person_document); on
        # every write, since a kind changed away from a document changes the key too.
        roles = CasePerson.objects.filter(person_id=self.person_id)
        roles.update(person_document=document_key(self.person_id))


class RouteLeg(models.Model):
    """One country on a case's route, in order: origin, transit or destination."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="route")
    position = models.PositiveSmallIntegerField()
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("type"), max_length=12, choices=LegKind.choices)

    class Meta:
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="cases_unique_leg_position")
        ]
        indexes = [models.Index(fields=["country", "case"], name="cases_leg_country")]

    def __str__(self) -> str:
        return f"{self.position}. {self.country} ({self.kind})"


class CaseEvent(models.Model):
    """A dated event on the case's timeline; stage changes carry the stages before and after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    description = EncryptedTextField(_("description"), blank=True)
    stage_from = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    stage_to = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.kind}"


class Document(models.Model):
    """A file attached to a case. Kept in the database so that an upload is one transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    # Detected from the bytes, never taken from the browser or the extension.
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CaseGrant(models.Model):
    """An explicit grant of one case to another agency or to one user."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="grants")
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_grants",
    )
    level = models.CharField(
        _("level"), max_length=8, choices=GrantLevel.choices, default=GrantLevel.READ
    )
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=True, user__isnull=False)
                | models.Q(agency__isnull=False, user__isnull=True),
                name="cases_grant_agency_or_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} -> {self.agency or self.user} ({self.level})"

    @property
    def expires_on(self):
        """The last day of access, in the node's time zone (a grant ends at the next midnight)."""
        if self.expires_at is None:
            return None
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class CaseTask(models.Model):
    """A piece of work on a case with an assignee and an optional due date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_tasks",
        verbose_name=_("assignee"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", models.F("due_on").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["assignee", "status"], name="cases_task_assignee")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.title}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == TaskStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class ReferenceCounter(models.Model):
    """The last serial used per agency and year, locked while a case reference is issued."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="cases_unique_counter")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"
