"""The demo's parallel investigation UZ <-> AE of one chain (fictional people).

Recruiter and transporter in Uzbekistan (the UZ demo case "Dancers recruited for Dubai clubs"),
the exploiter in Dubai (an AE case made by `load_partner("AE")`), the victims returned home.
Round 1 on UZ-GPO: the prosecutor proposes and signs. Round 2 on AE-MOJ: the prosecutor attaches
the Dubai case and signs. Round 3 on both: the agreement is in force; each shares its suspects,
Tashkent adds the return of the victims to the action plan and Dubai logs an evidence item.
Every step finds what it made before and does nothing the second time.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from tipnet.accounts.models import User
from tipnet.cases import actions as cases
from tipnet.cases.models import Case

from . import actions
from .enums import ItemKind, Kind
from .models import Agreement

UZ_CASE = "Dancers recruited for Dubai clubs"
AE_CASE = "Dubai club exploiting Uzbek dancers"
TITLE = "Dancers recruited in Tashkent for Dubai clubs: parallel investigation"
AE_EXPLOITER = ("Saeed Rahimi (fictional)", "Blue A-2291/3-2026")
UZ_RECRUITER_NOTICE = "Red A-1187/4-2026"


def load_partner(country: str) -> str:
    """On AE-MOJ: the Dubai case with the exploiter (once)."""
    if country != "AE":
        return ""
    if Case.objects.filter(title=AE_CASE).exists():
        return "already loaded"
    actor = User.objects.filter(username="investigator").first()
    if actor is None:
        return "skipped: the demo investigator is missing"
    case = cases.do_create_case(
        actor,
        title=AE_CASE,
        offence_articles="Federal Decree-Law No. 24 of 2023 on combating human trafficking",
        exploitation_forms=["sexual"],
        summary="Women from Uzbekistan held in a Dubai club; passports taken. (Fictional.)",
        route=[("UZ", "origin"), ("AE", "destination")],
    )
    name, notice = AE_EXPLOITER
    exploiter = cases.do_create_person(actor, full_name=name, sex="male", citizenships=["AE"])
    cases.do_add_identifier(actor, exploiter, "interpol_notice", notice)
    cases.do_add_person_to_case(actor, case, exploiter, "suspect", "exploiter", "charged")
    return f"the Dubai case {case.reference} created"


def _uz_case():
    case = Case.objects.filter(title=UZ_CASE, route__country="AE").order_by("id").first()
    if case is None:
        return None
    suspects = list(case.case_persons.filter(role="suspect").select_related("person"))
    while len(suspects) < 2:  # the chain needs a recruiter and a transporter
        person = cases.do_create_person(None, full_name="Shavkat Murodov (fictional)", sex="male")
        suspects.append(cases.do_add_person_to_case(None, case, person, "suspect", "transporter"))
    for row, role in zip(suspects, ("recruiter", "transporter"), strict=False):
        if row.chain_role != role:
            cases.do_update_case_person(None, row, role, row.status or "suspected")
    recruiter = suspects[0].person
    if not recruiter.identifiers.filter(kind="interpol_notice").exists():
        cases.do_add_identifier(None, recruiter, "interpol_notice", UZ_RECRUITER_NOTICE)
    return case


def _propose() -> str:
    prosecutor = User.objects.filter(username="prosecutor").first()
    case = _uz_case()
    if prosecutor is None or case is None:
        return "skipped: the demo prosecutor or the Dubai clubs case is missing"
    today = timezone.localdate()
    members = list(User.objects.filter(username__in=["investigator", "central"]))
    agreement = actions.do_propose(
        prosecutor,
        case,
        kind=Kind.PARALLEL,
        title=TITLE,
        purpose="Convict the whole chain: the recruiter and the transporter in Uzbekistan, the "
        "exploiter in Dubai; each country keeps its own case.",
        period_start=today,
        period_end=today + timedelta(days=365),
        partners=[actions.party("AE-MOJ", "AE", "AE-MOJ", "Khalid Al Mansoori (fictional)")],
        governing_law="Each party gathers evidence under its own law; evidence for court is "
        "requested through MLA under UNTOC art. 18.",
        confidentiality="Used only for this investigation; no further dissemination without the "
        "sharing party's consent.",
        victim_support="Dubai identifies and shelters the victims; Tashkent receives them home "
        "(Istiqbol shelter, fictional).",
        costs="Each party bears its own costs.",
        leader="Nodira Yusupova (fictional)",
        member_users=members,
    )
    actions.do_sign(prosecutor, agreement)
    return "parallel investigation proposed to AE-MOJ and signed for UZ-GPO"


def _sign_in_dubai(agreement) -> str:
    prosecutor = User.objects.filter(username="prosecutor").first()
    if prosecutor is None:
        return "skipped: the demo prosecutor is missing"
    if agreement.case is None:
        case = Case.objects.filter(title=AE_CASE).first()
        if case is not None:
            actions.do_attach_case(prosecutor, agreement, case)
    if agreement.signatures.filter(node=settings.TIPNET_NODE_ID).exists():
        return "already signed"
    actions.do_sign(prosecutor, agreement)
    return "parallel investigation signed for AE-MOJ"


def _share(agreement) -> str:
    prosecutor = User.objects.filter(username="prosecutor").first()
    if prosecutor is None or agreement.case is None:
        return "skipped: no prosecutor or no case of this node"
    shared = 0
    for row in agreement.case.case_persons.filter(role="suspect"):
        if not agreement.items.filter(source=row).exists():
            actions.do_share_person(prosecutor, agreement, row)
            shared += 1
    mine = agreement.items.filter(owner_node=settings.TIPNET_NODE_ID)
    if settings.TIPNET_NODE_COUNTRY == "UZ" and not mine.filter(kind=ItemKind.TASK).exists():
        actions.do_add_task(
            prosecutor,
            agreement,
            "Coordinate the return of the three victims with the Istiqbol shelter",
            "Malika Tursunova (fictional)",
            timezone.localdate() + timedelta(days=14),
        )
        actions.do_mark_step(prosecutor, agreement, "UZ-AE", "first_contact", True)
    if settings.TIPNET_NODE_COUNTRY == "AE" and not mine.filter(kind=ItemKind.EVIDENCE).exists():
        actions.do_log_evidence(
            prosecutor,
            agreement,
            "Club payroll ledger, scanned (fictional)",
            "9f2c" * 16,
            "Dubai Police, Department of Human Rights Care",
            timezone.localdate(),
        )
        actions.do_mark_step(prosecutor, agreement, "UZ-AE", "victims", True)
    if not shared:
        return "already shared"
    return f"{shared} suspect{'s' if shared > 1 else ''} shared in the chain"


def network_round(number: int) -> str:
    """The parallel investigation's step in round `number` on this node (see the docstring)."""
    country = settings.TIPNET_NODE_COUNTRY
    agreement = Agreement.objects.filter(title=TITLE).first()
    if number == 1 and country == "UZ":
        return "already proposed" if agreement else _propose()
    if number == 2 and country == "AE":
        return _sign_in_dubai(agreement) if agreement else "the proposal has not arrived"
    if number == 3 and country in ("UZ", "AE") and agreement is not None:
        if not agreement.is_sharing:
            return "the agreement is not in force here yet"
        return _share(agreement)
    return ""
