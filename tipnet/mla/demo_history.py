"""Demo MLA history: three years of fictional requests, sent and answered on paper.

The dashboard's and the statistics page's medians and overdue counts mean something only over
requests that took months, so these requests are back-dated: each step goes through its `do_*`
action with the date it happened (`at`), and each request is recorded as handled outside the
network, so none of them puts a message in the outbox. Durations vary by requested state
(a few months with Kyrgyzstan, most of a year with the Emirates), with a fixed random seed, so
the history is the same on every node and relative to the day it is loaded.
"""

import random
import uuid
from datetime import timedelta
from typing import NamedTuple

from django.utils import timezone

from tipnet.cases.models import Case

from . import actions
from .link import SCHEMA, do_register_paper_request
from .models import MlaRequest

HISTORY_MARK = "Demo request from the archive (fictional)."

# Typical days to acknowledge, to decide and to execute, per requested state.
PACE = {
    "KZ": (12, 25, 110),
    "RU": (20, 45, 160),
    "TR": (30, 60, 150),
    "AE": (35, 80, 190),
    "KG": (8, 20, 70),
    "TJ": (14, 30, 95),
}
# (requested state, how it went, months since submission). Kazakhstan and Russia, the busiest
# partners, have enough requests answered in each year for the statistics page, which hides a
# median over fewer than TIPNET_STATS_THRESHOLD requests, to show theirs.
OUTGOING = (
    ("KZ", "executed", 34),
    ("KZ", "executed", 26),
    ("KZ", "executed", 24),
    ("KZ", "executed", 22),
    ("KZ", "executed", 18),
    ("KZ", "executed", 16),
    ("KZ", "partial", 20),
    ("KZ", "info", 14),
    ("KZ", "refused", 9),
    ("KZ", "open_execution", 5),
    ("KZ", "open_received", 2),
    ("RU", "executed", 33),
    ("RU", "executed", 27),
    ("RU", "executed", 25),
    ("RU", "executed", 22),
    ("RU", "executed", 21),
    ("RU", "executed", 19),
    ("RU", "withdrawn", 16),
    ("RU", "executed", 12),
    ("RU", "open_assessment", 4),
    ("TR", "executed", 30),
    ("TR", "refused", 24),
    ("TR", "executed", 15),
    ("TR", "open_execution", 7),
    ("AE", "executed", 35),
    ("AE", "info", 27),
    ("AE", "refused", 18),
    ("AE", "executed", 13),
    ("AE", "open_submitted", 3),
    ("KG", "executed", 31),
    ("KG", "executed", 19),
    ("KG", "executed", 10),
    ("KG", "withdrawn", 8),
    ("KG", "open_execution", 3),
    ("TJ", "executed", 28),
    ("TJ", "partial", 17),
    ("TJ", "executed", 11),
    ("TJ", "open_received", 1),
)
OUR, THEIRS = "our", "theirs"


class Step(NamedTuple):
    """One step of a past request: who took it, and how long after the previous one."""

    who: str
    name: str
    column: int  # of PACE: 0 acknowledge, 1 decide, 2 execute
    share: float  # of that column's days
    fields: dict[str, str]


ACK = Step(THEIRS, "acknowledge", 0, 1, {})
ASSESS = Step(THEIRS, "assess", 0, 0.3, {})
ACCEPT = Step(THEIRS, "accept", 1, 1, {})
EXECUTED = Step(THEIRS, "report_executed", 2, 1, {"summary": "The requested records were sent."})
PARTIAL = Step(THEIRS, "report_partial", 2, 0.6, {"summary": "Part of the records were sent."})
REST = Step(THEIRS, "report_executed", 2, 0.6, {"summary": "The remaining records were sent."})
INFO = Step(THEIRS, "request_info", 1, 0.5, {"questions": "Give the suspects' dates of birth."})
ANSWER = Step(OUR, "provide_info", 0, 1, {"information": "The dates of birth are enclosed."})
WITHDRAW = Step(OUR, "withdraw", 2, 0.5, {"reason": "The suspect was convicted on other evidence."})
CLOSE = Step(OUR, "close", 0, 1, {})
# The refusal's ground depends on the request's legal basis (see _refusal).
REFUSE = Step(THEIRS, "refuse", 1, 1, {})
STEPS: dict[str, tuple[Step, ...]] = {
    "executed": (ACK, ASSESS, ACCEPT, EXECUTED, CLOSE),
    "partial": (ACK, ASSESS, ACCEPT, PARTIAL, REST, CLOSE),
    "info": (ACK, ASSESS, INFO, ANSWER, ACCEPT, EXECUTED, CLOSE),
    "refused": (ACK, ASSESS, REFUSE, CLOSE),
    "withdrawn": (ACK, ASSESS, ACCEPT, WITHDRAW, CLOSE),
    "open_execution": (ACK, ASSESS, ACCEPT),
    "open_assessment": (ACK, ASSESS),
    "open_received": (ACK,),
    "open_submitted": (),
}


def _refusal(req: MlaRequest) -> Step:
    fields = {
        "ground": "untoc_18_21_c" if req.legal_basis == "UNTOC_18" else "cis_legislation",
        "reasons": "The requested state's law allows no such search for this offence.",
        "no_consultation_reason": "The requesting state was informed by letter.",
    }
    return REFUSE._replace(fields=fields)


def _step(actor, req: MlaRequest, step: Step, at) -> MlaRequest:
    if step.who == OUR:
        return actions.do_transition(actor, req, step.name, step.fields, at=at)
    return actions.do_record_counterpart_step(actor, req, step.name, step.fields, at=at)


def _outgoing(actor, fill, rng: random.Random) -> int:
    cases = list(Case.objects.filter(agency__code="UZ-GPO").order_by("id"))
    if not cases:
        return 0
    now = timezone.now()
    for i, (state, outcome, months) in enumerate(OUTGOING):
        submitted = now - timedelta(days=months * 30 + rng.randint(0, 20), hours=rng.randint(1, 8))
        created = submitted - timedelta(days=rng.randint(5, 20))
        case = cases[i % len(cases)]
        req = actions.do_create_request(actor, case, requested_state=state, at=created)
        req = fill(actor, req, "To obtain evidence held in the requested state.", HISTORY_MARK)
        req = actions.do_submit(actor, req, at=submitted, off_network=True)
        at = submitted
        for step in STEPS[outcome]:
            step = _refusal(req) if step is REFUSE else step
            pace = PACE[state][step.column] * step.share
            at = min(at + timedelta(days=pace * rng.uniform(0.6, 1.5)), now - timedelta(days=1))
            req = _step(actor, req, step, at)
    return len(OUTGOING)


INCOMING = (
    ("KZ", "Prosecutor General's Office of the Republic of Kazakhstan", "executed", 29),
    ("KG", "Prosecutor General's Office of the Kyrgyz Republic", "executed", 21),
    ("RU", "Prosecutor General's Office of the Russian Federation", "refused", 15),
    ("TJ", "Prosecutor General's Office of the Republic of Tajikistan", "executed", 9),
    ("KZ", "Prosecutor General's Office of the Republic of Kazakhstan", "open_execution", 4),
)
# Our steps as the requested state; the other state closes the request.
INCOMING_STEPS = {
    "executed": ("acknowledge", "assess", "accept", "report_executed"),
    "refused": ("acknowledge", "assess", "refuse"),
    "open_execution": ("acknowledge", "assess", "accept"),
}
INCOMING_FIELDS = {
    "report_executed": {"summary": "The witnesses were heard; the records are enclosed."},
    "refuse": {
        "ground": "cis_legislation",
        "reasons": "The measure sought is not provided for by the law of Uzbekistan.",
    },
}


def _payload(i: int, state: str, authority: str, year: int) -> dict:
    return {
        "schema": SCHEMA,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tipnet-demo-history-incoming-{i}")),
        "reference": f"{state}-GPO-MLA-{year}-{40 + i:04d}",
        "requesting_state": state,
        "requested_state": "UZ",
        "requesting_authority": authority,
        "requested_authority": "General Prosecutor's Office of the Republic of Uzbekistan",
        "conducting_authority": "Investigation department of the prosecutor's office",
        "proceedings": "investigation",
        "subject": "Trafficking of migrant workers recruited in Uzbekistan",
        "case_number": f"{state}-{year}-{200 + i}",
        "legal_basis": "MINSK_1993",
        "language": "ru",
        "facts": f"Workers recruited in Uzbekistan were held without pay. {HISTORY_MARK}",
        "offences": "Trafficking in persons",
        "purpose": "To hear the victims who returned to Uzbekistan.",
        "persons": [{"kind": "witness", "full_name": f"Witness {i + 1} (fictional)"}],
        "measures": [
            {
                "kind": "evidence",
                "fields": {"persons": "The returned workers", "questions": "Recruitment and pay"},
            }
        ],
    }


def _incoming(central, rng: random.Random) -> int:
    now = timezone.now()
    for i, (state, authority, outcome, months) in enumerate(INCOMING):
        arrived = now - timedelta(days=months * 30 + rng.randint(0, 20))
        req = do_register_paper_request(
            central, _payload(i, state, authority, arrived.year), at=arrived
        )
        at = arrived
        for name in INCOMING_STEPS[outcome]:
            at = min(at + timedelta(days=rng.uniform(5, 60)), now - timedelta(days=1))
            fields = INCOMING_FIELDS.get(name, {})
            req = actions.do_transition(central, req, name, fields, at=at)
        if req.state != "under_execution":
            actions.do_record_counterpart_step(central, req, "close", at=at + timedelta(hours=1))
    return len(INCOMING)


def load(prosecutor, central, fill) -> int:
    """Create the history once (it is marked in the requests' facts); returns how many requests."""
    if any(HISTORY_MARK in facts for facts in MlaRequest.objects.values_list("facts", flat=True)):
        return 0
    rng = random.Random(15)  # noqa: S311 - a reproducible demo history, not secrets
    made = _outgoing(prosecutor, fill, rng)
    return made + (_incoming(central, rng) if central is not None else 0)
