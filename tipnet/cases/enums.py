"""Case vocabularies: codes with translated labels and their mapping to the statistical standards.

The codes follow ../shared/reference/case-management.md, section 8.2 (and DESIGN.md section 5).
Each mapping table gives, per code, the GLOTIP category and the HTCDS value, so exports are
mechanical.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DETECTION = "detection", _("Detection")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    TRIAL = "trial", _("Trial")
    CLOSED = "closed", _("Closed")


# Which stage may follow which. A case may be closed from any open stage (dismissed or
# transferred); it never moves backwards, and a closed case stays closed.
NEXT_STAGES: dict[str, frozenset[str]] = {
    Stage.DETECTION: frozenset({Stage.INVESTIGATION, Stage.CLOSED}),
    Stage.INVESTIGATION: frozenset({Stage.PROSECUTION, Stage.CLOSED}),
    Stage.PROSECUTION: frozenset({Stage.TRIAL, Stage.CLOSED}),
    Stage.TRIAL: frozenset({Stage.CLOSED}),
    Stage.CLOSED: frozenset(),
}


class Outcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")
    DISMISSED = "dismissed", _("Dismissed")
    TRANSFERRED = "transferred", _("Transferred")


# Outcomes a court gives: only a case closed after trial may end with them.
COURT_OUTCOMES = frozenset({Outcome.CONVICTED, Outcome.ACQUITTED})


class Confidentiality(models.TextChoices):
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Forced labour")
    CRIMINALITY = "criminality", _("Forced criminal activity")
    BEGGING = "begging", _("Begging")
    MARRIAGE = "marriage", _("Forced marriage")
    DOMESTIC = "domestic", _("Domestic servitude")
    ORGAN_REMOVAL = "organ_removal", _("Organ removal")
    ADOPTION = "adoption", _("Illegal adoption")
    MIXED = "mixed", _("Mixed")
    OTHER = "other", _("Other")


# code -> (GLOTIP category, HTCDS value); see reference 8.2 table F.
EXPLOITATION_MAPPING: dict[str, tuple[str, str]] = {
    "sexual": ("Sexual exploitation", "SexualExploitation"),
    "labour": ("Forced labour", "ForcedLabour"),
    "criminality": ("Other purposes", "Other"),
    "begging": ("Other purposes", "ForcedBegging"),
    "marriage": ("Other purposes", "ForcedMarriage"),
    "domestic": ("Forced labour", "Servitude"),
    "organ_removal": ("Organ removal", "OrganRemoval"),
    "adoption": ("Other purposes", "ForcedAdoption"),
    "mixed": ("Mixed", "Other"),
    "other": ("Other purposes", "Other"),
}


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated year")


class PersonRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class ChainRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    HARBOURER = "harbourer", _("Harbourer")
    EXPLOITER = "exploiter", _("Exploiter")
    FINANCIER = "financier", _("Financier")
    DOCUMENT_FORGER = "document_forger", _("Document forger")
    OTHER = "other", _("Other")


# code -> HTCDS per_RoleInProcess; see reference 8.2 table RO.
CHAIN_ROLE_HTCDS: dict[str, str] = {
    "organiser": "Other",
    "recruiter": "RecruiterOrIntermediary",
    "transporter": "Transporter",
    "harbourer": "HarbouredIndividual",
    "exploiter": "Exploiter",
    "financier": "Other",
    "document_forger": "Other",
    "other": "Other",
}


class SuspectStatus(models.TextChoices):
    SUSPECTED = "suspected", _("Suspected")
    CHARGED = "charged", _("Charged")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class IdentifierKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National ID")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    SOCIAL = "social", _("Social-media handle")
    BANK_ACCOUNT = "bank_account", _("Bank account or IBAN")
    ADDRESS = "address", _("Address")
    # References only: a node has no connection to Interpol's systems.
    INTERPOL_NOTICE = "interpol_notice", _("Interpol notice")
    INTERPOL_DIFFUSION = "interpol_diffusion", _("Interpol diffusion")


class LegKind(models.TextChoices):
    ORIGIN = "origin", _("Origin")
    TRANSIT = "transit", _("Transit")
    DESTINATION = "destination", _("Destination")


class EventKind(models.TextChoices):
    NOTE = "note", _("Note")
    STAGE = "stage", _("Stage change")
    ARREST = "arrest", _("Arrest")
    SEARCH = "search", _("Search or seizure")
    INTERVIEW = "interview", _("Interview")
    MLA = "mla", _("Mutual legal assistance")
    HEARING = "hearing", _("Hearing")
    VERDICT = "verdict", _("Verdict")


class GrantLevel(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
