"""The MLA wire format: the request as data and the two entry points for messages."""

import uuid

import pytest
from django.test import override_settings

from tipnet.audit.models import AuditEvent
from tipnet.exchange.models import OutboxMessage
from tipnet.mla import actions, lifecycle
from tipnet.mla.enums import State
from tipnet.mla.link import (
    SCHEMA,
    do_apply_remote_transition,
    do_receive_request,
    request_payload,
)
from tipnet.mla.models import MlaRequest

LETTER = [("letter.pdf", "application/pdf", b"%PDF-1.7 test")]


@pytest.fixture
def submitted(complete_to_ae, prosecutor):
    return actions.do_submit(prosecutor, complete_to_ae)


@pytest.fixture
def payload(submitted):
    return request_payload(submitted)


def receive(payload, node="UZ-GPO", files=LETTER):
    with override_settings(TIPNET_NODE_COUNTRY="AE"):
        return do_receive_request(payload, files, node)


def test_the_payload_is_schema_versioned_json_with_persons_and_measures(payload, submitted):
    assert payload["schema"] == SCHEMA and payload["uid"] == str(submitted.uid)
    assert payload["persons"][0]["full_name"] == "Rustamov Akmal Bakhodirovich"
    assert payload["measures"][0]["kind"] == "records"


def test_receiving_creates_the_incoming_entry_once(payload, submitted):
    submitted.delete()  # the requested node is another database; free the uid here
    first = receive(payload)
    again = receive(payload)
    assert first.pk == again.pk and MlaRequest.objects.filter(uid=payload["uid"]).count() == 1
    assert (first.direction, first.state, first.counterpart_node) == (
        "incoming",
        State.SUBMITTED,
        "UZ-GPO",
    )
    assert first.counterpart_ref == payload["reference"] and first.persons.count() == 1
    assert first.files.get(kind="letter").content == LETTER[0][2]
    event = AuditEvent.objects.get(tag="mla:request:receive")
    assert event.actor == "" and event.detail["from_node"] == "UZ-GPO"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": "tipnet.mla.request/9"}, "schema"),
        ({"uid": "not-a-uuid"}, "uid"),
        ({"requested_state": "KZ"}, "serves AE"),
        ({"measures": []}, "measures"),
        ({"facts": "x" * 20001}, "facts"),
        ({"is_admin": True}, "is_admin"),
        ({"persons": [{"kind": "victim", "full_name": ""}]}, "full_name"),
        ({"measures": [{"kind": "'; DROP TABLE mla_mlarequest; --", "fields": {}}]}, "kind"),
    ],
)
def test_a_bad_request_message_is_refused_and_nothing_is_stored(
    payload, submitted, change, message
):
    submitted.delete()
    with pytest.raises(ValueError, match=message):
        receive({**payload, **change})
    assert not MlaRequest.objects.filter(direction="incoming").exists()


def test_a_uid_of_another_request_is_refused(payload):
    with pytest.raises(ValueError, match="different request"):
        receive(payload)


def test_too_many_or_too_large_attachments_are_refused(payload, submitted):
    submitted.delete()
    with pytest.raises(ValueError, match="too large"):
        receive(payload, files=[("big.pdf", "application/pdf", b"x" * (10 * 1024 * 1024 + 1))])
    with pytest.raises(ValueError, match="at most"):
        receive(payload, files=LETTER * 21)
    assert not MlaRequest.objects.exists()


def test_a_remote_transition_is_applied_once_and_queues_nothing(network, submitted):
    sent = OutboxMessage.objects.count()
    ack = {"counterpart_ref": "AE-MOJ-77"}
    do_apply_remote_transition(submitted.uid, "acknowledge", ack, [], "AE-MOJ")
    again = do_apply_remote_transition(submitted.uid, "acknowledge", ack, [], "AE-MOJ")
    assert OutboxMessage.objects.count() == sent
    assert (again.state, again.counterpart_ref) == (State.RECEIVED, "AE-MOJ-77")
    assert again.events.filter(transition="acknowledge").count() == 1
    assert AuditEvent.objects.get(tag="mla:request:remote_acknowledge").detail["from_node"] == (
        "AE-MOJ"
    )


def test_a_remote_transition_from_another_node_is_refused(submitted):
    with pytest.raises(ValueError, match="counterpart"):
        do_apply_remote_transition(submitted.uid, "acknowledge", {}, [], "KZ-GPO")
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_the_counterpart_may_not_perform_our_sides_transition(submitted):
    with pytest.raises(lifecycle.TransitionError, match="Only the"):
        do_apply_remote_transition(submitted.uid, "withdraw", {"reason": "x"}, [], "AE-MOJ")


def test_a_remote_transition_from_a_wrong_state_is_refused(submitted):
    with pytest.raises(lifecycle.TransitionError, match="cannot be moved"):
        do_apply_remote_transition(submitted.uid, "accept", {}, [], "AE-MOJ")


def test_a_remote_transition_for_an_unknown_uid_is_refused(db):
    with pytest.raises(ValueError, match="no request"):
        do_apply_remote_transition(uuid.uuid4(), "acknowledge", {}, [], "AE-MOJ")


def test_remote_results_are_stored_with_the_final_report(submitted):
    uid = submitted.uid
    for name in ("acknowledge", "assess", "accept"):
        do_apply_remote_transition(uid, name, {}, [], "AE-MOJ")
    files = [("records.pdf", "application/pdf", b"%PDF records")]
    req = do_apply_remote_transition(uid, "report_executed", {"summary": "Sent"}, files, "AE-MOJ")
    assert req.state == State.EXECUTED and req.files.get(kind="result").filename == "records.pdf"


def test_a_counterpart_node_can_be_named_once_known(submitted, prosecutor):
    actions.do_set_counterpart_node(prosecutor, submitted, "AE-MOJ-2")
    req = do_apply_remote_transition(submitted.uid, "acknowledge", {}, [], "AE-MOJ-2")
    assert req.state == State.RECEIVED
    with pytest.raises(ValueError, match="counterpart"):
        actions.do_set_counterpart_node(prosecutor, req, "AE-MOJ-3")


def test_a_delivery_racing_another_returns_the_request_the_other_stored(
    payload, submitted, monkeypatch
):
    from tipnet.mla import link

    submitted.delete()
    first = receive(payload)
    # The race: this delivery's existence check ran before the other delivery committed.
    monkeypatch.setattr(link, "_stored", lambda uid, node: None)
    again = receive(payload)
    assert again.pk == first.pk and MlaRequest.objects.count() == 1
    with pytest.raises(ValueError, match="different request"):
        receive(payload, node="KZ-GPO")


def test_a_contact_email_that_is_not_one_is_refused(payload, submitted):
    submitted.delete()
    with pytest.raises(ValueError, match="contact_email"):
        receive({**payload, "contact_email": "not-an-address"})
    assert not MlaRequest.objects.exists()
