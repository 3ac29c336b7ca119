"""MLA vocabularies: codes with translated labels (legal bases, states, channels, grounds)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    UNTOC = "UNTOC", _("UN Convention against Transnational Organized Crime (2000)")
    TIP = "TIP", _("Protocol on Trafficking in Persons (2000)")
    MINSK_1993 = "MINSK_1993", _("Minsk Convention on Legal Assistance (1993)")
    MINSK_1997P = "MINSK_1997P", _("Protocol of 1997 to the Minsk Convention")
    CHISINAU_2002 = "CHISINAU_2002", _("Chisinau Convention on Legal Assistance (2002)")


class PartyStatus(models.TextChoices):
    PARTY = "party", _("Party")
    SIGNATORY = "signatory", _("Signatory, not in force")
    NOT_PARTY = "not_party", _("Not a party")
    UNKNOWN = "unknown", _("Unknown")


class Basis(models.TextChoices):
    """Legal bases a request can rest on; a bilateral treaty is `BILATERAL:<treaty code>`."""

    UNTOC_18 = "UNTOC_18", _("UNTOC, article 18")
    MINSK_1993 = "MINSK_1993", _("Minsk Convention 1993")
    CHISINAU_2002 = "CHISINAU_2002", _("Chisinau Convention 2002")


CIS_BASES = frozenset({Basis.MINSK_1993, Basis.CHISINAU_2002})


class Channel(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Through the central authorities")
    DIRECT_COMPETENT = "direct_competent", _("Directly between competent bodies (notified list)")
    DIPLOMATIC = "diplomatic", _("Through diplomatic channels")
    INTERPOL_URGENT = "interpol_urgent", _("Through Interpol (urgent cases, where agreed)")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned as deficient")
    RECEIVED = "received", _("Received")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    INFO_REQUESTED = "info_requested", _("Additional information requested")
    IN_CONSULTATION = "in_consultation", _("In consultation")
    POSTPONED = "postponed", _("Postponed")
    UNDER_EXECUTION = "under_execution", _("Under execution")
    PARTIALLY_EXECUTED = "partially_executed", _("Partially executed")
    EXECUTED = "executed", _("Executed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


TERMINAL_STATES = frozenset({State.EXECUTED, State.REFUSED, State.WITHDRAWN, State.CLOSED})


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Confidentiality(models.TextChoices):
    REQUIRED = "required", _("Confidentiality of the request and its execution is required")
    NOT_REQUIRED = "not_required", _("Confidentiality is not required")


class Proceedings(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    JUDICIAL = "judicial", _("Judicial proceedings")


class PersonKind(models.TextChoices):
    VICTIM = "victim", _("Victim")
    SUSPECT = "suspect", _("Suspect")
    WITNESS = "witness", _("Witness")
    OTHER = "other", _("Other")


class RefusalGround(models.TextChoices):
    UNTOC_A = "untoc_18_21_a", _("Not made in conformity with article 18 (UNTOC 18(21)(a))")
    UNTOC_B = (
        "untoc_18_21_b",
        _(
            "Prejudice to sovereignty, security, ordre public or other essential interests "
            "(UNTOC 18(21)(b))"
        ),
    )
    UNTOC_C = (
        "untoc_18_21_c",
        _("Prohibited by domestic law for a similar offence (UNTOC 18(21)(c))"),
    )
    UNTOC_D = "untoc_18_21_d", _("Contrary to the legal system relating to MLA (UNTOC 18(21)(d))")
    CIS_SOVEREIGNTY = (
        "cis_sovereignty",
        _("May prejudice sovereignty or security (Minsk art. 19 / Chisinau)"),
    )
    CIS_LEGISLATION = (
        "cis_legislation",
        _("Contrary to the legislation of the requested party (Minsk art. 19 / Chisinau)"),
    )
    TREATY = "treaty", _("A ground of refusal in the bilateral treaty")


# Which refusal grounds each basis offers (bank secrecy is never one: UNTOC 18(8)).
# Keyed by the code (a Basis is its code as a str), as requests store it.
GROUNDS_BY_BASIS: dict[str, tuple[str, ...]] = {
    Basis.UNTOC_18: (
        RefusalGround.UNTOC_A,
        RefusalGround.UNTOC_B,
        RefusalGround.UNTOC_C,
        RefusalGround.UNTOC_D,
    ),
    Basis.MINSK_1993: (RefusalGround.CIS_SOVEREIGNTY, RefusalGround.CIS_LEGISLATION),
    Basis.CHISINAU_2002: (RefusalGround.CIS_SOVEREIGNTY, RefusalGround.CIS_LEGISLATION),
}
BILATERAL_GROUNDS = (RefusalGround.TREATY,)


def grounds_for(basis: str) -> tuple[str, ...]:
    """The refusal-ground codes a request on `basis` may be refused with."""
    if basis.startswith("BILATERAL:"):
        return BILATERAL_GROUNDS
    return tuple(GROUNDS_BY_BASIS.get(basis, ()))
