"""`tipnet mla remind` raises reminders for expired clocks, once, and never changes a state."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.mla.actions import do_set_deadlines
from tipnet.mla.enums import State
from tipnet.mla.models import MlaRequest, Reminder


def _request(state, days_ago, **extra):
    when = timezone.now() - timedelta(days=days_ago)
    return MlaRequest.objects.create(
        direction="outgoing",
        state=state,
        reference=f"R-{state}-{days_ago}",
        legal_basis="UNTOC_18",
        requesting_state="UZ",
        requested_state="AE",
        submitted_at=when,
        received_at=when,
        decided_at=when,
        **extra,
    )


def remind() -> str:
    out = StringIO()
    call_command("mla", "remind", stdout=out)
    return out.getvalue()


def test_it_raises_a_reminder_per_expired_clock_once_and_changes_no_state(db):
    late = _request(State.SUBMITTED, 8)
    _request(State.SUBMITTED, 6)
    slow = _request(State.UNDER_EXECUTION, 91)
    assert "2 reminders raised" in remind()
    assert "0 reminders raised" in remind()
    assert set(Reminder.objects.values_list("request__reference", "clock")) == {
        (late.reference, "acknowledge"),
        (slow.reference, "execute"),
    }
    late.refresh_from_db()
    slow.refresh_from_db()
    assert (late.state, slow.state) == (State.SUBMITTED, State.UNDER_EXECUTION)
    assert AuditEvent.objects.filter(tag="mla:reminder:raise").count() == 2


def test_the_clocks_follow_the_policy_of_the_legal_basis(db):
    do_set_deadlines(None, "UNTOC_18", acknowledge=3, decide=30, execute=90)
    _request(State.SUBMITTED, 4)
    assert "1 reminders raised" in remind()


def test_the_requested_deadline_is_a_clock_too(db):
    _request(State.UNDER_ASSESSMENT, 1, deadline=timezone.localdate() - timedelta(days=1))
    assert "deadline" in remind()


def test_finished_requests_raise_nothing(db):
    _request(State.EXECUTED, 400)
    assert "0 reminders raised" in remind()


def test_load_treaties_reports_a_bad_file_clearly(db, tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("schema: 1\nstates:\n  UZ:\n    parties: {UNTOC: {status: maybe}}\n")
    with pytest.raises(CommandError, match=r"states\.UZ"):
        call_command("mla", "load-treaties", str(bad))
    assert not MlaRequest.objects.exists()


def test_load_treaties_is_idempotent(db):
    out = StringIO()
    call_command("mla", "load-treaties", stdout=out)
    call_command("mla", "load-treaties", stdout=out)
    assert out.getvalue().count("9 states") == 2
