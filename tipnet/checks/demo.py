"""Demo of the checks across borders: one suspect recorded in Tashkent and in Dubai.

The UZ demo gets a suspect written in Cyrillic, "Шухрат Юсупов", in a case on the route to the
UAE; the AE partner node records "Shuhrat Yusupov" (Latin, same birth date) in a case of its
own; KG has no such person. In round 1 of the demo network, Tashkent checks its suspect with
every partner: the UAE answers hit (strong), Kyrgyzstan no hit. All people are fictional.
"""

from django.conf import settings
from django.db import transaction

from tipnet.accounts.models import Agency, User
from tipnet.cases.actions import (
    do_add_person_to_case,
    do_create_case,
    do_create_person,
    do_grant_case,
)
from tipnet.cases.models import Case, CasePerson
from tipnet.cases.validation import PartialDate

from . import actions
from .models import OutgoingCheck

UZ_NAME = "Шухрат Юсупов"
AE_NAME = "Shuhrat Yusupov"
BIRTH = PartialDate(1984, 7, 9, "exact")
UZ_CASE_TITLE = "Dancers recruited for Dubai clubs"
AE_CASE_TITLE = "Club dancers held in Deira"


def _suspect_row(case: Case, name: str) -> CasePerson | None:
    for row in case.case_persons.select_related("person").filter(role="suspect"):
        if row.person.full_name == name:
            return row
    return None


def _add_suspect(actor, case: Case, name: str) -> CasePerson:
    with transaction.atomic():
        person = do_create_person(actor, full_name=name, sex="male", birth=BIRTH)
        return do_add_person_to_case(actor, case, person, "suspect", "recruiter", "suspected")


def _uz_case() -> Case | None:
    return Case.objects.filter(title=UZ_CASE_TITLE, agency__code="UZ-MVD").order_by("id").first()


def load() -> str:
    """Give the first UZ demo case to Dubai a suspect in Cyrillic (idempotent), and share the
    case with the supervising prosecutor's office, who drafts the MLA request a hit calls for."""
    case, actor = _uz_case(), User.objects.filter(username="investigator").first()
    if case is None or actor is None:
        return "skipped: the demo cases are missing"
    if _suspect_row(case, UZ_NAME):
        return "already loaded"
    with transaction.atomic():
        _add_suspect(actor, case, UZ_NAME)
        prosecutors = Agency.objects.filter(code="UZ-GPO").first()
        if prosecutors is not None:
            do_grant_case(
                actor,
                case,
                agency=prosecutors,
                reason="Procedural supervision; requests for legal assistance to the UAE",
            )
    return f"suspect {UZ_NAME} added to {case.reference} for the checks demo"


def load_partner(country: str) -> str:
    """On the AE node, a case with the same suspect in Latin spelling; nothing elsewhere."""
    if country != "AE":
        return "no checks demo data"
    actor = User.objects.filter(username="investigator").first()
    if actor is None:
        return "skipped: the partner's investigator is missing"
    case = Case.objects.filter(title=AE_CASE_TITLE).first()
    if case is None:
        case = do_create_case(
            actor,
            title=AE_CASE_TITLE,
            summary="Women recruited in Tashkent as dancers were held in Deira (fictional).",
            route=[("UZ", "origin"), ("AE", "destination")],
        )
    if _suspect_row(case, AE_NAME):
        return "already loaded"
    _add_suspect(actor, case, AE_NAME)
    return f"suspect {AE_NAME} recorded in {case.reference}"


def network_round(number: int) -> str:
    """Round 1 on UZ: check the Cyrillic suspect with every partner node (once)."""
    if number != 1 or settings.TIPNET_NODE_COUNTRY != "UZ":
        return ""
    case, actor = _uz_case(), User.objects.filter(username="investigator").first()
    row = _suspect_row(case, UZ_NAME) if case else None
    if case is None or row is None or actor is None:
        return "skipped: the checks demo suspect is missing"
    if OutgoingCheck.objects.filter(case=case, person=row.person).exists():
        return "already checked"
    made = actions.do_check(actor, case, [row], [actions.ALL_NODES], "untoc_27")
    return f"{UZ_NAME} checked with {', '.join(c.node for c in made)}"
