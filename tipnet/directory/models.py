"""The network-wide directory: countries, agencies, contact points, networks, guides, events."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .countries import language_name
from .search import search_text
from .validators import (
    validate_e164,
    validate_language_codes,
    validate_multiline,
    validate_single_line,
)

ONE_LINE = [validate_single_line]


def _in_language(obj, field: str) -> str:
    lang = (get_language() or "en")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_en")


class Country(models.Model):
    """An ISO 3166-1 country (loaded from pycountry) with its names in the UI languages."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(max_length=3, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=128)
    name_ru = models.CharField(_("name (Russian)"), max_length=128, blank=True)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=128, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en


class AgencyType(models.TextChoices):
    POLICE = "police", _("Police")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    MINISTRY = "ministry", _("Ministry")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")


class Agency(models.Model):
    """An agency anywhere in the network, named in English, Russian, Uzbek and its local language.

    The Uzbek (Latin) name is the one the node's Uzbek readers see; for an Uzbek agency it is
    usually its local name too.
    """

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="agencies")
    kind = models.CharField(_("type"), max_length=32, choices=AgencyType.choices)
    name_en = models.CharField(_("name (English)"), max_length=255, validators=ONE_LINE)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, validators=ONE_LINE, blank=True)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=255, validators=ONE_LINE, blank=True)
    name_local = models.CharField(
        _("name (local language)"), max_length=255, validators=ONE_LINE, blank=True
    )
    local_language = models.CharField(_("local language"), max_length=3, blank=True)
    # The region or city the agency serves; blank for a national agency (the executing-authority
    # finder prefers a local one and falls back to the national one).
    region = models.CharField(_("region or city"), max_length=128, blank=True, validators=ONE_LINE)
    # The tipnet node this agency runs, such as UZ-GPO, when it runs one.
    node_id = models.CharField(_("node id"), max_length=64, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    # All the names case-folded and in their Latin spellings (directory/search.py), kept by
    # the actions: SQLite folds only ASCII case in LIKE, so searching Cyrillic names needs a
    # pre-folded column to behave as on PostgreSQL.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["country_id", "name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["node_id"], condition=~models.Q(node_id=""), name="unique_agency_node_id"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        if lang == "ru" and self.name_ru:
            return self.name_ru
        if lang == "uz" and self.name_uz:
            return self.name_uz
        if lang == self.local_language and self.name_local:
            return self.name_local
        return self.name_en

    def fold_names(self) -> None:
        """Refresh `search_text` from the names."""
        self.search_text = search_text(self.name_en, self.name_ru, self.name_uz, self.name_local)


class ContactPoint(models.Model):
    """A named person to call at an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="contact_points")
    name = models.CharField(_("name"), max_length=255, validators=ONE_LINE)
    position = models.CharField(_("position"), max_length=255, blank=True, validators=ONE_LINE)
    # ISO 639-1 codes of the languages the person speaks, such as ["uz", "ru", "en"].
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_language_codes]
    )
    phone = models.CharField(
        _("phone (E.164)"), max_length=32, blank=True, validators=[validate_e164]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_24_7 = models.BooleanField(_("available 24/7"), default=False)
    is_fictional = models.BooleanField(_("fictional (demo data)"), default=False)
    # The day someone confirmed the details still reach this person ("verified today").
    verified_on = models.DateField(_("last verified"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["agency__country_id", "name"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return self.name

    @property
    def language_names(self) -> list[str]:
        """The languages spoken, named in the reader's language."""
        return [language_name(code) for code in self.languages]

    def fold_names(self) -> None:
        """Refresh `search_text` from the name, position and e-mail."""
        self.search_text = search_text(self.name, self.position, self.email)


class PractitionerNetwork(models.Model):
    """A practitioners' network such as CASC or SEAJust."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255, validators=ONE_LINE)
    name_ru = models.CharField(_("name (Russian)"), max_length=255, validators=ONE_LINE, blank=True)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=255, validators=ONE_LINE, blank=True)
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[validate_multiline]
    )
    description_ru = models.TextField(
        _("description (Russian)"), blank=True, validators=[validate_multiline]
    )
    description_uz = models.TextField(
        _("description (Uzbek)"), blank=True, validators=[validate_multiline]
    )
    secretariat = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_informal = models.BooleanField(_("informal"), default=False)
    agencies = models.ManyToManyField(Agency, through="NetworkMembership", related_name="networks")

    class Meta:
        ordering = ["code"]
        verbose_name = _("practitioners' network")
        verbose_name_plural = _("practitioners' networks")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name's first part, for tables: "CASC" of "CASC — Judicial Cooperation ..."."""
        return self.name.split(" — ", 1)[0]

    @property
    def name(self) -> str:
        """The name in the reader's language, English where it has none."""
        return _in_language(self, "name")

    @property
    def description(self) -> str:
        """The description in the reader's language, English where it has none."""
        return _in_language(self, "description")


class NetworkMembership(models.Model):
    network = models.ForeignKey(PractitionerNetwork, on_delete=models.CASCADE)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    # The agency's contact point for this network, if named.
    contact_point = models.ForeignKey(
        ContactPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "agency"], name="unique_network_member")
        ]

    def __str__(self) -> str:
        return f"{self.network_id}: {self.agency_id}"


class CountryGuide(models.Model):
    """How to send a request to a country: its MLA central authority, languages and channels."""

    country = models.OneToOneField(Country, on_delete=models.CASCADE, related_name="guide")
    central_authority = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # ISO 639-1 codes of languages accepted for incoming requests.
    accepted_languages = models.JSONField(
        _("accepted languages"), default=list, blank=True, validators=[validate_language_codes]
    )

    class Meta:
        verbose_name = _("country guide")
        verbose_name_plural = _("country guides")

    def __str__(self) -> str:
        return str(self.country)


class GuideTopic(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    LANGUAGES = "languages", _("Languages")
    CHANNELS = "channels", _("Channels")
    LEGAL_BASES = "legal_bases", _("Legal bases")
    REQUIREMENTS = "requirements", _("Requirements")


class GuideEntry(models.Model):
    """One fact of a country guide, always with its source."""

    guide = models.ForeignKey(CountryGuide, on_delete=models.CASCADE, related_name="entries")
    topic = models.CharField(_("topic"), max_length=32, choices=GuideTopic.choices)
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=500)
    is_verified = models.BooleanField(_("verified"), default=False)

    class Meta:
        ordering = ["guide_id", "topic", "id"]
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")

    def __str__(self) -> str:
        return f"{self.guide}: {self.get_topic_display()}"


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    STUDY_VISIT = "study_visit", _("Study visit")
    TRAINING = "training", _("Training")
    FORUM = "forum", _("Forum")


class Event(models.Model):
    """A workshop, study visit, training or forum, with its participants and follow-ups."""

    kind = models.CharField(_("type"), max_length=32, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=255, validators=ONE_LINE)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="events")
    city = models.CharField(_("city"), max_length=128, blank=True, validators=ONE_LINE)
    organiser = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="organised_events"
    )
    network = models.ForeignKey(
        PractitionerNetwork, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    participants = models.ManyToManyField(
        ContactPoint, through="EventParticipant", related_name="events"
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    contact_point = models.ForeignKey(ContactPoint, on_delete=models.CASCADE)
    role = models.CharField(_("role at the event"), max_length=128, blank=True, validators=ONE_LINE)

    class Meta:
        ordering = ["contact_point__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "contact_point"], name="unique_participant")
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.contact_point_id}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class FollowUp(models.Model):
    """Something agreed at an event, with the person who owns it and when it is due."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_up_items")
    text = models.CharField(_("follow-up"), max_length=500, validators=ONE_LINE)
    owner = models.ForeignKey(
        ContactPoint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return self.text

    @property
    def is_closed(self) -> bool:
        return self.status in (FollowUpStatus.DONE, FollowUpStatus.DROPPED)


class EventMaterial(models.Model):
    """A file from an event (agenda, slides, report), stored in the database like a case's
    documents, so that an upload is one transaction."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE)
    filename = models.CharField(_("file name"), max_length=200)
    # Detected from the bytes, never taken from the browser or the extension.
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class OutcomeKind(models.TextChoices):
    CASE = "case", _("Case")
    MLA = "mla", _("MLA request")
    JIT = "jit", _("Joint investigation agreement")


class EventOutcome(models.Model):
    """A case, MLA request or joint-investigation agreement an event produced, by reference.

    Only the id is kept: each reader sees the ones their own access to that record allows."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="produced")
    kind = models.CharField(_("record"), max_length=8, choices=OutcomeKind.choices)
    object_id = models.PositiveIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "object_id"], name="unique_event_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.kind} {self.object_id}"
