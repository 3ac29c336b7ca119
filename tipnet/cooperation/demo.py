"""Demo police messages across the three demo nodes (see tipnet/demo_network.py).

* KG-GPO (`load_partner("KG")`): a Kyrgyz case with a recruiter who also works in Tashkent;
  round 1 sends it to UZ-GPO as a spontaneous information marked H2 (no further dissemination).
* UZ-GPO: round 1 sends an information request to AE-MOJ from the demo case of dancers
  recruited for Dubai, with its suspects; AE-MOJ answers it in round 2.
Every step looks for what it made before, so a restart repeats nothing.
"""

from django.conf import settings

from tipnet.accounts.models import User
from tipnet.cases import actions as cases
from tipnet.cases.models import Case

from . import actions
from .models import Direction, Kind, MessageKind, Thread

KG_CASE = "Women recruited in Osh for clubs abroad"
KG_RECRUITER = "Malika Tursunova (fictional)"
KG_PHONE = "+998935550101"
UZ_CASE = "Dancers recruited for Dubai clubs"
AE_ANSWER = (
    "The phone number is registered to a visa agency in Al Barsha, Dubai; its manager is "
    "known to our unit (fictional). We can receive your MLA request for the records."
)


def _investigator() -> User | None:
    return User.objects.filter(username="investigator", is_active=True).first()


def load_partner(country: str) -> str:
    """The Kyrgyz partner's case with the recruiter it tells Tashkent about (idempotent)."""
    officer = _investigator()
    if country != "KG" or officer is None:
        return "nothing to load"
    if Case.objects.filter(title=KG_CASE).exists():
        return "already loaded"
    case = cases.do_create_case(
        officer,
        title=KG_CASE,
        offence_articles="KG CC art. 171",
        summary="Young women recruited in Osh with offers of dancing work (fictional).",
        route=[("KG", "origin"), ("UZ", "transit"), ("AE", "destination")],
    )
    person = cases.do_create_person(
        officer, full_name=KG_RECRUITER, sex="female", citizenships=["UZ"]
    )
    cases.do_add_person_to_case(officer, case, person, "suspect", "recruiter")
    cases.do_add_identifier(officer, person, "phone", KG_PHONE)
    return f"case {case.reference} with a recruiter created"


def network_round(number: int) -> str:
    node = settings.TIPNET_NODE_ID
    if number == 1 and node.startswith("KG-"):
        return _kg_tells_tashkent()
    if number == 1 and node.startswith("UZ-"):
        return _uz_asks_dubai()
    if number == 2 and node.startswith("AE-"):
        return _ae_answers()
    return "nothing to do"


def _kg_tells_tashkent() -> str:
    officer = _investigator()
    case = Case.objects.filter(title=KG_CASE).first()
    if officer is None or case is None:
        return "skipped: no investigator or case"
    if Thread.objects.filter(case=case, counterpart_node="UZ-GPO").exists():
        return "already sent"
    row = case.case_persons.get()
    thread = actions.do_send(
        officer,
        case,
        kind=Kind.SPONTANEOUS,
        recipient="UZ-GPO",
        subject="Recruiter of the Osh case also recruits in Tashkent",
        body="She recruits young women in Osh and Tashkent for clubs abroad (fictional).",
        priority="urgent",
        handling_code="H2",
        person_ids=[row.pk],
        identifier_ids=list(row.person.identifiers.values_list("pk", flat=True)),
    )
    return f"spontaneous information {thread.reference} sent to UZ-GPO (H2)"


def _uz_asks_dubai() -> str:
    police = User.objects.filter(is_active=True, roles__role="investigator")
    case = Case.objects.filter(title=UZ_CASE, agency__users__in=police).order_by("id").first()
    if case is None:
        return "skipped: no demo case of an investigator's agency"
    officer = police.filter(agency=case.agency).order_by("id").first()
    if Thread.objects.filter(case=case, counterpart_node="AE-MOJ").exists():
        return "already sent"
    rows = list(case.case_persons.filter(role="suspect"))
    idents = [i.pk for r in rows for i in r.person.identifiers.all()]
    thread = actions.do_send(
        officer,
        case,
        kind=Kind.REQUEST,
        recipient="AE-MOJ",
        subject="Who holds these phones in Dubai?",
        body="Please tell us who holds these numbers and where the clubs are (fictional).",
        handling_code="H1",
        person_ids=[r.pk for r in rows],
        identifier_ids=idents,
    )
    return f"information request {thread.reference} sent to AE-MOJ"


def _ae_answers() -> str:
    officer = _investigator()
    thread = Thread.objects.filter(direction=Direction.INCOMING, kind=Kind.REQUEST).first()
    if officer is None or thread is None:
        return "skipped: no request from Tashkent"
    if thread.messages.filter(kind=MessageKind.REPLY, direction=Direction.OUTGOING).exists():
        return "already answered"
    actions.do_reply(officer, thread, AE_ANSWER)
    return f"answered {thread.reference}"
