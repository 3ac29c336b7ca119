"""Cooperation fixtures: the small signed network around this node (UZ-GPO), a case with a
suspect and a phone, and an incoming spontaneous information from KG-GPO."""

import uuid

import pytest

from conftest import make_user
from tipnet.cases import actions as cases
from tipnet.cooperation import link
from tipnet.cooperation.inbound import do_receive_consent, do_receive_message, do_receive_refusal
from tipnet.exchange.envelope import Message as Envelope

# The exchange's signed network: this node UZ-GPO, peers KG-GPO and AE-MOJ.
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture

RECRUITER = "Malika Tursunova (fictional)"


@pytest.fixture
def officer(uz_gpo):
    """An investigator of the agency that receives police messages on this node."""
    return make_user("gulnora_investigator", uz_gpo, "investigator")


@pytest.fixture
def case(officer):
    case = cases.do_create_case(
        officer,
        title="Dancers recruited for Dubai clubs",
        offence_articles="UZ CC art. 135",
        summary="Women recruited in Tashkent for clubs in Dubai (fictional).",
        route=[("UZ", "origin"), ("AE", "destination")],
    )
    person = cases.do_create_person(officer, full_name="Rustam Karimov (fictional)")
    row = cases.do_add_person_to_case(officer, case, person, "suspect", "recruiter")
    cases.do_add_identifier(officer, person, "phone", "+998901234567")
    case.suspect_row = row
    return case


def opening(code: str = "H2", **extra) -> dict:
    body = {
        "schema": link.SCHEMA,
        "thread": str(uuid.uuid4()),
        "message": str(uuid.uuid4()),
        "kind": "opening",
        "thread_kind": "spontaneous",
        "reference": "COOP-OUT-KG0000000001",
        "subject": "Recruiter active in Osh and Tashkent",
        "priority": "urgent",
        "handling_code": code,
        "from_agency": "Prosecutor General's Office of the Kyrgyz Republic",
        "to_agency": "General Prosecutor's Office",
        "sender_name": "Bakyt Toktogulov (fictional)",
        "body": "She recruits young women for clubs abroad (fictional).",
        "items": [
            {
                "full_name": RECRUITER,
                "sex": "female",
                "birth": "1984",
                "citizenships": ["UZ"],
                "role": "suspect",
                "chain_role": "recruiter",
                "identifiers": [{"kind": "phone", "value": "+998935550101", "country": ""}],
            }
        ],
    }
    body.update(extra)
    return body


def arrive(payload: dict, sender: str = "KG-GPO", message_type: str = link.MESSAGE, files=()):
    envelope = Envelope(
        type=message_type,
        sender=sender,
        recipient="UZ-GPO",
        payload=payload,
        attachments=list(files),
    )
    receive = {
        link.CONSENT: do_receive_consent,
        link.REFUSAL: do_receive_refusal,
    }.get(message_type, do_receive_message)
    return receive(envelope)


@pytest.fixture
def restricted(request, officer):
    """An incoming spontaneous information marked H2 (no further dissemination)."""
    request.getfixturevalue("network")
    return arrive(opening("H2")).thread
