"""A copy of the database names no victim: identities and free text are encrypted at rest.

Marker values are written through the do_* actions of victims, cases and MLA (and an MLA request
received from another node) into a real database (a
SQLite file, or a PostgreSQL database dumped with pg_dump), and none of them may be found in the
bytes. Person search still finds a victim, through keyed hashes, for the roles that may see them.
"""

import importlib
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.db import connection

from conftest import make_user
from tipnet.cases import actions as cases
from tipnet.cases.models import Identifier, Person, PersonNameKey
from tipnet.cases.names import name_keys, sealed_name_keys
from tipnet.cases.queries import search_persons
from tipnet.cases.validation import PartialDate
from tipnet.mla import actions as mla
from tipnet.mla.models import MlaPerson

VICTIM_NAME = "Qumrinisa Zephyrovna"
CASE_VICTIM = "Shahzoda Mamatqulova"
CASE_VICTIM_CYRILLIC = "Шахзода Маматқулова"
PASSPORT = "ZX7731946"
PHONE = "+998935550177"
INCOMING_PERSON = "Gulsanam Xurshidovna"
MARKERS = (
    VICTIM_NAME,
    "Zephyrovna",
    CASE_VICTIM,
    "Mamatqulova",
    "Маматқулова",
    "Mamatkulova",  # the Latin form of the Cyrillic name
    PASSPORT,
    "935550177",
    "screen-note-Vq9k",
    "status-note-Vq9k",
    "refer-reason-Vq9k",
    "refer-response-Vq9k",
    "service-note-Vq9k",
    "goal-text-Vq9k",
    "follow-purpose-Vq9k",
    "follow-outcome-Vq9k",
    "travel-docs-Vq9k",
    "escort-Vq9k",
    "reception-Vq9k",
    "shelter-Vq9k",
    "hotline-summary-Vq9k",
    "case-summary-Vq9k",
    "event-note-Vq9k",
    "stage-note-Vq9k",
    # A victim copied from the case into an MLA request, and a person of an incoming request.
    "1913-07-29",
    "mla-birthplace-Vq9k",
    "mla-residence-Vq9k",
    "mla-occupation-Vq9k",
    "mla-parents-Vq9k",
    INCOMING_PERSON,
    "in-birthplace-Vq9k",
    "in-residence-Vq9k",
    "in-parents-Vq9k",
)
# The birth date 1913-07-29 as the adjacent year, month and day columns of a dump would show it.
BIRTH = re.compile(rb"1913[\t,|]\s?7[\t,|]\s?29\b")


def write_markers() -> None:
    """Write every marker through the actions, as caseworkers and investigators do."""
    from tipnet.accounts.models import Agency
    from tipnet.directory.actions import do_create_agency
    from tipnet.directory.models import Country
    from tipnet.victims import actions as victims

    ngo = Agency.objects.create(code="UZ-NGO", name="NGO", country="UZ")
    mvd = Agency.objects.create(code="UZ-MVD", name="MVD", country="UZ")
    worker = make_user("kamila", ngo, "caseworker")
    police = make_user("ivan", mvd, "investigator")
    uz = Country.objects.get(code="UZ")
    shelter = do_create_agency(None, {"country": uz, "kind": "ngo", "name_en": "Shelter"})
    offer = victims.do_create_offer(None, shelter, "shelter", "Tashkent")

    victim = victims.do_register_victim(worker, {"given_name": VICTIM_NAME, "phone": PHONE})
    victims.do_screen(worker, victim, ["documents_confiscated"], "screen-note-Vq9k")
    victims.do_decide_status(worker, victim, "presumed", "NRM", date.today(), "status-note-Vq9k")
    for purpose in ("assistance", "return"):
        data = {"purpose": purpose, "recipient": None, "given_on": date.today()}
        victims.do_give_consent(worker, victim, data | {"language": "uz", "explained_by": "K."})
    referral = victims.do_refer(worker, victim, offer, "refer-reason-Vq9k")
    victims.do_decide_referral(worker, referral, True, "refer-response-Vq9k")
    service = {"kind": "medical", "provider_name": "Clinic", "started_on": date.today()}
    victims.do_record_service(worker, victim, service | {"note": "service-note-Vq9k"})
    victims.do_add_goal(worker, victim, "goal-text-Vq9k")
    follow_up = victims.do_add_follow_up(worker, victim, date.today(), "follow-purpose-Vq9k")
    victims.do_complete_follow_up(worker, follow_up, "follow-outcome-Vq9k")
    plan = {"from_country": "AE", "to_country": "UZ", "receiving_service": shelter}
    plan |= {"travel_documents": "travel-docs-Vq9k", "escort": "escort-Vq9k"}
    plan |= {"reception_point": "reception-Vq9k", "shelter_on_arrival": "shelter-Vq9k"}
    victims.do_plan_return(worker, victim, plan | {"travel_on": date.today()})

    call = {"channel": "phone", "language": "uz", "caller_type": "relative", "urgency": "urgent"}
    call |= {"summary": "hotline-summary-Vq9k", "outcome": "case"}
    victims.do_log_call(worker, call, pass_to=mvd)  # opens a case with the summary

    case = cases.do_create_case(
        police, title="Sewing workshop", summary="case-summary-Vq9k", route=[("UZ", "origin")]
    )
    cases.do_add_event(police, case, "interview", date.today(), "event-note-Vq9k")
    cases.do_change_stage(police, case, "investigation", note="stage-note-Vq9k")
    for name in (CASE_VICTIM, CASE_VICTIM_CYRILLIC):
        birth = PartialDate(1913, 7, 29, "exact")
        person = cases.do_create_person(police, full_name=name, birth=birth)
        row = cases.do_add_person_to_case(police, case, person, "victim")
        cases.do_add_identifier(police, person, "passport", PASSPORT, "UZ")
        cases.do_add_identifier(police, person, "phone", PHONE, "UZ")
    write_mla_markers(case, row)


def write_mla_markers(case, row) -> None:
    """A prosecutor copies the case's victim into an MLA request; another node sends one."""
    from tipnet.accounts.models import Agency
    from tipnet.mla.link import SCHEMA, do_receive_request

    gpo = Agency.objects.create(code="UZ-GPO", name="GPO", country="UZ")
    prosecutor = make_user("pavel", gpo, "prosecutor")
    req = mla.do_create_request(prosecutor, case)
    person = {"kind": "victim", "full_name": row.person.full_name, "birth_date": "1913-07-29"}
    person |= {"birth_place": "mla-birthplace-Vq9k", "residence": "mla-residence-Vq9k"}
    person |= {"occupation": "mla-occupation-Vq9k", "parents_names": "mla-parents-Vq9k"}
    mla.do_add_person(prosecutor, req, person, row)

    incoming = {"kind": "victim", "full_name": INCOMING_PERSON, "birth_date": "1913-07-29"}
    incoming |= {"birth_place": "in-birthplace-Vq9k", "residence": "in-residence-Vq9k"}
    incoming |= {"parents_names": "in-parents-Vq9k", "citizenship": "Uzbekistan"}
    payload: dict[str, object] = {"schema": SCHEMA, "uid": "5b0f4d7e-1c2a-4f3b-9a8d-7e6f5a4b3c2d"}
    payload |= {"reference": "KZ-GPO-MLA-2026-0099", "requesting_state": "KZ"}
    payload |= {"requested_state": "UZ", "legal_basis": "MINSK_1993", "persons": [incoming]}
    payload |= {"requesting_authority": "GPO of Kazakhstan"}
    payload |= {"measures": [{"kind": "information", "fields": {"information": "Records"}}]}
    do_receive_request(payload, [], "KZ-GPO")


NODE_SCRIPT = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0)
from tests.test_at_rest import write_markers
write_markers()
"""


def run_node(data_dir: Path, database_url: str = "") -> None:
    env = {**os.environ, "TIPNET_DATA_DIR": str(data_dir), "DATABASE_URL": database_url}
    env |= {"DJANGO_SETTINGS_MODULE": "tipnet.settings", "TIPNET_FIELD_KEY_FILE": ""}
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-c", NODE_SCRIPT]
    subprocess.run(command, env=env, cwd=root, check=True, timeout=300)


def found(data: bytes) -> list[str]:
    """The markers present in `data`, in UTF-8 or UTF-16, and the birth date if it is there."""
    hits = [m for m in MARKERS if m.encode() in data or m.encode("utf-16-le") in data]
    return hits + (["birth date"] if BIRTH.search(data) else [])


def test_markers_are_found_when_written_in_clear():
    # The check itself must see what it looks for, or the tests below prove nothing.
    row = f"1\t{CASE_VICTIM}\tF\t1913\t7\t29\tgoal-text-Vq9k".encode()
    assert found(row) == [CASE_VICTIM, "Mamatqulova", "goal-text-Vq9k", "birth date"]
    assert found("INSERT INTO t VALUES(Маматқулова,1913,7,29)".encode("utf-16-le"))


def test_the_sqlite_file_holds_no_marker(tmp_path):
    run_node(tmp_path)
    database = tmp_path / "tipnet.sqlite3"
    data = b"".join(path.read_bytes() for path in tmp_path.glob("tipnet.sqlite3*"))
    assert b"cases_person" in data and b"nacl1:" in data
    assert found(data) == []
    with sqlite3.connect(database) as db:
        dump = "\n".join(db.iterdump()).encode()
        people = db.execute("SELECT full_name, birth_year, is_sealed FROM cases_person").fetchall()
    assert found(dump) == []
    assert len(people) == 2
    assert all(name.startswith("nacl1:") and year.startswith("nacl1:") for name, year, _ in people)
    assert all(is_sealed for _name, _year, is_sealed in people)
    with sqlite3.connect(database) as db:
        mla_people = db.execute("SELECT full_name, birth_date FROM mla_mlaperson").fetchall()
    assert len(mla_people) == 2
    assert all(v.startswith("nacl1:") for row in mla_people for v in row)


def test_a_pg_dump_holds_no_marker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL half runs on PostgreSQL")
    settings = connection.settings_dict
    name = f"{settings['NAME']}_at_rest"
    server = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    server += ["-U", settings["USER"] or "postgres"]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    subprocess.run(["dropdb", *server, "--if-exists", name], env=env, check=True)
    subprocess.run(["createdb", *server, name], env=env, check=True)
    try:
        user, password = quote(settings["USER"] or "postgres"), quote(settings["PASSWORD"] or "")
        auth = f"{user}:{password}" if password else user
        host, port = server[1], server[3]
        run_node(tmp_path, f"postgres://{auth}@{host}:{port}/{name}")
        dump = subprocess.run(
            ["pg_dump", *server, name], env=env, check=True, capture_output=True, timeout=120
        ).stdout
    finally:
        subprocess.run(["dropdb", *server, "--if-exists", name], env=env, check=True)
    assert b"COPY public.cases_person" in dump and b"nacl1:" in dump
    assert b"COPY public.mla_mlaperson" in dump
    assert found(dump) == []


@pytest.fixture
def victim_row(investigator):
    case = cases.do_create_case(investigator, title="Sewing workshop", route=[("UZ", "origin")])
    person = cases.do_create_person(
        investigator, full_name=CASE_VICTIM_CYRILLIC, birth=PartialDate(1913, 7, 29, "exact")
    )
    row = cases.do_add_person_to_case(investigator, case, person, "victim")
    cases.do_add_identifier(investigator, person, "passport", PASSPORT, "UZ")
    return row


def test_a_victim_is_found_by_name_and_identifier_by_a_role_that_may_see_them(
    investigator, victim_row
):
    by_latin_name = search_persons(investigator, CASE_VICTIM)
    assert [hit.row for hit in by_latin_name] == [victim_row]
    assert by_latin_name[0].row.person.full_name == CASE_VICTIM_CYRILLIC
    by_passport = search_persons(investigator, "zx 773-1946")
    assert [(hit.row, hit.matched) for hit in by_passport] == [(victim_row, "identifier")]


def test_a_victim_is_not_found_by_a_role_that_may_not_see_them(analyst, prosecutor, victim_row):
    for user in (analyst, prosecutor):
        assert search_persons(user, CASE_VICTIM) == []
        assert search_persons(user, PASSPORT) == []


def test_a_victims_search_keys_are_keyed_hashes_not_the_name_keys(victim_row):
    person = victim_row.person
    stored = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    assert stored == sealed_name_keys(name_keys(CASE_VICTIM_CYRILLIC))
    assert not stored & name_keys(CASE_VICTIM_CYRILLIC)
    assert all(re.fullmatch("[0-9a-f]{64}", key) for key in stored)
    identifier = Identifier.objects.get(person=person)
    assert re.fullmatch("[0-9a-f]{64}", identifier.keyed) and identifier.value == PASSPORT


def test_a_person_who_becomes_a_victim_is_sealed_in_the_same_action(investigator):
    first = cases.do_create_case(investigator, title="Workshop", route=[("UZ", "origin")])
    second = cases.do_create_case(investigator, title="Hotel", route=[("AE", "destination")])
    person = cases.do_create_person(investigator, full_name=CASE_VICTIM)
    cases.do_add_person_to_case(investigator, first, person, "witness")
    keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    assert keys == name_keys(CASE_VICTIM)  # a witness is found by fuzzy search, as before

    cases.do_add_person_to_case(investigator, second, person, "victim")
    keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    assert Person.objects.get(pk=person.pk).is_sealed
    assert keys == sealed_name_keys(name_keys(CASE_VICTIM))


def test_a_sealed_person_stays_sealed_when_given_another_role(investigator, victim_row):
    other = cases.do_create_case(investigator, title="Hotel", route=[("AE", "destination")])
    cases.do_add_person_to_case(investigator, other, victim_row.person, "witness")
    keys = set(PersonNameKey.objects.filter(person=victim_row.person).values_list("key", flat=True))
    assert keys == sealed_name_keys(name_keys(CASE_VICTIM_CYRILLIC))


def test_the_mla_migration_encrypts_persons_in_clear_once_and_can_be_reversed(
    prosecutor, victim_row
):
    migration = importlib.import_module("tipnet.mla.migrations.0002_encrypt_identities")
    req = mla.do_create_request(prosecutor, victim_row.case)
    mla.do_add_person(prosecutor, req, {"kind": "victim", "full_name": "Sealed already"})
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO mla_mlaperson (request_id, kind, full_name, birth_date, birth_place,"
            " citizenship, residence, occupation, parents_names)"
            " VALUES (%s, 'victim', %s, '1913-07-29', 'Samarkand', '', '', '', '')",
            [req.pk, CASE_VICTIM],
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_identities(None, editor)
    sealed = raw_persons()
    migration.encrypt_identities(None, editor)
    assert raw_persons() == sealed
    assert all(value.startswith("nacl1:") for row in sealed for value in row if value)
    clear = [(p.full_name, p.birth_date, p.birth_place) for p in MlaPerson.objects.all()]
    assert clear == [("Sealed already", "", ""), (CASE_VICTIM, "1913-07-29", "Samarkand")]
    migration.decrypt_identities(None, editor)
    assert raw_persons()[1] == (CASE_VICTIM, "1913-07-29", "Samarkand")
    assert raw_persons()[0][0] == "Sealed already"


def raw_persons() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, birth_date, birth_place FROM mla_mlaperson ORDER BY id")
        return cursor.fetchall()
