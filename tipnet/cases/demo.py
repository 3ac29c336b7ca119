"""Seeded demo cases: fictional people on the region's routes, in both scripts.

Names are drawn from lists of common given names and surnames, written in Cyrillic or in one
of several Latin spellings, so search has real variation to work through. A pool of network
members and phones recurs across cases, so the network view has links to show. Every write
goes through the do_* actions.
"""

import random
from datetime import timedelta

from django.utils import timezone

from tipnet.accounts.models import Agency, User

from . import actions
from .models import Case
from .validation import PartialDate

DEMO_MARK = "Synthetic demo case."
CASES = 200
SEED = 2026

# (Cyrillic, Latin spellings); the first Latin spelling is the most common.
GIVEN_F = [
    ("Гулнора", ["Gulnora", "Gulnara"]),
    ("Дилноза", ["Dilnoza", "Dilnaza"]),
    ("Малика", ["Malika"]),
    ("Зарина", ["Zarina", "Zareena"]),
    ("Нигора", ["Nigora", "Nigara"]),
    ("Айгерим", ["Aigerim", "Aygerim"]),
    ("Мадина", ["Madina"]),
    ("Феруза", ["Feruza", "Firuza"]),
]
GIVEN_M = [
    ("Шухрат", ["Shukhrat", "Shuhrat", "Shuxrat"]),
    ("Бахтиёр", ["Bakhtiyor", "Bakhtiyar", "Baxtiyor"]),
    ("Рустам", ["Rustam"]),
    ("Тимур", ["Timur", "Temur"]),
    ("Жасур", ["Jasur", "Zhasur"]),
    ("Улугбек", ["Ulugbek", "Ulughbek"]),
    ("Фаррух", ["Farrukh", "Farruh", "Farrux"]),
    ("Азамат", ["Azamat"]),
]
SURNAMES = [
    ("Каримов", ["Karimov"]),
    ("Юсупов", ["Yusupov", "Iusupov", "Yusupow"]),
    ("Рахимов", ["Rakhimov", "Rahimov", "Raximov"]),
    ("Ходжаев", ["Khodjaev", "Khodzhaev", "Xojayev"]),
    ("Турсунов", ["Tursunov"]),
    ("Носиров", ["Nosirov", "Nasirov"]),
    ("Саидов", ["Saidov", "Sayidov"]),
    ("Алимов", ["Alimov"]),
    ("Абдуллаев", ["Abdullaev", "Abdullayev"]),
    ("Эргашев", ["Ergashev", "Ergashov"]),
]

# (route, exploitation forms, title, phone region of the suspects)
ROUTES = [
    (["UZ", "KZ", "RU"], ["labour"], "Construction workers recruited for Moscow", "UZ"),
    (["UZ", "KZ", "RU"], ["labour", "domestic"], "Domestic workers held near Almaty", "KZ"),
    (["KG", "TR"], ["sexual"], "Women recruited for Antalya hotels", "KG"),
    (["KG", "TR"], ["labour"], "Textile workshop in Istanbul", "TR"),
    (["UZ", "AE"], ["sexual"], "Dancers recruited for Dubai clubs", "AE"),
    (["UZ", "AE"], ["domestic"], "Housemaids whose passports were taken", "AE"),
    (["TJ", "TH"], ["criminality"], "Scam compound workers lured by IT jobs", "TH"),
    (["TJ", "UZ", "TH"], ["criminality", "labour"], "Call-centre fraud workers", "TJ"),
]

CHAIN = ["recruiter", "transporter", "harbourer", "exploiter", "organiser", "financier"]
PHONE_FORMATS = {
    "UZ": "+99890{:07d}",
    "KZ": "+7701{:07d}",
    "KG": "+996555{:06d}",
    "TR": "+90532{:07d}",
    "AE": "+97150{:07d}",
    "TH": "+6681{:07d}",
    "TJ": "+99293{:07d}",
}


# Tasks the demo gives the investigator on some open cases of their agency.
TASKS = (
    "Request the bus company's passenger lists",
    "Interview the hostel administrator",
    "Ask the bank for the account statements",
    "Obtain the border crossing records",
    "Check the recruitment advertisement's phone",
)


def _name(rng: random.Random, female: bool) -> str:
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.4:
        suffix = "а" if female else ""
        return f"{given[0]} {surname[0]}{suffix}"
    suffix = "a" if female else ""
    text = f"{rng.choice(given[1])} {rng.choice(surname[1])}{suffix}"
    return text.upper() if rng.random() < 0.1 else text


def _phone(rng: random.Random, region: str) -> str:
    return PHONE_FORMATS[region].format(rng.randrange(10**5, 10**6))


class _Generator:
    def __init__(self, actor, agencies):
        # Seeded on purpose: the same demo every time; nothing secret is drawn from it.
        self.rng = random.Random(SEED)  # noqa: S311
        self.actor, self.agencies = actor, agencies
        self.today = timezone.localdate()
        self.task_rng = random.Random(SEED + 1)  # noqa: S311
        self.tasks_left = 6  # an officer's handful of open tasks, not one per case
        # Network members who recur across cases, and phones several suspects share.
        self.network: list = []
        self.shared_phones = [_phone(self.rng, r[3]) for r in ROUTES for _i in range(3)]

    def person(self, female: bool, birth_year: int):
        precision = self.rng.choice(["year", "estimated", "exact"])
        birth = PartialDate(birth_year, None, None, precision)
        if precision == "exact":
            birth = PartialDate(
                birth_year, self.rng.randint(1, 12), self.rng.randint(1, 28), "exact"
            )
        return actions.do_create_person(
            self.actor,
            full_name=_name(self.rng, female),
            sex="female" if female else "male",
            birth=birth,
            citizenships=[self.route[0]],
        )

    def suspect(self, case, region: str) -> None:
        if self.network and self.rng.random() < 0.3:
            person = self.rng.choice(self.network)
        else:
            person = self.person(self.rng.random() < 0.3, self.rng.randint(1965, 1998))
            if self.rng.random() < 0.3:
                self.network.append(person)
            phone = (
                self.rng.choice(self.shared_phones)
                if self.rng.random() < 0.25
                else _phone(self.rng, region)
            )
            actions.do_add_identifier(self.actor, person, "phone", phone)
        if not case.case_persons.filter(person=person).exists():
            status = self.rng.choice(["suspected", "charged"])
            actions.do_add_person_to_case(
                self.actor, case, person, "suspect", self.rng.choice(CHAIN), status
            )

    def case(self, index: int) -> None:
        route, forms, title, region = ROUTES[index % len(ROUTES)]
        self.route = route
        opened = self.today - timedelta(days=self.rng.randint(30, 3 * 365))
        kinds = ["origin"] + ["transit"] * (len(route) - 2) + ["destination"]
        case = actions.do_create_case(
            self.actor,
            agency=self.agencies[index % 5 == 4],
            title=title,
            offence_articles="UZ CC art. 135",
            exploitation_forms=forms,
            summary=f"{title}. {DEMO_MARK}",
            opened_on=opened,
            route=list(zip(route, kinds, strict=True)),
        )
        for _i in range(self.rng.randint(1, 3)):
            victim = self.person(forms != ["labour"] or self.rng.random() < 0.3, 1985 + _i * 5)
            actions.do_add_person_to_case(self.actor, case, victim, "victim")
        for _i in range(self.rng.randint(1, 2)):
            self.suspect(case, region)
        self.stages(case, opened)
        self.task(case)

    def task(self, case) -> None:
        # A generator of its own, so that the cases, names and phones stay as they were.
        rng = self.task_rng
        if case.is_closed or case.agency_id != self.actor.agency_id or rng.random() > 0.4:
            return
        if self.tasks_left == 0:
            return
        self.tasks_left -= 1
        actions.do_add_task(
            self.actor,
            case,
            title=rng.choice(TASKS),
            assignee=self.actor,
            due_on=self.today + timedelta(days=rng.randint(0, 30)),
        )

    def stages(self, case, opened) -> None:
        steps = self.rng.choice([0, 0, 1, 1, 2, 3, 4])
        day, outcome = opened, ""
        for stage in ["investigation", "prosecution", "trial", "closed"][:steps]:
            day = min(day + timedelta(days=self.rng.randint(10, 90)), self.today)
            outcome = ""
            if stage == "closed":
                outcome = self.rng.choice(["convicted", "convicted", "acquitted"])
            actions.do_change_stage(self.actor, case, stage, day, outcome)
        # The suspects follow the case: charged once it is with the prosecution, prosecuted at
        # trial, convicted or acquitted with the judgment; the statistics count them so.
        status = {2: "charged", 3: "prosecuted", 4: outcome}.get(steps)
        if status:
            for row in case.case_persons.filter(role="suspect"):
                actions.do_update_case_person(self.actor, row, row.chain_role, status)


def load() -> str:
    """Create the demo cases once; a second run finds them and changes nothing."""
    # Summaries are encrypted: find the demo's titles in SQL, then read their summaries.
    titles = {route[2] for route in ROUTES}
    summaries = Case.objects.filter(title__in=titles).values_list("summary", flat=True)
    if any(summary.endswith(DEMO_MARK) for summary in summaries[:50]):
        return "already loaded"
    agencies = [Agency.objects.filter(code=c).first() for c in ("UZ-MVD", "UZ-GPO")]
    if None in agencies:
        return "skipped: the demo agencies are missing"
    actor = User.objects.filter(username="investigator").first()
    generator = _Generator(actor, agencies)
    for index in range(CASES):
        generator.case(index)
    return f"{CASES} cases created"
