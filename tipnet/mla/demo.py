"""Demo MLA data: the treaty facts and a few fictional requests from the demo cases.

Idempotent: the treaty loader keeps what exists, and the requests are created only when no demo
request exists yet; three years of past requests, sent on paper, come from demo_history.py.
Every write goes through the do_* actions (and link.py for the incoming request and the
counterpart's replies, as the exchange would deliver them).
"""

import uuid
from datetime import timedelta

from django.utils import timezone

from tipnet.accounts.models import User
from tipnet.cases.models import Case

from . import actions, demo_history
from .link import SCHEMA, do_apply_remote_transition, do_receive_request
from .models import MlaRequest, StateProfile

DEMO_MARK = "Demo request (fictional)."


def _fill(actor, req, purpose: str, mark: str = DEMO_MARK) -> MlaRequest:
    actions.do_update_request(
        actor,
        req,
        "authority",
        {
            "conducting_authority": "Investigation department of the General Prosecutor's Office",
            "subject": req.subject,
            "proceedings": "investigation",
        },
    )
    actions.do_update_request(actor, req, "urgency", {"confidentiality": "required"})
    actions.do_update_request(
        actor, req, "facts", {"purpose": purpose, "facts": f"{req.facts} {mark}"}
    )
    actions.do_add_measure(
        actor,
        req,
        "records",
        {
            "records": "Employment and salary records of the victims",
            "holder": "Fictional Trading LLC",
        },
    )
    actions.do_add_person(
        actor,
        req,
        {
            "kind": "suspect",
            "full_name": "Rustamov Akmal Bakhodirovich (fictional)",
            "birth_date": "1985-04-12",
            "birth_place": "Samarkand",
            "citizenship": "Uzbekistan",
            "residence": "Unknown abroad",
            "occupation": "recruiter",
            "parents_names": "Bakhodir Rustamov, Dilnoza Rustamova",
        },
    )
    actions.do_update_request(
        actor,
        req,
        "procedures",
        {
            "assurances": "Speciality and confidentiality are assured.",
            "signatory": "Deputy Prosecutor General (fictional)",
            "contact_email": "mla.demo@example.org",
        },
    )
    req.refresh_from_db()
    return req


def _case(title_start: str):
    return Case.objects.filter(agency__code="UZ-GPO", title__startswith=title_start).first()


def _outgoing(actor) -> int:
    made = 0
    for title, state, purpose in (
        ("Dancers recruited", "AE", "To identify the club owners who exploited the victims."),
        ("Construction workers", "KZ", "To trace the recruiters' transit through Kazakhstan."),
        ("Women recruited", "TR", "To obtain the hotel's employment records."),
    ):
        case = _case(title) or Case.objects.filter(agency__code="UZ-GPO").first()
        if case is None:
            continue
        req = _fill(actor, actions.do_create_request(actor, case, requested_state=state), purpose)
        made += 1
        if state == "AE":
            continue  # left as a draft
        req = actions.do_submit(actor, req)
        if state == "TR":
            _executed_by_turkiye(actor, req)
    return made


def _executed_by_turkiye(actor, req) -> None:
    actions.do_set_counterpart_node(actor, req, "TR-MOJ")
    for name, fields in (
        ("acknowledge", {"counterpart_ref": "TR-MLA-2026-0042"}),
        ("assess", {}),
        ("accept", {}),
        ("report_executed", {"summary": "Employment records sent."}),
    ):
        do_apply_remote_transition(req.uid, name, fields, [], "TR-MOJ")


def _incoming() -> int:
    payload = {
        "schema": SCHEMA,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, "tipnet-demo-kz-request")),
        "reference": "KZ-GPO-MLA-2026-0007",
        "requesting_state": "KZ",
        "requested_state": "UZ",
        "requesting_authority": "Prosecutor General's Office of the Republic of Kazakhstan",
        "requested_authority": "General Prosecutor's Office of the Republic of Uzbekistan",
        "conducting_authority": "Almaty city prosecutor's office, investigation",
        "proceedings": "investigation",
        "subject": "Trafficking of domestic workers to Almaty",
        "case_number": "KZ-2026-118",
        "legal_basis": "MINSK_1993",
        "language": "ru",
        "urgency": "urgent",
        "confidentiality": "required",
        "deadline": (timezone.localdate() + timedelta(days=45)).isoformat(),
        "deadline_reason": "The suspects' detention ends in two months.",
        "facts": f"Two women from Tashkent were held in a house near Almaty. {DEMO_MARK}",
        "offences": "Art. 128 of the Criminal Code of Kazakhstan",
        "purpose": "To hear the victims.",
        "contact_name": "Erlan Seitkaziev (fictional)",
        "contact_email": "kz.demo@example.org",
        "persons": [
            {
                "kind": "witness",
                "full_name": "Saidova Madina (fictional)",
                "citizenship": "Uzbekistan",
                "residence": "Tashkent",
            }
        ],
        "measures": [
            {
                "kind": "evidence",
                "fields": {
                    "persons": "Two victims, now in Tashkent",
                    "questions": "Recruitment and travel",
                },
            }
        ],
    }
    do_receive_request(payload, [], "KZ-GPO")
    return 1


def load() -> str:
    """Load the treaty data and, once, the demo requests."""
    if not StateProfile.objects.exists():
        actions.do_load_treaties(None)
    actor = User.objects.filter(username="prosecutor").first()
    if actor is None:
        return "treaty data loaded; demo requests skipped: the demo prosecutor is missing"
    central = User.objects.filter(username="central").first()
    # The facts are encrypted at rest, so SQL cannot look for the mark in them.
    if any(DEMO_MARK in facts for facts in MlaRequest.objects.values_list("facts", flat=True)):
        made = 0
    else:
        made = _outgoing(actor) + _incoming()
    past = demo_history.load(actor, central, _fill)
    if not made and not past:
        return "already loaded"
    return f"treaty data loaded; {made} demo requests and {past} past ones (on paper) created"
