"""Steps recorded after the fact: the date they happened, its limits, and requests on paper."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.exchange.models import OutboxMessage
from tipnet.mla import actions, demo_history, lifecycle
from tipnet.mla.enums import State
from tipnet.mla.link import do_register_paper_request
from tipnet.mla.models import MlaEvent, MlaRequest

from .conftest import fill_draft


def ago(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def on_paper(treaties, prosecutor, uz_case):
    """A request to Kazakhstan drafted 100 days ago and sent on paper 90 days ago."""
    req = actions.do_create_request(prosecutor, uz_case, requested_state="KZ", at=ago(100))
    req = fill_draft(prosecutor, req)
    return actions.do_submit(prosecutor, req, at=ago(90), off_network=True)


def snapshot(req: MlaRequest) -> tuple:
    req.refresh_from_db()
    return req.state, req.state_changed_at, req.events.count(), AuditEvent.objects.count()


def test_each_step_keeps_the_date_it_happened_in_the_request_its_event_and_the_audit(
    on_paper, prosecutor
):
    when = ago(80)
    req = actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=when)
    assert (req.received_at, req.state_changed_at) == (when, when)
    assert req.submitted_at == on_paper.submitted_at
    assert MlaEvent.objects.get(request=req, transition="acknowledge").occurred_at == when
    audit = AuditEvent.objects.filter(tag="mla:request:record_step").get()
    assert audit.detail["at"] == when.isoformat()
    assert audit.detail["transition"] == "acknowledge"
    created = AuditEvent.objects.get(tag="mla:request:create")
    assert created.detail["at"] == req.created_at.isoformat()
    assert (req.submitted_at - req.created_at).days == 10


def test_a_request_cannot_be_created_in_the_future(treaties, prosecutor, uz_case):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.do_create_request(prosecutor, uz_case, requested_state="KZ", at=ago(-1))
    assert "at" in exc.value.message_dict
    assert not MlaRequest.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_submission_dated_in_the_future_is_refused_and_nothing_changes(
    complete_to_kz, prosecutor
):
    before = snapshot(complete_to_kz)
    with pytest.raises(ValidationError, match="future"):
        actions.do_submit(prosecutor, complete_to_kz, at=ago(-1), off_network=True)
    assert snapshot(complete_to_kz) == before
    assert before[0] == State.DRAFT
    assert not complete_to_kz.is_off_network


def test_a_submission_dated_before_the_request_was_drafted_is_refused(complete_to_kz, prosecutor):
    before = snapshot(complete_to_kz)
    with pytest.raises(ValidationError, match="previous step"):
        actions.do_submit(prosecutor, complete_to_kz, at=ago(3), off_network=True)
    assert snapshot(complete_to_kz) == before


def test_a_step_dated_before_the_previous_step_is_refused_and_nothing_is_stored(
    on_paper, prosecutor
):
    before = snapshot(on_paper)
    with pytest.raises(ValidationError, match="previous step"):
        actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=ago(95))
    assert snapshot(on_paper) == before
    assert on_paper.received_at is None


def test_a_local_step_dated_in_the_future_is_refused_and_nothing_is_stored(on_paper, prosecutor):
    before = snapshot(on_paper)
    with pytest.raises(ValidationError, match="future"):
        actions.do_transition(prosecutor, on_paper, "withdraw", {"reason": "Done"}, at=ago(-2))
    assert snapshot(on_paper) == before
    assert on_paper.finished_at is None


def test_a_local_step_dated_before_the_previous_one_is_refused(on_paper, prosecutor):
    actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=ago(60))
    before = snapshot(on_paper)
    with pytest.raises(ValidationError, match="previous step"):
        actions.do_transition(prosecutor, on_paper, "withdraw", {"reason": "Done"}, at=ago(70))
    assert snapshot(on_paper) == before


def test_a_date_without_a_time_zone_is_refused(on_paper, prosecutor):
    naive = timezone.make_naive(ago(10))
    with pytest.raises(ValidationError, match="time zone"):
        actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=naive)


def test_a_request_on_paper_sends_no_message_at_any_step(network, on_paper, prosecutor):
    assert on_paper.is_off_network
    assert not on_paper.files.filter(kind="letter").exists()
    actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=ago(80))
    when = ago(5)
    actions.do_transition(prosecutor, on_paper, "withdraw", {"reason": "Convicted"}, at=when)
    assert not OutboxMessage.objects.exists()
    on_paper.refresh_from_db()
    assert (on_paper.state, on_paper.finished_at) == (State.WITHDRAWN, when)


def test_the_other_states_steps_are_recorded_by_hand_only_on_paper(
    network, complete_to_ae, prosecutor
):
    req = actions.do_submit(prosecutor, complete_to_ae)
    assert not req.is_off_network
    assert OutboxMessage.objects.count() == 1
    with pytest.raises(lifecycle.TransitionError, match="node"):
        actions.do_record_counterpart_step(prosecutor, req, "acknowledge")
    req.refresh_from_db()
    assert req.state == State.SUBMITTED


def test_a_request_that_arrived_on_paper_is_registered_on_its_date(treaties, ca_officer):
    payload = demo_history._payload(0, "KZ", "Prosecutor General's Office of Kazakhstan", 2025)
    when = ago(200)
    req = do_register_paper_request(ca_officer, payload, at=when)
    assert (req.direction, req.state, req.is_off_network) == ("incoming", "submitted", True)
    assert req.submitted_at == req.created_at == when
    assert req.counterpart_node == ""
    with pytest.raises(ValidationError, match="previous step"):
        actions.do_transition(ca_officer, req, "acknowledge", at=ago(300))
    assert AuditEvent.objects.filter(tag="mla:request:register_paper").count() == 1


def test_a_request_cannot_arrive_on_paper_in_the_future(treaties, ca_officer):
    payload = demo_history._payload(1, "KG", "Prosecutor General's Office of Kyrgyzstan", 2026)
    with pytest.raises(ValueError, match="future"):
        do_register_paper_request(ca_officer, payload, at=ago(-1))
    assert not MlaRequest.objects.exists()


def test_a_request_on_paper_says_so_on_its_page_and_in_its_history(on_paper, prosecutor, client_as):
    actions.do_record_counterpart_step(prosecutor, on_paper, "acknowledge", at=ago(80))
    page = client_as(prosecutor).get(reverse("mla:detail", args=[on_paper.pk]))
    html = page.content.decode()
    assert 'data-testid="off-network"' in html
    history = html[html.index('data-testid="history"') :]
    assert history.count("<td>on paper</td>") == 2
    assert "this node" not in history
