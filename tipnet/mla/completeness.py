"""Completeness of a draft request: the essential elements of each wizard step.

A step cannot be left with one of its essential elements missing; `final_check` enforces all
of them together, which cover UNTOC art. 18(15) and, under Minsk or Chisinau, art. 7 (case
number, full personal data of the persons concerned, a statement on confidentiality).
"""

from dataclasses import dataclass

from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Urgency
from .measures import MEASURES, StrOrPromise, missing_fields

STEPS = (
    ("authority", _("Requesting authority and case")),
    ("state", _("Requested state")),
    ("basis", _("Legal basis")),
    ("urgency", _("Urgency, deadline and confidentiality")),
    ("facts", _("Facts and offences")),
    ("assistance", _("Assistance sought")),
    ("persons", _("Persons concerned")),
    ("procedures", _("Procedures, contact and assurances")),
    ("check", _("Completeness check")),
)
STEP_NAMES = [name for name, _label in STEPS]

# Personal data each basis requires of every person concerned.
UNTOC_PERSON = ("full_name",)
CHISINAU_PERSON = (
    "full_name",
    "birth_date",
    "birth_place",
    "residence",
    "citizenship",
    "occupation",
)
MINSK_PERSON = (*CHISINAU_PERSON, "parents_names")


@dataclass(frozen=True)
class Gap:
    step: str
    field: str
    message: StrOrPromise


def _blank(value) -> bool:
    return not str(value or "").strip()


def _authority(req) -> list[Gap]:
    gaps = [
        Gap("authority", f, m)
        for f, m in (
            ("requesting_authority", _("Name the requesting authority (18(15)(a)).")),
            (
                "conducting_authority",
                _("Name the authority conducting the proceedings and its functions (18(15)(b))."),
            ),
            (
                "proceedings",
                _(
                    "Say whether this is an investigation, a prosecution or judicial "
                    "proceedings (18(15)(b))."
                ),
            ),
            ("subject", _("Describe the subject matter of the proceedings (18(15)(b)).")),
        )
        if _blank(getattr(req, f))
    ]
    if req.is_cis_basis and _blank(req.case_number):
        gaps.append(Gap("authority", "case_number", _("The case number is required (art. 7).")))
    return gaps


def _state(req, resolution) -> list[Gap]:
    if _blank(req.requested_state):
        return [Gap("state", "requested_state", _("Choose the requested state."))]
    if resolution is None or resolution.central_authority is None:
        return [
            Gap(
                "state",
                "requested_state",
                _(
                    "No central authority is known for this state; "
                    "it must be added to the treaty data first."
                ),
            )
        ]
    return []


def _basis(req, resolution) -> list[Gap]:
    if resolution is None or req.legal_basis not in resolution.codes:
        return [Gap("basis", "legal_basis", _("Choose a legal basis that this pair supports."))]
    return []


def _urgency(req) -> list[Gap]:
    gaps = []
    if req.urgency != Urgency.ROUTINE and req.deadline is None:
        gaps.append(Gap("urgency", "deadline", _("An urgent request needs a deadline.")))
    if req.deadline is not None and _blank(req.deadline_reason):
        gaps.append(
            Gap("urgency", "deadline_reason", _("Give the reason for the deadline (18(24))."))
        )
    if req.deadline is not None and req.deadline < timezone.localdate():
        gaps.append(Gap("urgency", "deadline", _("The deadline is in the past.")))
    if req.is_cis_basis and _blank(req.confidentiality):
        gaps.append(
            Gap(
                "urgency",
                "confidentiality",
                _("State whether confidentiality is required (art. 7)."),
            )
        )
    return gaps


def _facts(req) -> list[Gap]:
    return [
        Gap("facts", f, m)
        for f, m in (
            ("facts", _("Summarise the relevant facts (18(15)(c)).")),
            ("offences", _("Name the offences and their legal qualification.")),
            ("purpose", _("Say for what purpose the evidence or action is sought (18(15)(f)).")),
        )
        if _blank(getattr(req, f))
    ]


def _assistance(req) -> list[Gap]:
    measures = list(req.measures.all())
    if not measures:
        return [
            Gap("assistance", "measures", _("Add at least one measure of assistance (18(15)(d))."))
        ]
    gaps = []
    for m in measures:
        for name in missing_fields(m.kind, m.fields):
            label = next(f.label for f in MEASURES[m.kind].fields if f.name == name)
            gaps.append(Gap("assistance", f"{m.kind}.{name}", f"{MEASURES[m.kind].label}: {label}"))
    return gaps


def person_fields(req) -> tuple[str, ...]:
    """The personal data each person concerned must have under the request's basis."""
    if req.legal_basis == "MINSK_1993":
        return MINSK_PERSON
    if req.legal_basis == "CHISINAU_2002":
        return CHISINAU_PERSON
    return UNTOC_PERSON


def _persons(req) -> list[Gap]:
    from .models import MlaPerson

    persons = list(req.persons.all())
    if not persons and req.is_cis_basis:
        return [Gap("persons", "persons", _("Name the persons concerned (art. 7)."))]
    gaps = []
    # A person is named by number and role, never by name: gaps reach drafters who may not see
    # a victim's identity (access.may_see_identities).
    for number, person in enumerate(persons, 1):
        for name in person_fields(req):
            if _blank(getattr(person, name)):
                field = MlaPerson._meta.get_field(name)
                assert isinstance(field, Field)  # person_fields names fields, not relations
                label = field.verbose_name
                who = f"{number}. {person.get_kind_display()}"
                gaps.append(Gap("persons", name, f"{who}: {label}"))
    return gaps


def _procedures(req) -> list[Gap]:
    gaps = []
    if _blank(req.contact_name) or _blank(req.contact_email):
        gaps.append(Gap("procedures", "contact_name", _("Give a contact person with an e-mail.")))
    if _blank(req.signatory):
        gaps.append(Gap("procedures", "signatory", _("Name who signs the letter.")))
    if req.confidentiality == "required" and _blank(req.assurances):
        gaps.append(
            Gap(
                "procedures",
                "assurances",
                _("Say which assurances of confidentiality and speciality are given."),
            )
        )
    return gaps


def gaps_for(req, step: str, resolution=None) -> list[Gap]:
    """The missing essential elements of one wizard step."""
    checks = {
        "authority": lambda: _authority(req),
        "state": lambda: _state(req, resolution),
        "basis": lambda: _basis(req, resolution),
        "urgency": lambda: _urgency(req),
        "facts": lambda: _facts(req),
        "assistance": lambda: _assistance(req),
        "persons": lambda: _persons(req),
        "procedures": lambda: _procedures(req),
        "check": lambda: final_check(req, resolution),
    }
    return checks[step]()


def final_check(req, resolution=None) -> list[Gap]:
    """Every missing element of the whole request (all steps before the check)."""
    gaps = []
    for step in STEP_NAMES[:-1]:
        gaps += gaps_for(req, step, resolution)
    return gaps
