"""Checks and police messages in the indicators, by the partner's country."""

import uuid
from datetime import UTC, date, datetime

from tipnet.checks.models import IncomingCheck, OutgoingCheck
from tipnet.cooperation.models import Thread
from tipnet.stats import crossborder
from tipnet.stats.periods import parse

YEAR = parse("2025")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_checks_are_counted_sent_received_and_hits_by_partner_country(build):
    case = build.case(date(2025, 1, 5))
    person = build.person("Karim Rasulov")
    for n, result in enumerate(["hit", "no_hit", "no_hit", "hit"]):
        node = "KG-MVD" if n < 3 else "AE-MOI"
        OutgoingCheck.objects.create(
            case=case, person=person, node=node, result=result, created_at=at(date(2025, 3, 1))
        )
    # Asked in 2024: outside the period.
    OutgoingCheck.objects.create(
        case=case, person=person, node="KG-MVD", created_at=at(date(2024, 5, 1))
    )
    for result in ["hit", "no_hit"]:
        IncomingCheck.objects.create(
            uid=uuid.uuid4(), sender="KZ-GP", result=result, received_at=at(date(2025, 6, 1))
        )
    (table,) = crossborder.checks_family(YEAR)
    assert [code for code, _label in table.rows] == ["AE", "KG", "KZ"]
    assert table.values == {
        ("KG", "sent"): 3,
        ("KG", "sent_hit"): 1,
        ("AE", "sent"): 1,
        ("AE", "sent_hit"): 1,
        ("KZ", "received"): 2,
        ("KZ", "received_hit"): 1,
    }


def test_police_exchanges_are_counted_by_kind_direction_and_country(build):
    def thread(ref, node, kind, direction, day=date(2025, 4, 1)):
        Thread.objects.create(
            reference=ref,
            agency=build.agency,
            counterpart_node=node,
            kind=kind,
            direction=direction,
            subject="Synthetic",
            priority="routine",
            handling_code="H1",
            created_at=at(day),
        )

    thread("P-1", "AE-MOI", "request", "outgoing")
    thread("P-2", "AE-MOI", "request", "outgoing")
    thread("P-3", "AE-MOI", "spontaneous", "incoming")
    thread("P-4", "TR-EGM", "request", "incoming")
    thread("P-5", "TR-EGM", "request", "incoming", day=date(2026, 1, 2))
    (table,) = crossborder.police_family(YEAR)
    assert table.values == {
        ("AE", "request_outgoing"): 2,
        ("AE", "spontaneous_incoming"): 1,
        ("TR", "request_incoming"): 1,
    }


def test_a_node_id_without_a_country_prefix_is_unknown():
    assert crossborder.node_country("UZ-GPO") == "UZ"
    assert crossborder.node_country("SECRETARIAT") == "unknown"
