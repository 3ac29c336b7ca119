"""Demo victims work for the Istiqbol NGO (all people invented; names generated from lists).

Adds service offers of demo providers (and a fictional Oydin shelter with its own node agency and
user `shelter`), this node's SOP checklist, registered persons with screenings, consent,
referrals, services, plans and a return from the UAE, and hotline calls. Everything is written
through the actions, so it is audited. `load()` is idempotent: each part runs only once.
"""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from tipnet.accounts.actions import do_create_agency as do_create_node_agency
from tipnet.accounts.actions import do_create_user
from tipnet.accounts.demo import DEMO_PASSWORD
from tipnet.accounts.models import Agency as NodeAgency
from tipnet.accounts.models import User
from tipnet.cases.access import case_opening_agencies
from tipnet.directory.actions import do_create_agency
from tipnet.directory.models import Agency, Country

from . import actions
from .indicators import indicator_codes
from .models import HotlineCall, RepatriationPlan, ServiceOffer, SopStep, Victim

SHELTER_NAME = "Oydin women's shelter (fictional NGO)"

# (directory agency English name, service kinds, city)
OFFERS = [
    (SHELTER_NAME, ["shelter", "psychological", "medical"], "Tashkent"),
    (
        "Istiqbol shelter (fictional NGO)",
        ["shelter", "legal_aid", "reintegration", "education"],
        "Tashkent",
    ),
    ("Umut crisis centre (fictional NGO)", ["shelter", "psychological"], "Bishkek"),
    ("Dubai Foundation for Women and Children", ["shelter", "interpretation"], "Dubai"),
    ("UNODC Regional Office for Central Asia", ["financial"], "Tashkent"),
]

# (order, step, days after registration): a typical NRM SOP, configurable per node.
# Stored in English, shown translated (the titles are in this app's catalogue).
SOP = [
    (1, gettext_noop("Immediate needs and safety assessed"), 1),
    (2, gettext_noop("Informed consent explained and recorded"), 2),
    (3, gettext_noop("Identification screening completed"), 3),
    (4, gettext_noop("Referral to shelter or accommodation offered"), 3),
    (5, gettext_noop("Legal aid and reflection period explained"), 7),
    (6, gettext_noop("Individual assistance plan agreed"), 14),
    (7, gettext_noop("First follow-up after 30 days"), 30),
]

# Given names by sex, and surnames in their male form (the female form adds "a"), in Latin and
# in Cyrillic as caseworkers write them, so that a name always matches the person's sex.
GIVEN = {
    "female": [
        *("Gulnora", "Dilnoza", "Malika", "Zarina", "Shahlo", "Madina", "Feruza", "Nilufar"),
        *("Гулнара", "Дильноза", "Умида"),
    ],
    "male": ["Rustam", "Jasur", "Bobur", "Sardor", "Aziz", "Азиз", "Бобур"],
}
SURNAMES = ["Karimov", "Yusupov", "Rakhimov", "Tursunov", "Ergashev", "Nazarov"]
SURNAMES_CYRILLIC = ["Каримов", "Юсупов", "Абдуллаев", "Рахимов"]
SUMMARIES = [
    "Caller's daughter stopped answering after leaving for a job in Dubai; passport held.",
    "Asked whether a job offer for a sewing workshop abroad is real.",
    "Young man says his wages in a construction site were withheld for months.",
    "Neighbour reports a woman kept indoors and not allowed to phone home.",
    "Recruiter demands repayment of travel debt before releasing documents.",
]


def _shelter_directory_agency() -> Agency:
    agency = Agency.objects.filter(name_en=SHELTER_NAME).first()
    if agency is None:
        uz = Country.objects.get(code="UZ")
        data = {"country": uz, "kind": "ngo", "name_en": SHELTER_NAME, "is_fictional": True}
        data |= {"name_ru": "Женский приют «Ойдин» (вымышленная НКО)", "local_language": "uz"}
        name_uz = "«Oydin» ayollar boshpanasi (to‘qima NNT)"
        data |= {"name_uz": name_uz, "name_local": name_uz}
        agency = do_create_agency(None, data)
    return agency


def _shelter_user(directory_agency: Agency) -> int:
    if User.objects.filter(username="shelter").exists():
        return 0
    agency = NodeAgency.objects.filter(code="UZ-OYDIN").first()
    if agency is None:
        agency = do_create_node_agency(None, "UZ-OYDIN", SHELTER_NAME, "UZ")
        # As in the accounts demo: the link to the directory entry is set directly.
        agency.directory_agency = directory_agency
        agency.save(update_fields=["directory_agency"])
    full_name = "Shahnoza Alieva (fictional)"
    do_create_user(None, "shelter", DEMO_PASSWORD, agency, ["caseworker"], full_name)
    return 1


def _offers() -> int:
    created = 0
    for name, kinds, city in OFFERS:
        provider = Agency.objects.filter(name_en=name).first()
        if provider is None:
            continue
        for kind in kinds:
            if not ServiceOffer.objects.filter(provider=provider, kind=kind).exists():
                actions.do_create_offer(None, provider, kind, city)
                created += 1
    return created


def _sop() -> int:
    if SopStep.objects.filter(for_children=False).exists():
        return 0
    for order, title, days in SOP:
        actions.do_create_sop_step(None, order, title, days)
    return len(SOP)


def _consent(user, victim, purpose: str, recipient=None, days_ago: int = 0) -> None:
    data = {"purpose": purpose, "recipient": recipient, "language": "uz"}
    data |= {"given_on": timezone.localdate() - timedelta(days=days_ago)}
    actions.do_give_consent(user, victim, data | {"explained_by": user.display_name()})


def _name(rng: random.Random, sex: str) -> dict[str, str]:
    given = rng.choice(GIVEN[sex])
    cyrillic = given[0] >= "\u0400"  # a Cyrillic given name takes a Cyrillic surname
    family = rng.choice(SURNAMES_CYRILLIC if cyrillic else SURNAMES)
    if sex == "female":
        family += "а" if cyrillic else "a"
    return {"given_name": given, "family_name": family}


def _one_victim(rng: random.Random, user, i: int, offers: list) -> Victim:
    sex = rng.choice(["female", "female", "male"])
    data: dict[str, object] = {"sex": sex, "nationality": "UZ", **_name(rng, sex)}
    data |= {"birth_year": rng.randint(1978, 2006), "phone": f"+99890555{i:04d}"}
    # Registrations and decisions spread over three years, so that yearly counts and durations
    # have a history; a generator of its own keeps the names and the rest as they were.
    dates = random.Random(1000 + i)  # noqa: S311 - reproducible demo data, not a secret
    ago = dates.randint(0, 3 * 365)
    registered = timezone.now() - timedelta(days=ago + dates.randint(0, 60))
    victim = actions.do_register_victim(user, data, registered_at=registered)
    codes = rng.sample(sorted(indicator_codes()), rng.randint(1, 5))
    actions.do_screen(user, victim, codes)
    consented = rng.randint(0, 20)
    if i % 3 == 0:
        rng.randint(0, 3 * 365)  # the draw that dated decisions before, kept for the sequence
        decided = timezone.localdate() - timedelta(days=ago)
        actions.do_decide_status(user, victim, "identified", "MVD of Uzbekistan, Tashkent", decided)
        consented = max(0, ago - rng.randint(0, 5))
    if i % 5 != 4:  # some persons have not consented yet
        _consent(user, victim, "assistance", days_ago=consented)
        offer = offers[i % len(offers)]
        referral = actions.do_refer(user, victim, offer, "Needs accommodation and support.")
        if i % 2 == 0:
            actions.do_decide_referral(None, referral, True, "")
        actions.do_add_goal(user, victim, "Safe accommodation and medical check-up")
        due = timezone.localdate() + timedelta(days=rng.randint(-3, 20))
        actions.do_add_follow_up(user, victim, due, "Check on health and housing")
    return victim


def _victims() -> int:
    user = User.objects.filter(username="caseworker").first()
    if user is None or user.agency_id is None:
        return 0
    if Victim.objects.filter(agency_id=user.agency_id).exists():
        return 0
    rng = random.Random(7)  # noqa: S311 - reproducible demo data, not a secret
    offers = list(ServiceOffer.objects.filter(provider__country_id="UZ"))
    victims = [_one_victim(rng, user, i, offers) for i in range(12)]
    returning = victims[1]
    _consent(user, returning, "return")
    home = Agency.objects.filter(name_en="Istiqbol shelter (fictional NGO)").first()
    plan: dict[str, object] = {"from_country": "AE", "to_country": "UZ", "receiving_service": home}
    plan |= {"travel_documents": "Certificate of return issued by the consulate in Dubai"}
    plan |= {"escort": "IOM escort (fictional)", "reception_point": "Tashkent airport"}
    plan |= {"shelter_on_arrival": "Istiqbol shelter", "travel_on": timezone.localdate()}
    if home is not None:
        actions.do_plan_return(user, returning, plan)
    return len(victims)


def _calls() -> int:
    user = User.objects.filter(username="caseworker").first()
    if user is None or user.agency_id is None:
        return 0
    if HotlineCall.objects.filter(agency_id=user.agency_id).exists():
        return 0
    rng = random.Random(11)  # noqa: S311 - reproducible demo data, not a secret
    police = case_opening_agencies().filter(code="UZ-MVD").first()
    for _ in range(20):
        data = {"channel": rng.choice(["phone", "phone", "messenger", "walk_in", "web"])}
        data |= {"language": rng.choice(["uz", "ru"]), "caller_type": "relative"}
        data |= {"summary": rng.choice(SUMMARIES), "urgency": rng.choice(["routine", "urgent"])}
        data |= {"outcome": rng.choice(["information", "information", "referral", "case", "none"])}
        if data["outcome"] == "case" and police is None:
            data["outcome"] = "information"
        actions.do_log_call(user, data, pass_to=police if data["outcome"] == "case" else None)
    return 20


def load() -> str:
    """Create the demo victims data that is missing; return a one-line summary."""
    shelter = _shelter_directory_agency()
    users = _shelter_user(shelter)
    counts = (_offers(), _sop(), _victims(), _calls())
    if not (users or any(counts)):
        return "already loaded"
    return (
        f"{counts[0]} service offers, {counts[1]} SOP steps, {counts[2]} victims, "
        f"{counts[3]} hotline calls, {users} shelter user created"
    )


# The demo network's hand-over (round 1 on UZ-GPO): a Kyrgyz woman identified in Tashkent goes
# home to the Umut crisis centre in Bishkek, whose caseworker on KG-GPO receives it.
RETURN_SERVICE = "Umut crisis centre (fictional NGO)"


def _plan_return_to_kg(user, service: Agency):
    today = timezone.localdate()
    data: dict[str, object] = {"given_name": "Aigerim", "family_name": "Toktosunova"}
    data |= {"sex": "female"}
    data |= {"birth_year": 1998, "nationality": "KG", "phone": "+996700555012"}
    data |= {"exploitation_forms": ["labour"], "exploitation_country": "UZ"}
    victim = actions.do_register_victim(user, data)
    actions.do_screen(user, victim, sorted(indicator_codes())[:3])
    authority = "MVD of Uzbekistan, Tashkent"
    actions.do_decide_status(user, victim, "identified", authority, today - timedelta(days=20))
    for purpose, days_ago in (("assistance", 21), ("return", 6)):
        _consent(user, victim, purpose, days_ago=days_ago)
    _consent(user, victim, "data_sharing", recipient=service, days_ago=6)
    service_data: dict[str, object] = {"kind": "shelter"}
    service_data |= {"provider_name": "Istiqbol shelter (fictional NGO)"}
    service_data |= {"started_on": today - timedelta(days=20)}
    actions.do_record_service(user, victim, service_data)
    actions.do_add_goal(user, victim, "Vocational training near home in Bishkek")
    plan: dict[str, object] = {
        "from_country": "UZ",
        "to_country": "KG",
        "receiving_service": service,
    }
    plan |= {"travel_documents": "Certificate of return issued by the Kyrgyz consulate in Tashkent"}
    plan |= {"escort": "IOM escort (fictional)", "reception_point": "Manas airport, Bishkek"}
    plan |= {"travel_on": today + timedelta(days=3)}
    return actions.do_plan_return(user, victim, plan)


def network_round(number: int) -> str:
    """Round 1 on UZ-GPO: the caseworker hands a returning victim over to KG (once)."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from .link import do_send_hand_over

    if number != 1 or settings.TIPNET_NODE_COUNTRY != "UZ":
        return ""
    user = User.objects.filter(username="caseworker").first()
    service = Agency.objects.filter(name_en=RETURN_SERVICE).first()
    if user is None or user.agency_id is None or service is None:
        return "skipped: the demo caseworker or the Umut crisis centre is missing"
    plan = RepatriationPlan.objects.filter(
        receiving_service=service, victim__agency_id=user.agency_id
    ).first()
    plan = plan or _plan_return_to_kg(user, service)
    if plan.sendings.exists():
        return "already handed over"
    try:
        sent = do_send_hand_over(user, plan)
    except ValidationError as exc:
        return f"hand-over not sent: {' '.join(exc.messages)}"
    return f"hand-over of {plan.victim.code} sent to {sent.recipient_node}"
