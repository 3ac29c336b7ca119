"""Hand-overs between nodes, in one process: what is queued, what is stored, what comes back.

The exchange's `network` fixture puts this node (UZ-GPO) in a signed registry with two peers,
KG-GPO and AE-MOJ, whose keys the tests hold to write their messages and read ours.
"""

# ruff: noqa: F811 - pytest fixtures imported from the exchange's conftest are parameters.

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from tipnet.audit.models import AuditEvent
from tipnet.directory.actions import do_create_agency
from tipnet.directory.models import Country
from tipnet.exchange import envelope
from tipnet.exchange.models import InboxMessage, OutboxMessage
from tipnet.exchange.tests.conftest import draft, entry, network  # noqa: F401 - fixture
from tipnet.victims.actions import do_plan_return, do_withdraw_consent
from tipnet.victims.link import do_acknowledge_hand_over, do_send_hand_over
from tipnet.victims.models import IncomingHandOver, OutgoingHandOver

from .conftest import FAMILY, NAME, consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def kg_service(db):
    data = {"country": Country.objects.get(code="KG"), "kind": "ngo"}
    return do_create_agency(None, data | {"name_en": "Sezim crisis centre (fictional)"})


@pytest.fixture
def plan(caseworker, victim, kg_service):
    consent(victim, caseworker, "return")
    data = {"from_country": "UZ", "to_country": "KG", "receiving_service": kg_service}
    data |= {"travel_documents": "Certificate of return", "reception_point": "Manas airport"}
    data |= {"travel_on": date.today() + timedelta(days=3)}
    return do_plan_return(caseworker, victim, data)


def _sent_body(network, outbox: OutboxMessage) -> dict:
    parts = envelope.parse(bytes(outbox.wire))
    return envelope.decrypt(parts, network.peers[outbox.recipient].encryption).payload


def test_sending_queues_the_consent_limited_body_to_the_node_of_the_service_country(
    network,
    caseworker,
    victim,
    plan,
):
    sent = do_send_hand_over(caseworker, plan)
    outbox = OutboxMessage.objects.get()
    assert (outbox.type, outbox.recipient, sent.recipient_node) == (
        "victims.hand_over",
        "KG-GPO",
        "KG-GPO",
    )
    body = _sent_body(network, outbox)
    assert body["code"] == victim.code and body["identity"] is None
    text = json.dumps(body, ensure_ascii=False)
    assert NAME not in text and FAMILY not in text and "998901234567" not in text
    assert AuditEvent.objects.filter(tag="victims:return:send_hand_over").exists()


def test_consent_naming_the_receiving_service_lets_the_identity_travel_but_never_the_phone(
    network,
    caseworker,
    victim,
    plan,
    kg_service,
):
    consent(victim, caseworker, "data_sharing", recipient=kg_service)
    do_send_hand_over(caseworker, plan)
    body = _sent_body(network, OutboxMessage.objects.get())
    assert body["identity"]["given_name"] == NAME
    assert "998901234567" not in json.dumps(body)


def test_consent_withdrawn_before_sending_keeps_the_identity_home(
    network,
    caseworker,
    victim,
    plan,
    kg_service,
):
    sharing = consent(victim, caseworker, "data_sharing", recipient=kg_service)
    do_withdraw_consent(caseworker, sharing)
    sent = do_send_hand_over(caseworker, plan)
    assert sent.has_identity is False
    assert _sent_body(network, OutboxMessage.objects.get())["identity"] is None


def test_it_refuses_to_send_when_no_node_serves_the_service_country(
    network,
    caseworker,
    plan,
):
    network.publish(draft([entry("UZ-GPO", network.me), entry("AE-MOJ", network.peers["AE-MOJ"])]))
    with pytest.raises(ValidationError, match="no node of KG"):
        do_send_hand_over(caseworker, plan)
    assert OutboxMessage.objects.count() == 0 and OutgoingHandOver.objects.count() == 0


def test_it_refuses_to_send_twice(
    network,
    caseworker,
    victim,
    plan,
):
    do_send_hand_over(caseworker, plan)
    with pytest.raises(ValidationError, match="already sent"):
        do_send_hand_over(caseworker, plan)
    assert OutboxMessage.objects.count() == 1


def test_the_page_button_sends_and_answers_others_404(
    network,
    caseworker,
    shelter_worker,
    victim,
    plan,
    client_as,
):
    url = f"/victims/{victim.code}/return/{plan.pk}/send/"
    assert client_as(shelter_worker).post(url).status_code == 404
    assert client_as(caseworker).post(url).status_code == 302
    page = client_as(caseworker).get(f"/victims/{victim.code}/").content.decode()
    assert 'data-testid="hand-over-sent"' in page and "KG-GPO" in page


def _hand_over_body(shelter, identity: dict | None = None, **changes) -> dict:
    body = {
        "type": "victims.hand_over",
        "code": "V-0A1B2C3D",
        "status": "identified",
        "receiving_service": {"id": 999, "name": shelter.name_en},
        "return": {
            "from_country": "AE",
            "to_country": "UZ",
            "travel_documents": "Certificate of return",
            "escort": "",
            "reception_point": "Tashkent airport",
            "shelter_on_arrival": "",
            "travel_on": date.today().isoformat(),
        },
        "identity": identity,
        "assistance": {
            "services": [{"kind": "medical", "started_on": "2026-10-01", "ended_on": None}],
            "open_goals": ["Find work near home"],
        },
    }
    return body | changes


IDENTITY = {
    "given_name": "Малика",
    "family_name": "Yusupova",
    "sex": "female",
    "birth_year": 2001,
    "nationality": "UZ",
}


def _deliver(network, payload, **fields):
    raw = network.wire(sender="AE-MOJ", type="victims.hand_over", payload=payload, **fields)
    return Client().post("/exchange/inbox/", data=raw, content_type="application/json")


def test_an_arriving_hand_over_is_stored_once_with_the_name_encrypted(
    network,
    shelter_dir,
    shelter_worker,
):
    message = envelope.Message(
        type="victims.hand_over",
        sender="AE-MOJ",
        recipient="UZ-GPO",
        payload=_hand_over_body(shelter_dir, IDENTITY),
    )
    raw = envelope.seal(message, network.peers["AE-MOJ"].signing, network.me.encryption.public_key)
    for _attempt in range(2):
        answer = Client().post("/exchange/inbox/", data=raw, content_type="application/json")
        assert answer.status_code == 200
    stored = IncomingHandOver.objects.get()
    assert (stored.given_name, stored.from_node, stored.receiving_service) == (
        "Малика",
        "AE-MOJ",
        shelter_dir,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, assistance FROM victims_incominghandover")
        row = " ".join(cursor.fetchone())
    assert "Малика" not in row and "Yusupova" not in row and "Find work" not in row
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM exchange_inboxmessage")
        stored_message = str(cursor.fetchone()[0])
    assert "Yusupova" not in stored_message and "Find work" not in stored_message
    assert "sealed" in stored_message and "Tashkent airport" in stored_message


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"identity": IDENTITY | {"phone": "+971501234567"}}, "identity may carry only"),
        ({"code": "'; DROP TABLE victims_victim; --"}, "victim code"),
        ({"status": "hero"}, "status is not one of"),
        ({"extra": "x"}, "exactly the parts"),
        ({"identity": IDENTITY | {"given_name": "x" * 5000}}, "identity.given_name"),
        ({"identity": IDENTITY | {"birth_year": "2001"}}, "birth_year"),
        ({"assistance": {"services": [{"kind": "spa"}], "open_goals": []}}, "kind"),
        ({"assistance": {"services": [], "open_goals": ["g"] * 500}}, "at most"),
        ({"receiving_service": {"id": 1, "name": "Unknown (fictional)"}}, "not in the directory"),
        ({"return": {"to_country": "UZ"}}, "return"),
    ],
)
def test_a_hostile_or_malformed_hand_over_is_refused_whole_with_its_reason(
    network,
    shelter_dir,
    change,
    reason,
):
    response = _deliver(network, _hand_over_body(shelter_dir, IDENTITY) | change)
    assert response.status_code == 200  # delivered; refused by the victims app
    stored = InboxMessage.objects.get()
    assert stored.state == "failed" and "hand-over refused" in stored.error
    assert reason in stored.error
    assert IncomingHandOver.objects.count() == 0


def test_a_refused_hand_over_leaves_no_name_in_clear_in_the_inbox(network, shelter_dir):
    hostile = {"identity": IDENTITY | {"phone": "+971501234567"}}
    _deliver(network, _hand_over_body(shelter_dir, IDENTITY) | hostile)
    assert InboxMessage.objects.get().state == "failed"
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM exchange_inboxmessage")
        stored_message = str(cursor.fetchone()[0])
    assert "Yusupova" not in stored_message and "+971501234567" not in stored_message
    assert "sealed" in stored_message


def test_a_payload_that_is_not_an_object_is_refused(network):
    _deliver(network, ["not", "an", "object"])
    assert InboxMessage.objects.get().state == "failed"
    assert IncomingHandOver.objects.count() == 0


def test_only_the_receiving_services_caseworkers_see_it(
    network,
    shelter_dir,
    shelter_worker,
    caseworker,
    analyst,
    api_as,
    client_as,
):
    _deliver(network, _hand_over_body(shelter_dir, None))
    stored = IncomingHandOver.objects.get()
    home = client_as(shelter_worker).get("/victims/").content.decode()
    assert 'data-testid="incoming-hand-over"' in home and stored.code in home
    page = client_as(shelter_worker).get(f"/victims/hand-overs/{stored.pk}/").content.decode()
    assert "did not consent to share their identity" in page and "Medical care" in page
    for other in (caseworker, analyst):
        assert client_as(other).get(f"/victims/hand-overs/{stored.pk}/").status_code == 404
        assert api_as(other).get(f"/api/victims/hand-overs/{stored.pk}").status_code == 404
    listed = api_as(shelter_worker).get("/api/victims/hand-overs").json()["items"]
    assert [h["code"] for h in listed] == [stored.code] and listed[0]["name"] is None
    assert AuditEvent.objects.filter(tag="victims:hand_over:denied").exists()


def test_acknowledging_queues_the_answer_to_the_sending_node_once(
    network,
    shelter_dir,
    shelter_worker,
    api_as,
):
    _deliver(network, _hand_over_body(shelter_dir, IDENTITY))
    stored = IncomingHandOver.objects.get()
    url = f"/api/victims/hand-overs/{stored.pk}/received"
    answer = api_as(shelter_worker).post(url)
    assert answer.status_code == 200 and answer.json()["acknowledged_at"] is not None
    outbox = OutboxMessage.objects.get(type="victims.hand_over_received")
    assert (outbox.recipient, outbox.in_reply_to) == ("AE-MOJ", str(stored.message_id))
    body = _sent_body(network, outbox)
    assert body["hand_over"] == str(stored.message_id) and body["code"] == stored.code
    assert api_as(shelter_worker).post(url).status_code == 422
    assert OutboxMessage.objects.filter(type="victims.hand_over_received").count() == 1


def _acknowledge_from_kg(network, payload):
    raw = network.wire(sender="KG-GPO", type="victims.hand_over_received", payload=payload)
    return Client().post("/exchange/inbox/", data=raw, content_type="application/json")


def test_the_acknowledgement_marks_the_return_plan_handed_over_with_its_date(
    network,
    caseworker,
    victim,
    plan,
):
    sent = do_send_hand_over(caseworker, plan)
    when = "2026-11-30T10:00:00+00:00"
    payload = {"hand_over": str(sent.message_id), "code": victim.code, "received_at": when}
    assert _acknowledge_from_kg(network, payload).status_code == 200
    plan.refresh_from_db()
    sent.refresh_from_db()
    assert plan.handed_over_at.isoformat() == when and sent.received_at == plan.handed_over_at


@pytest.mark.parametrize(
    "payload",
    [
        {"hand_over": "not-a-uuid", "code": "V-00000000", "received_at": "2026-11-30T10:00"},
        {"hand_over": "0b0e1d5e-7a9c-4f7e-a3a8-5b6f0f1f2a3b", "code": "V-00000000"},
        "nonsense",
    ],
)
def test_a_foreign_or_malformed_acknowledgement_changes_no_plan(
    network,
    caseworker,
    victim,
    plan,
    payload,
):
    do_send_hand_over(caseworker, plan)
    _acknowledge_from_kg(network, payload)
    assert InboxMessage.objects.get().state == "failed"
    plan.refresh_from_db()
    assert plan.handed_over_at is None


def test_only_the_node_it_was_sent_to_may_acknowledge(network, caseworker, victim, plan):
    sent = do_send_hand_over(caseworker, plan)
    payload = {"hand_over": str(sent.message_id), "code": victim.code}
    payload["received_at"] = "2026-11-30T10:00:00+00:00"
    raw = network.wire(sender="AE-MOJ", type="victims.hand_over_received", payload=payload)
    Client().post("/exchange/inbox/", data=raw, content_type="application/json")
    plan.refresh_from_db()
    assert plan.handed_over_at is None


def test_acknowledging_needs_the_sending_node_to_be_reachable(
    network,
    shelter_dir,
    shelter_worker,
):
    _deliver(network, _hand_over_body(shelter_dir, None))
    stored = IncomingHandOver.objects.get()
    network.publish(draft([entry("UZ-GPO", network.me)]))
    with pytest.raises(ValidationError, match="cannot be sent"):
        do_acknowledge_hand_over(shelter_worker, stored)
    stored.refresh_from_db()
    assert stored.acknowledged_at is None


def test_the_page_acknowledges_reception_for_the_receiving_service_only(
    network, shelter_dir, shelter_worker, caseworker, client_as
):
    _deliver(network, _hand_over_body(shelter_dir, IDENTITY))
    stored = IncomingHandOver.objects.get()
    url = f"/victims/hand-overs/{stored.pk}/received/"
    assert client_as(caseworker).post(url).status_code == 404
    assert client_as(shelter_worker).post(url).status_code == 302
    page = client_as(shelter_worker).get(f"/victims/hand-overs/{stored.pk}/").content.decode()
    assert 'data-testid="acknowledged"' in page and "Малика" in page
    assert AuditEvent.objects.filter(tag="victims:hand_over:acknowledge").count() == 1
