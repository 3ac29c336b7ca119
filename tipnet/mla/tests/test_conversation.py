"""Both sides read a request's whole conversation, and a delivery problem shows on the request."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tipnet.exchange.actions import do_give_up, do_retry_later
from tipnet.exchange.models import OutboxMessage
from tipnet.mla import actions
from tipnet.mla.link import do_apply_remote_transition

RESULT = [("bank-records.pdf", "application/pdf", b"%PDF records")]


@pytest.fixture
def answered(network, complete_to_ae, prosecutor):
    """A request to the UAE that was asked a question, answered it and got its results."""
    req = actions.do_submit(prosecutor, complete_to_ae)
    uid = req.uid
    do_apply_remote_transition(
        uid, "acknowledge", {"counterpart_ref": "AE-MOJ-2026-77"}, [], "AE-MOJ"
    )
    do_apply_remote_transition(uid, "assess", {}, [], "AE-MOJ")
    questions = {"questions": "Which branch holds the account of the recruiter?"}
    do_apply_remote_transition(uid, "request_info", questions, [], "AE-MOJ")
    req.refresh_from_db()
    info = {"information": "Emirates NBD, Deira branch."}
    actions.do_transition(prosecutor, req, "provide_info", info)
    do_apply_remote_transition(uid, "accept", {}, [], "AE-MOJ")
    report = {"summary": "Statements of 2025 obtained.", "use_restrictions": "Only for case 77."}
    do_apply_remote_transition(uid, "report_executed", report, RESULT, "AE-MOJ")
    req.refresh_from_db()
    return req


def test_the_requesting_side_reads_the_conversation_in_order(answered, prosecutor, client_as):
    page = client_as(prosecutor).get(reverse("mla:detail", args=[answered.pk])).content.decode()
    order = [
        'data-testid="turn-submit"',
        "Which branch holds the account of the recruiter?",
        "Emirates NBD, Deira branch.",
        "Statements of 2025 obtained.",
        "Only for case 77.",
        "bank-records.pdf",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'data-testid="their-reference">AE-MOJ-2026-77' in page
    # The result file sits in the turn that brought it.
    final = page.split('data-testid="turn-report_executed"')[1].split("</li>")[0]
    assert "bank-records.pdf" in final


def _outbox(req):
    return OutboxMessage.objects.filter(conversation_id=str(req.uid)).order_by("created_at")


def test_a_failed_delivery_shows_on_the_request_with_the_next_attempt(
    answered, prosecutor, client_as
):
    failing = _outbox(answered).last()
    failing.attempts = 1
    do_retry_later(failing, "connection refused")
    page = client_as(prosecutor).get(reverse("mla:detail", args=[answered.pk])).content.decode()
    shown = page.split('data-testid="delivery-send_failed"')[1].split("</li>")[0]
    next_at = timezone.localtime(failing.next_attempt_at).strftime("%Y-%m-%d %H:%M")
    assert next_at in shown and "not delivered" in shown


def test_a_message_given_up_shows_its_not_delivered_evidence(answered, prosecutor, client_as):
    lost = _outbox(answered).first()
    do_give_up(lost, "no receipt after 86400 s")
    page = client_as(prosecutor).get(reverse("mla:detail", args=[answered.pk])).content.decode()
    shown = page.split('data-testid="delivery-not_delivered"')[1].split("</li>")[0]
    assert "message log record #" in shown and "no receipt after 86400 s" in shown
