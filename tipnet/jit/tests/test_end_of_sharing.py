"""After the end: the workspace is read-only, and once the agreed days to return or delete
have passed, what the other parties shared is unreadable here (a tombstone with the reason)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tipnet.audit.models import AuditEvent
from tipnet.jit import actions, receive, retention
from tipnet.jit.access import access_item
from tipnet.jit.models import Agreement, Item
from tipnet.jit.tests.test_actions import _item_from_ae
from tipnet.jit.tests.test_pages import api_client, client_for


@pytest.fixture
def shared(in_force, prosecutor):
    """A task of this node and a person Dubai shared; the agreement allows 10 days."""
    Agreement.objects.filter(pk=in_force.pk).update(retention_days=10)
    in_force.refresh_from_db()
    mine = actions.do_add_task(prosecutor, in_force, "Interview the recruiter")
    receive.receive_item("AE-MOJ", _item_from_ae(in_force))
    theirs = Item.objects.get(owner_node="AE-MOJ")
    return in_force, mine, theirs


def _ended_days_ago(agreement, prosecutor, days: int):
    actions.do_end(prosecutor, agreement, "Both trials are over.")
    ended = timezone.now() - timedelta(days=days)
    Agreement.objects.filter(pk=agreement.pk).update(ended_at=ended)
    agreement.refresh_from_db()


def test_an_ended_agreement_is_read_only_but_still_readable_within_the_agreed_days(
    shared, prosecutor
):
    agreement, mine, theirs = shared
    _ended_days_ago(agreement, prosecutor, 3)
    with pytest.raises(ValidationError):
        actions.do_set_task_status(prosecutor, mine, "done")
    assert access_item(prosecutor, agreement, theirs.pk) == theirs
    page = client_for(prosecutor).get(reverse("jit:detail", args=[agreement.pk]))
    assert 'data-testid="read-only"' in page.content.decode()
    assert "Omar Exploiter" in page.content.decode()


def test_after_the_agreed_days_the_other_partys_items_cannot_be_read(shared, prosecutor):
    agreement, mine, theirs = shared
    _ended_days_ago(agreement, prosecutor, 11)
    with pytest.raises(Http404):
        access_item(prosecutor, agreement, theirs.pk)
    assert access_item(prosecutor, agreement, mine.pk) == mine
    chain = api_client(prosecutor).get(f"/api/jit/agreements/{agreement.pk}/chain")
    assert "Omar Exploiter" not in chain.content.decode()
    page = client_for(prosecutor).get(reverse("jit:detail", args=[agreement.pk])).content
    assert "Omar Exploiter" not in page.decode() and b'data-testid="tombstones"' in page


def test_the_expire_command_leaves_a_tombstone_and_audits_it(shared, prosecutor):
    agreement, mine, theirs = shared
    _ended_days_ago(agreement, prosecutor, 11)
    call_command("jit", "expire")
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.body == "" and theirs.expired_at is not None
    assert mine.body and mine.expired_at is None
    event = AuditEvent.objects.filter(tag="jit:item:expire").get()
    assert event.detail["items"] == 1 and event.detail["days"] == 10
    call_command("jit", "expire")
    assert AuditEvent.objects.filter(tag="jit:item:expire").count() == 1


def test_an_expired_period_stops_sharing_like_an_end(shared, prosecutor):
    agreement = shared[0]
    past = timezone.localdate() - timedelta(days=1)
    Agreement.objects.filter(pk=agreement.pk).update(
        period_start=past - timedelta(days=30), period_end=past
    )
    agreement.refresh_from_db()
    assert not agreement.is_sharing and retention.closed_on(agreement) == timezone.localdate()
    with pytest.raises(ValidationError):
        actions.do_add_note(prosecutor, agreement, past, "Late note")
    with pytest.raises(receive.Refused):
        receive.receive_item("AE-MOJ", _item_from_ae(agreement, revision=2))


def test_the_agreed_days_are_part_of_the_signed_text(proposal, prosecutor):
    before = proposal.text_sha256
    amended = actions.do_amend(prosecutor, proposal, retention_days=14)
    assert amended.text_sha256 != before
    from tipnet.jit import text as signed_text
    from tipnet.jit import wire

    text = signed_text.text_of(amended)
    assert wire.clean_text(text)["retention_days"] == 14
    with pytest.raises(ValueError):
        wire.clean_text(text | {"retention_days": -1})


def test_an_extension_of_an_expired_agreement_is_refused_not_retried(shared):
    agreement = shared[0]
    past = timezone.localdate() - timedelta(days=1)
    Agreement.objects.filter(pk=agreement.pk).update(period_end=past)
    until = (past + timedelta(days=90)).isoformat()
    with pytest.raises(receive.Refused):
        receive.receive_extension("AE-MOJ", {"agreement": str(agreement.uid), "until": until})
