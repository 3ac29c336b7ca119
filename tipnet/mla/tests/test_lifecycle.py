"""Every legal and every illegal transition of the lifecycle table, through the do_* actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.exchange.models import OutboxMessage
from tipnet.mla import actions, lifecycle
from tipnet.mla.enums import State
from tipnet.mla.models import MlaEvent, MlaRequest

LOCAL = [name for name in lifecycle.TRANSITIONS if name != "submit"]
FIELDS = {
    "missing": "Case number",
    "questions": "Which bank?",
    "information": "Bank X",
    "subject": "Conditions of execution",
    "outcome": "Agreed",
    "reason": "Ongoing trial",
    "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    "summary": "Records provided",
    "ground": "untoc_18_21_b",
    "reasons": "Essential interests",
    "no_consultation_reason": "The requesting state did not answer",
}


def make_request(state: str, side: str, basis: str = "UNTOC_18") -> MlaRequest:
    outgoing = side == lifecycle.REQUESTING
    return MlaRequest.objects.create(
        direction="outgoing" if outgoing else "incoming",
        state=state,
        legal_basis=basis,
        reference=f"T-{state}-{side}",
        requesting_state="UZ",
        requested_state="AE",
        counterpart_node="AE-MOJ",
    )


CASES = [(n, s) for n in LOCAL for s in State.values]


def test_the_table_has_a_case_for_every_transition_and_state():
    assert len(CASES) == (len(lifecycle.TRANSITIONS) - 1) * len(State.values)


@pytest.mark.parametrize(("name", "state"), CASES)
def test_each_transition_moves_only_from_its_allowed_states(db, prosecutor, name, state):
    t = lifecycle.TRANSITIONS[name]
    req = make_request(state, t.side)
    if state in t.sources:
        actions.do_transition(prosecutor, req, name, FIELDS)
        req.refresh_from_db()
        assert req.state == t.target
        assert MlaEvent.objects.filter(request=req, transition=name, from_state=state).exists()
        assert AuditEvent.objects.filter(tag=f"mla:request:{name}", object_id=str(req.pk)).exists()
    else:
        with pytest.raises(lifecycle.TransitionError, match="cannot be moved"):
            actions.do_transition(prosecutor, req, name, FIELDS)
        req.refresh_from_db()
        assert req.state == state and not req.events.exists()


@pytest.mark.parametrize("name", LOCAL)
def test_the_other_side_may_not_perform_a_transition(db, prosecutor, name):
    t = lifecycle.TRANSITIONS[name]
    other = lifecycle.REQUESTED if t.side == lifecycle.REQUESTING else lifecycle.REQUESTING
    req = make_request(t.sources[0], other)
    with pytest.raises(lifecycle.TransitionError, match="Only the"):
        actions.do_transition(prosecutor, req, name, FIELDS)
    req.refresh_from_db()
    assert req.state == t.sources[0]


REQUIRED = [(n, f) for n in LOCAL for f in lifecycle.TRANSITIONS[n].required]


@pytest.mark.parametrize(("name", "field"), REQUIRED)
def test_a_transition_without_a_required_field_is_refused(db, prosecutor, name, field):
    t = lifecycle.TRANSITIONS[name]
    req = make_request(t.sources[0], t.side)
    with pytest.raises(lifecycle.TransitionError, match=field):
        actions.do_transition(prosecutor, req, name, {**FIELDS, field: "  "})
    req.refresh_from_db()
    assert req.state == t.sources[0] and not req.events.exists()


def test_a_refusal_without_reasons_is_refused_and_nothing_changes(db, ca_officer):
    req = make_request(State.UNDER_ASSESSMENT, lifecycle.REQUESTED)
    with pytest.raises(lifecycle.TransitionError, match="reasons"):
        actions.do_refuse(ca_officer, req, ground="untoc_18_21_b", no_consultation_reason="x")
    req.refresh_from_db()
    assert req.state == State.UNDER_ASSESSMENT and req.refusal_ground == ""


def test_a_refusal_needs_a_ground_of_the_requests_basis(db, ca_officer):
    req = make_request(State.UNDER_ASSESSMENT, lifecycle.REQUESTED, basis="MINSK_1993")
    with pytest.raises(lifecycle.TransitionError, match="ground of refusal"):
        actions.do_refuse(ca_officer, req, ground="untoc_18_21_b", reasons="r")
    actions.do_refuse(ca_officer, req, ground="cis_sovereignty", reasons="Security")
    req.refresh_from_db()
    assert (req.state, req.refusal_ground, req.refusal_reasons) == (
        State.REFUSED,
        "cis_sovereignty",
        "Security",
    )


def test_under_untoc_a_refusal_needs_a_prior_consultation_or_a_reason(db, ca_officer):
    req = make_request(State.UNDER_ASSESSMENT, lifecycle.REQUESTED)
    with pytest.raises(lifecycle.TransitionError, match="18\\(26\\)"):
        actions.do_refuse(ca_officer, req, ground="untoc_18_21_b", reasons="r")
    actions.do_consult(ca_officer, req, subject="Conditions")
    actions.do_refuse(ca_officer, req, ground="untoc_18_21_b", reasons="r")
    req.refresh_from_db()
    assert req.state == State.REFUSED


def test_a_postponement_needs_a_future_review_date(db, ca_officer):
    req = make_request(State.UNDER_EXECUTION, lifecycle.REQUESTED)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    with pytest.raises(lifecycle.TransitionError, match="past"):
        actions.do_postpone(ca_officer, req, reason="Trial", review_on=past)
    with pytest.raises(lifecycle.TransitionError, match="YYYY-MM-DD"):
        actions.do_postpone(ca_officer, req, reason="Trial", review_on="soon")
    req.refresh_from_db()
    assert req.state == State.UNDER_EXECUTION


def test_a_withdrawn_request_cannot_be_executed(db, ca_officer):
    req = make_request(State.WITHDRAWN, lifecycle.REQUESTED)
    with pytest.raises(lifecycle.TransitionError, match="Withdrawn"):
        actions.do_report_executed(ca_officer, req, summary="Done")
    req.refresh_from_db()
    assert req.state == State.WITHDRAWN


def test_an_unknown_transition_is_refused(db, prosecutor):
    req = make_request(State.SUBMITTED, lifecycle.REQUESTING)
    with pytest.raises(lifecycle.TransitionError, match="Unknown"):
        actions.do_transition(prosecutor, req, "teleport", {})


def test_a_local_transition_queues_its_message_with_the_result_files(network, ca_officer):
    req = make_request(State.UNDER_EXECUTION, lifecycle.REQUESTED)
    files = [("result.txt", "text/plain", b"records")]
    actions.do_report_executed(ca_officer, req, files=files, summary="All records")
    message = OutboxMessage.objects.get()
    assert (message.type, message.recipient) == ("mla.transition", req.counterpart_node)
    assert message.attachment_names == ["result.txt"]
    req.refresh_from_db()
    assert req.state == State.EXECUTED
    assert req.files.get(kind="result").content == b"records"


def test_allowed_lists_what_a_side_may_do_next():
    assert lifecycle.allowed(State.UNDER_ASSESSMENT, lifecycle.REQUESTED) == [
        "request_info",
        "consult",
        "accept",
        "refuse",
    ]
    assert lifecycle.allowed(State.UNDER_ASSESSMENT, lifecycle.REQUESTING) == ["withdraw"]
