"""MLA fixtures: the directory demo (for central authorities), the treaty data, a case, a draft."""

import pytest

from tipnet.cases.actions import do_create_case
from tipnet.directory import demo as directory_demo
from tipnet.directory.models import Agency as DirectoryAgency

# The exchange's small signed network around this node, for the tests of what MLA sends.
from tipnet.exchange.tests.conftest import network  # noqa: F401 - fixture
from tipnet.mla import actions
from tipnet.mla.actions import do_load_treaties


@pytest.fixture
def treaties(db):
    directory_demo.load()
    # The UAE ministry runs a node in these tests, so requests to it know their counterpart.
    DirectoryAgency.objects.filter(
        name_en__startswith="Ministry of Justice of the United Arab"
    ).update(node_id="AE-MOJ")
    do_load_treaties(None)


@pytest.fixture
def uz_case(prosecutor):
    case = do_create_case(
        prosecutor,
        title="Recruitment of workers for Dubai",
        offence_articles="Criminal Code of Uzbekistan, art. 135",
        summary="Three women were recruited in Tashkent with false job offers in Dubai.",
        route=[("UZ", "origin"), ("AE", "destination")],
    )
    return case


def fill_draft(actor, req, *, persons=True):
    """Complete every step of a draft with synthetic data valid under any basis."""
    actions.do_update_request(
        actor,
        req,
        "authority",
        {
            "requesting_authority": "General Prosecutor's Office of the Republic of Uzbekistan",
            "conducting_authority": "Investigation department, General Prosecutor's Office",
            "proceedings": "investigation",
            "subject": "Trafficking in persons for labour",
            "case_number": req.case_number or "UZ-GPO-2026-000001",
        },
    )
    actions.do_update_request(
        actor, req, "urgency", {"urgency": "routine", "confidentiality": "required"}
    )
    actions.do_update_request(
        actor,
        req,
        "facts",
        {
            "facts": "Three women were recruited with false job offers.",
            "offences": "Art. 135 of the Criminal Code (trafficking in persons).",
            "purpose": "To prove the exploitation of the victims at their place of work.",
        },
    )
    actions.do_add_measure(
        actor,
        req,
        "records",
        {"records": "Employment contracts and salary records", "holder": "Fictional Trading LLC"},
    )
    if persons:
        actions.do_add_person(
            actor,
            req,
            {
                "kind": "suspect",
                "full_name": "Rustamov Akmal Bakhodirovich",
                "birth_date": "1985-04-12",
                "birth_place": "Samarkand",
                "citizenship": "Uzbekistan",
                "residence": "Dubai, Al Quoz",
                "occupation": "recruiter",
                "parents_names": "Bakhodir Rustamov, Dilnoza Rustamova",
            },
        )
    actions.do_update_request(
        actor,
        req,
        "procedures",
        {
            "procedures": "Certified copies, with a certificate of authenticity.",
            "contact_name": "Pavel Prosecutor",
            "contact_email": "p.prosecutor@example.org",
            "assurances": "Speciality and confidentiality are assured.",
            "annexes": "Copy of the decision to open the case\nList of questions",
            "signatory": "Deputy Prosecutor General (fictional)",
        },
    )
    req.refresh_from_db()
    return req


@pytest.fixture
def draft_to_ae(treaties, prosecutor, uz_case):
    return actions.do_create_request(prosecutor, uz_case, requested_state="AE")


@pytest.fixture
def complete_to_ae(draft_to_ae, prosecutor):
    return fill_draft(prosecutor, draft_to_ae)


@pytest.fixture
def complete_to_kz(treaties, prosecutor, uz_case):
    req = actions.do_create_request(prosecutor, uz_case, requested_state="KZ")
    return fill_draft(prosecutor, req)
