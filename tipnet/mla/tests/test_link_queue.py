"""The MLA link in one process: what a local transition queues, in its own transaction, and
what arrives out of order."""

import json

import pytest
from django.test import Client

from tipnet.audit.models import AuditEvent
from tipnet.exchange import actions as exchange_actions
from tipnet.exchange.models import InboxMessage, OutboxMessage
from tipnet.exchange.tests.conftest import draft, entry
from tipnet.mla import actions, lifecycle
from tipnet.mla.enums import State
from tipnet.mla.models import MlaEvent

pytestmark = pytest.mark.django_db


def test_submitting_queues_the_request_with_its_letter_to_the_central_authority_node(
    network, prosecutor, complete_to_ae
):
    req = actions.do_submit(prosecutor, complete_to_ae)
    outbox = OutboxMessage.objects.get()
    assert (outbox.type, outbox.recipient, outbox.conversation_id) == (
        "mla.request",
        "AE-MOJ",
        str(req.uid),
    )
    assert outbox.attachment_names == [f"{req.reference}.pdf"]
    req.refresh_from_db()
    assert req.counterpart_node == "AE-MOJ"


def test_a_later_transition_goes_to_the_counterpart_node(network, prosecutor, complete_to_ae):
    req = actions.do_submit(prosecutor, complete_to_ae)
    actions.do_transition(prosecutor, req, "withdraw", {"reason": "Arrested at home."})
    message = OutboxMessage.objects.get(type="mla.transition")
    assert message.recipient == "AE-MOJ" and message.conversation_id == str(req.uid)


def test_a_submit_without_a_central_authority_in_the_registry_is_refused_and_changes_nothing(
    network, prosecutor, complete_to_ae
):
    network.publish(draft([entry("UZ-GPO", network.me)]))
    with pytest.raises(lifecycle.TransitionError, match="no central-authority node of AE"):
        actions.do_submit(prosecutor, complete_to_ae)
    complete_to_ae.refresh_from_db()
    assert complete_to_ae.state == State.DRAFT and not complete_to_ae.files.exists()
    assert OutboxMessage.objects.count() == 0
    assert not AuditEvent.objects.filter(tag="mla:request:submit").exists()


def test_a_transition_whose_message_cannot_be_queued_is_rolled_back(
    network, prosecutor, complete_to_ae, monkeypatch
):
    req = actions.do_submit(prosecutor, complete_to_ae)

    def broken(*args, **kwargs):
        raise exchange_actions.ExchangeError("the outbox is full")

    monkeypatch.setattr(exchange_actions, "do_queue_message", broken)
    with pytest.raises(lifecycle.TransitionError, match="the outbox is full"):
        actions.do_transition(prosecutor, req, "withdraw", {"reason": "Arrested at home."})
    req.refresh_from_db()
    assert req.state == State.SUBMITTED
    assert not MlaEvent.objects.filter(request=req, transition="withdraw").exists()
    assert not AuditEvent.objects.filter(tag="mla:request:withdraw").exists()
    assert OutboxMessage.objects.filter(type="mla.transition").count() == 0


def test_a_node_in_no_network_records_the_transition_and_says_nothing_was_sent(
    prosecutor, complete_to_ae, settings, tmp_path
):
    settings.TIPNET_NETWORK_REGISTRY_FILE = str(tmp_path / "none.json")
    req = actions.do_submit(prosecutor, complete_to_ae)
    assert req.state == State.SUBMITTED and OutboxMessage.objects.count() == 0
    assert AuditEvent.objects.get(tag="mla:request:not_sent").detail["transition"] == "submit"


def test_a_transition_that_overtakes_the_request_is_refused_for_a_retry(network, settings):
    settings.TIPNET_NODE_COUNTRY = "UZ"
    body = {
        "uid": "0b0e1d5e-7a9c-4f7e-a3a8-5b6f0f1f2a3b",
        "transition": "acknowledge",
        "fields": {},
    }
    raw = network.wire(sender="AE-MOJ", type="mla.transition", payload=body)
    response = Client().post("/exchange/inbox/", data=raw, content_type="application/json")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "not_ready"
    assert InboxMessage.objects.count() == 0


def test_an_invalid_request_is_stored_as_failed_with_the_reason(network, settings):
    settings.TIPNET_NODE_COUNTRY = "UZ"
    raw = network.wire(sender="AE-MOJ", type="mla.request", payload={"schema": "nonsense"})
    response = Client().post("/exchange/inbox/", data=raw, content_type="application/json")
    assert response.status_code == 200
    stored = InboxMessage.objects.get()
    assert stored.state == "failed" and "invalid MLA request" in stored.error
    assert json.loads(json.dumps(response.json()))["receipt"]["status"] == "delivered"
