"""The MLA link in one process: what a local transition queues, and what arrives out of order."""

import json

import pytest
from django.test import Client

from tipnet.audit.models import AuditEvent
from tipnet.exchange.models import InboxMessage, LogEntry, OutboxMessage
from tipnet.mla import actions

from .conftest import draft, entry

pytestmark = pytest.mark.django_db


def _submit(prosecutor, request, capture):
    with capture(execute=True):
        return actions.do_submit(prosecutor, request)


def test_submitting_queues_the_request_with_its_letter_to_the_central_authority_node(
    network, prosecutor, complete_to_ae, django_capture_on_commit_callbacks
):
    req = _submit(prosecutor, complete_to_ae, django_capture_on_commit_callbacks)
    outbox = OutboxMessage.objects.get()
    assert (outbox.type, outbox.recipient, outbox.conversation_id) == (
        "mla.request",
        "AE-MOJ",
        str(req.uid),
    )
    assert outbox.attachment_names == [f"{req.reference}.pdf"]
    req.refresh_from_db()
    assert req.counterpart_node == "AE-MOJ"


def test_a_later_transition_goes_to_the_counterpart_node(
    network, prosecutor, complete_to_ae, django_capture_on_commit_callbacks
):
    req = _submit(prosecutor, complete_to_ae, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_transition(prosecutor, req, "withdraw", {"reason": "Arrested at home."})
    message = OutboxMessage.objects.get(type="mla.transition")
    assert message.recipient == "AE-MOJ" and message.conversation_id == str(req.uid)


def test_a_submit_without_a_central_authority_in_the_registry_is_logged_not_lost(
    network, prosecutor, complete_to_ae, django_capture_on_commit_callbacks
):
    network.publish(draft([entry("UZ-GPO", network.me)]))
    req = _submit(prosecutor, complete_to_ae, django_capture_on_commit_callbacks)
    assert req.state == "submitted" and OutboxMessage.objects.count() == 0
    assert LogEntry.objects.filter(kind="not_delivered", type="mla.submit").exists()
    assert AuditEvent.objects.filter(tag="exchange:mla:unroutable").exists()


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
